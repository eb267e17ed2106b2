"""Indicators for one month across 1,000,000 cases, per street, and the same month's 按期结案率 per street in
DuckDB over an export of the same cases. Prints one JSON line.

    .venv/bin/python bench/assessment.py [--cases 1000000] [--runs 5]

Also timed: the dashboard's data uncached, and the dashboard page (p95 of 100 requests through the whole Django
stack, its data served from the cache as between two changes).

The demo district and a year of history are built and copied into earlier years (bench/reads.py) until the
table holds --cases rows. Timed: our computation uncached (each run with an empty cache), the same request served from the cache, and DuckDB's query over a Parquet export of the columns it
needs (the export itself is not timed). Both results must agree street by street.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import statistics
import tempfile
import time
from pathlib import Path

import _django
from reads import amplify


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    _django.setup()
    import duckdb
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    from civicgrid.assessment import services
    from civicgrid.cases.models import Case
    from civicgrid.territory.models import Region
    from civicgrid.workcal.periods import period_bounds

    total = amplify(args.cases)
    user = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.create_superuser(
        "bench", password="bench")
    latest = Case.objects.order_by("-due_at").values_list("due_at", flat=True).first()
    month_end = (latest.replace(day=1) - dt.timedelta(days=1)).date()  # the last whole month of the history
    start, end = month_end.replace(day=1), month_end
    uncached = []
    for _ in range(args.runs):
        cache.clear()
        started = time.perf_counter()
        result = services.compute(user, "street", start, end)
        uncached.append(time.perf_counter() - started)
    cached = []
    for _ in range(args.runs * 10):
        started = time.perf_counter()
        services.compute(user, "street", start, end)
        cached.append(time.perf_counter() - started)
    ours = {u["unit"]["code"]: u["indicators"]["on_time_closure_rate"] for u in result["units"]}
    dashboard_cold, dashboard_pages = _dashboard(user, args.runs)

    begin, finish = period_bounds(start, end)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.parquet"
        export = Path(folder) / "cases.csv"
        with export.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["street_code", "due_at", "state", "closed_at", "close_type"])
            for code, due, state, closed, close_type in (
                    Case.objects.values_list("street_code", "due_at", "state", "closed_at", "close_type")
                    .iterator(chunk_size=20000)):
                writer.writerow([code, due.isoformat() if due else "", state, closed.isoformat() if closed else "",
                                 close_type])
        duckdb.connect().execute(
            f"COPY (SELECT * FROM read_csv('{export}', header=true, columns={{'street_code': 'VARCHAR', "
            "'due_at': 'TIMESTAMPTZ', 'state': 'VARCHAR', 'closed_at': 'TIMESTAMPTZ', 'close_type': 'VARCHAR'}))"
            f" TO '{path}' (FORMAT PARQUET)")
        duck = duckdb.connect()
        query = (f"SELECT street_code, count(*) FILTER (WHERE state = 'closed' AND closed_at < $2 "
                 f"AND close_type = 'normal') AS n, count(*) AS d FROM read_parquet('{path}') "
                 "WHERE due_at >= $1 AND due_at < $2 AND state <> 'parked' GROUP BY street_code")
        duck_times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            answer = duck.execute(query, [begin, finish]).fetchall()
            duck_times.append(time.perf_counter() - started)
    theirs = {code: (n, d) for code, n, d in answer}
    agree = all(theirs.get(code, (0, 0)) == (f["numerator"], f["denominator"]) for code, f in ours.items())
    median_ours, median_duck = statistics.median(uncached), statistics.median(duck_times)
    print(json.dumps({
        "bench": "assessment", "cases": total, "month": start.isoformat()[:7],
        "cases_due_in_month": sum(f["denominator"] for f in ours.values()),
        "streets": Region.objects.filter(level="street").count(),
        "grids": Region.objects.filter(level="grid").count(),
        "indicators_seconds_median": round(median_ours, 3), "indicators_seconds_max": round(max(uncached), 3),
        "cached_p95_ms": round(sorted(cached)[int(len(cached) * 0.95) - 1] * 1000, 2),
        "duckdb_on_time_closure_seconds_median": round(median_duck, 4),
        "ratio_ours_to_duckdb": round(median_ours / median_duck, 1) if median_duck else None,
        "results_agree": agree,
        "dashboard_data_cold_seconds_median": round(statistics.median(dashboard_cold), 3),
        "dashboard_page_p95_ms": round(sorted(dashboard_pages)[int(len(dashboard_pages) * 0.95) - 1] * 1000, 1),
    }))


def _dashboard(user, runs: int) -> tuple[list[float], list[float]]:
    """The dashboard's data uncached (after a change), then the whole page through Django, as the office sees it."""
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from civicgrid.assessment import dashboard

    settings.ALLOWED_HOSTS = ["testserver"]
    cold = []
    for _ in range(runs):
        cache.clear()
        started = time.perf_counter()
        dashboard.data(user)
        cold.append(time.perf_counter() - started)
    client = Client()
    client.force_login(user)
    client.get("/dashboard/")
    pages = []
    for _ in range(100):
        started = time.perf_counter()
        response = client.get("/dashboard/")
        pages.append(time.perf_counter() - started)
        assert response.status_code == 200
    return cold, pages


if __name__ == "__main__":
    main()
