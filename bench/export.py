"""The case export of the demo's full year (~51,000 cases) as the campaign office asks for it: the background
job's whole write (the same code a Celery worker or a thread runs), with its time and the memory it took.

Builds the demo district and a year of history on a scratch SQLite database (DATABASE_URL for another), then
runs the export job in this process and measures wall time and the peak of the Python heap (tracemalloc) and of
the process (ru_maxrss) during it. Prints one JSON line.

    .venv/bin/python bench/export.py [--history-days 365]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
import tracemalloc

import _django


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
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    exports.run(job.pk)
    seconds = time.perf_counter() - started
    _current, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        size = len(handle.read())
    print(json.dumps({
        "bench": "export", "kind": "cases", "rows": job.rows_done, "status": job.status,
        "seconds": round(seconds, 2), "rows_per_second": round(job.rows_done / seconds),
        "python_heap_peak_mb": round(heap_peak / 1048576, 1),
        "process_peak_growth_mb": round((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024, 1),
        "file_mb": round(size / 1048576, 2),
    }))


if __name__ == "__main__":
    main()
