"""Time `seed_demo` on an empty database: the district, then a year of case history and a month of inspections.
Prints one JSON line.

    .venv/bin/python bench/seed.py [--history-days 365]
"""

from __future__ import annotations

import json
import time

import _django


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--history-days", type=int, default=365)
    args = parser.parse_args()
    _django.setup(seed_demo=False)
    from civicgrid.cases.models import Case, CaseEvent
    from civicgrid.demo.seed import demo_counts, seed_demo
    from civicgrid.inspections.models import InspectionResult

    started = time.perf_counter()
    seed_demo(seed=2018)
    first = time.perf_counter() - started
    report = seed_demo(seed=2018, history_days=args.history_days)
    history = report.seconds["history"]
    started = time.perf_counter()
    seed_demo(seed=2018, history_days=args.history_days)
    second = time.perf_counter() - started
    counts = demo_counts()
    print(json.dumps({
        "bench": "seed_demo",
        "seconds": round(first, 2),
        "history_seconds": round(history, 2),
        "history_cases": Case.objects.count(),
        "history_events": CaseEvent.objects.count(),
        "inspections_seconds": round(report.seconds["inspections"], 2),
        "inspections": report.inspections_created,
        "inspection_results": InspectionResult.objects.count(),
        "second_run_seconds": round(second, 3),
        "grids": counts["regions:grid"],
        "places": sum(v for k, v in counts.items() if k.startswith("places:")),
        "people": counts["people"],
    }))


if __name__ == "__main__":
    main()
