"""The case export of the demo's full year (~51,000 cases) as the campaign office asks for it: the background
job's whole write (the same code a Celery worker or a thread runs), with its time and the memory it took.

Builds the demo district and a year of history on a scratch SQLite database (DATABASE_URL for another), then
runs the export job in this process and measures its wall time and the process's peak resident memory during
it (Linux: the peak is reset just before the export). Prints one JSON line.

    .venv/bin/python bench/export.py [--history-days 365]
"""

from __future__ import annotations

import argparse
import json
import os
import time

import _django


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(field)


def _reset_peak_rss() -> int:
    """Linux: start counting the peak resident size again from now (clear_refs 5); returns the current size."""
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")
    return _status_kb("VmRSS")


def _peak_rss() -> int:
    return _status_kb("VmHWM")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--history-days", type=int, default=365)
    args = parser.parse_args()
    os.environ.setdefault("DEMO_MODE", "true")  # the demo's office login exports
    _django.setup(history_days=args.history_days)

    from django.contrib.auth import get_user_model

    from civicgrid.cases.views import export_cases
    from civicgrid.core import exports

    office = get_user_model().objects.get(username="admin")
    total = export_cases(office, {}).count()
    # The job row as exports.start writes it, without queueing it: it is run below, in this process, measured.
    job = exports.ExportJob.objects.create(kind="cases", params={}, owner=office, rows_total=total,
                                           filename="cases-bench.xlsx")
    rss_before = _reset_peak_rss()
    started = time.perf_counter()
    exports.run(job.pk)
    seconds = time.perf_counter() - started
    peak = _peak_rss()
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        size = len(handle.read())
    print(json.dumps({
        "bench": "export", "kind": "cases", "rows": job.rows_done, "status": job.status,
        "seconds": round(seconds, 2), "rows_per_second": round(job.rows_done / seconds),
        "process_rss_before_mb": round(rss_before / 1024, 1), "process_peak_mb": round(peak / 1024, 1),
        "peak_growth_mb": round((peak - rss_before) / 1024, 1),
        "file_mb": round(size / 1048576, 2),
    }))


if __name__ == "__main__":
    main()
