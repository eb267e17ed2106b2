"""The case export of the demo's full year (~51,000 cases) as the campaign office asks for it: the background
job's whole write (the code a Celery worker or a thread runs), its time and its memory.

Builds the demo district and a year of history on a scratch SQLite database (DATABASE_URL for another), then
runs the export job in a fresh process — as a worker would — and reports its wall time, the process's peak
resident memory (Linux VmHWM: Django, the query and the workbook together) and the growth during the export
alone. Prints one JSON line.

    .venv/bin/python bench/export.py [--history-days 365]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import _django


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(field)


def run_job(job_id: int) -> None:
    """In the fresh process: run the export and print what it cost."""
    _django.setup(seed_demo=False)
    from civicgrid.core import exports

    before = _status_kb("VmRSS")
    started = time.perf_counter()
    exports.run(job_id)
    seconds = time.perf_counter() - started
    job = exports.ExportJob.objects.get(pk=job_id)
    with job.file.open("rb") as handle:
        size = len(handle.read())
    print(json.dumps({"rows": job.rows_done, "status": job.status, "seconds": round(seconds, 2),
                      "rss_before_export_mb": round(before / 1024, 1),
                      "process_peak_mb": round(_status_kb("VmHWM") / 1024, 1),
                      "file_mb": round(size / 1048576, 2)}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--history-days", type=int, default=365)
    parser.add_argument("--run-job", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_job:
        run_job(args.run_job)
        return
    os.environ.setdefault("DEMO_MODE", "true")  # the demo's office login exports
    _django.setup(history_days=args.history_days)

    from django.contrib.auth import get_user_model
    from django.db import connection

    from civicgrid.cases.exports import export_cases
    from civicgrid.core import exports

    office = get_user_model().objects.get(username="admin")
    total = export_cases(office, {}).count()
    # The job row as exports.start writes it, without queueing it: a fresh process runs it below, measured.
    job = exports.ExportJob.objects.create(kind="cases", params={}, owner=office, rows_total=total,
                                           filename="cases-bench.xlsx")
    connection.close()
    child = subprocess.run([sys.executable, __file__, "--run-job", str(job.pk)], env=os.environ.copy(),
                           capture_output=True, text=True, check=False)
    if child.returncode:
        sys.exit(child.stderr)
    print(json.dumps({"bench": "export", "kind": "cases", **json.loads(child.stdout.strip().splitlines()[-1])}))


if __name__ == "__main__":
    main()
