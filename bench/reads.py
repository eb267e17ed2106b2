"""p95 latency of a filtered case list (50 rows) and of a case detail with 1,000,000 cases stored.

Builds the demo district and a year of history (~51,000 cases with events), then copies that year
into earlier years with SQL until the table holds --cases rows (events copied too, so details are
real). Requests go through the whole Django stack in-process (middleware, scope, filters, JSON),
as the campaign office and as a street's staff. Prints one JSON line.

    .venv/bin/python bench/reads.py [--cases 1000000] [--requests 300]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

import _django


def amplify(target: int) -> int:
    """Copy the existing cases (and their events) into earlier years until `target` cases exist."""
    from django.db import connection, transaction

    from civicgrid.cases.models import Case, CaseEvent

    case_table, event_table = Case._meta.db_table, CaseEvent._meta.db_table
    case_columns = [f.column for f in Case._meta.concrete_fields if f.column != "id"]
    event_columns = [f.column for f in CaseEvent._meta.concrete_fields if f.column not in ("id", "case_id")]
    dated = {f.column for f in Case._meta.concrete_fields if f.get_internal_type() == "DateTimeField"}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id), COUNT(*) FROM {case_table}")
        base_max, base_count = cursor.fetchone()
    copies = max(0, -(-target // base_count) - 1)
    for k in range(1, copies + 1):
        shift = f"-{365 * k} days"

        def value(column, shift=shift, k=k):
            if column == "number":
                return f"number || '-{k}'"
            if column == "finding_key":
                return "''"  # one open case per place and checklist item: the copies are plain cases
            if column in dated:
                return f"CASE WHEN {column} IS NULL THEN NULL ELSE strftime('%Y-%m-%d %H:%M:%f', {column}, '{shift}') END"
            return column

        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {case_table} (id, {', '.join(case_columns)}) "
                f"SELECT id + {k * base_max}, {', '.join(value(c) for c in case_columns)} FROM {case_table} "
                f"WHERE id <= {base_max}")
            cursor.execute(
                f"INSERT INTO {event_table} (case_id, {', '.join(event_columns)}) "
                f"SELECT case_id + {k * base_max}, {', '.join(event_columns)} FROM {event_table} "
                f"WHERE case_id <= {base_max}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Case.objects.count()


def p(values: list[float], q: float) -> float:
    return round(statistics.quantiles(values, n=100)[int(q) - 1] * 1000, 1)


def timed(client, urls: list[str]) -> list[float]:
    durations = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        durations.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return durations


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    _django.setup(seed_demo=False)
    import os

    os.environ.setdefault("DEMO_MODE", "true")
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from civicgrid.cases.models import Case
    from civicgrid.demo.seed import seed_demo

    settings.DEMO_MODE = True
    settings.ALLOWED_HOSTS = ["testserver"]
    started = time.perf_counter()
    seed_demo(seed=2018, history_days=365)
    seeded = time.perf_counter() - started
    total = amplify(args.cases)
    built = time.perf_counter() - started

    rng = random.Random(3)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["admin", "street"])}
    street = "210112001"
    community = "210112001001"
    filters = [
        "", "state=handling", f"region={street}", f"class=E0102&region={community}", "overdue=true",
        "state=closed&ordering=-handle_due", "source=hotline_12345", "urgency=urgent&state=closed",
    ]
    numbers = list(Case.objects.values_list("number", flat=True).order_by("?")[: args.requests])
    results = {}
    for username, user in users.items():
        client = Client()
        client.force_login(user)
        # The street's own cases that it may see (an unpublished undercover round's findings are hidden from it).
        visible = numbers if username == "admin" else list(
            Case.objects.restrict(user).filter(street_code=street)
            .values_list("number", flat=True).order_by("?")[: args.requests])
        timed(client, [f"/api/v1/cases/?page_size=50&{f}" for f in filters])  # warm caches
        lists = timed(client, [f"/api/v1/cases/?page_size=50&{rng.choice(filters)}" for _ in range(args.requests)])
        details = timed(client, [f"/api/v1/cases/{n}/" for n in visible])
        results[username] = {"list_p50_ms": p(lists, 50), "list_p95_ms": p(lists, 95),
                             "detail_p50_ms": p(details, 50), "detail_p95_ms": p(details, 95)}
    print(json.dumps({"bench": "reads", "cases": total, "seed_seconds": round(seeded, 1),
                      "build_seconds": round(built, 1), "requests_each": args.requests, **results}))


if __name__ == "__main__":
    main()
