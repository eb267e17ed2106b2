"""The database's own cost of one Open311 report on SQLite, without Django or HTTP: the floor under bench/intake.py.

Loads the demo district into a scratch SQLite file, reports one case through the service to get a realistic
row, then times with the plain `sqlite3` module, per transaction, (a) the empty-table baseline's insert and
(b) what a report writes — the day's sequence, the case row and its first event — in three variants: as
shipped, without the case table's secondary indexes (the read target needs them), and on 2,048-byte pages.
Each variant starts from a copy of the same file. Prints one JSON line (milliseconds per transaction).

    .venv/bin/python bench/intake_floor.py [--transactions 3000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import _django


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def _copy(source: Path, page_size: int | None = None) -> Path:
    target = Path(tempfile.mkdtemp(prefix="civicgrid-floor-")) / "db.sqlite3"
    shutil.copy(source, target)
    if page_size:
        connection = sqlite3.connect(target, isolation_level=None)
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.execute(f"PRAGMA page_size={page_size}")
        connection.execute("VACUUM")
        connection.close()
    return target


def _timed(connection: sqlite3.Connection, transactions: int, body) -> float:
    started = time.perf_counter()
    for i in range(transactions):
        connection.execute("BEGIN IMMEDIATE")
        body(i)
        connection.execute("COMMIT")
    return round((time.perf_counter() - started) / transactions * 1000, 3)


def baseline(source: Path, transactions: int) -> float:
    connection = _connect(_copy(source))
    connection.execute("CREATE TABLE bench_baseline (id INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT)")
    return _timed(connection, transactions,
                  lambda i: connection.execute("INSERT INTO bench_baseline (payload) VALUES ('基准测试上报')"))


def report(source: Path, transactions: int, drop_indexes: bool = False, page_size: int | None = None) -> float:
    """A report's three writes per transaction, with the stored sample case's values."""
    connection = _connect(_copy(source, page_size))
    if drop_indexes:
        names = connection.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases_case' "
                                   "AND name NOT LIKE 'sqlite_autoindex%'").fetchall()
        for (name,) in names:
            connection.execute(f'DROP INDEX "{name}"')
    case = connection.execute("SELECT * FROM cases_case LIMIT 1")
    columns = [d[0] for d in case.description if d[0] != "id"]
    values = dict(zip([d[0] for d in case.description], case.fetchone(), strict=True))
    event = connection.execute("SELECT * FROM cases_caseevent LIMIT 1")
    event_columns = [d[0] for d in event.description if d[0] not in ("id", "case_id")]
    event_values = dict(zip([d[0] for d in event.description], event.fetchone(), strict=True))
    insert_case = (f"INSERT INTO cases_case ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
                   "RETURNING id")
    insert_event = (f"INSERT INTO cases_caseevent (case_id, {', '.join(event_columns)}) "
                    f"VALUES (?, {', '.join('?' * len(event_columns))})")

    def body(i):
        (sequence,) = connection.execute(
            "INSERT INTO cases_casecounter (day, last) VALUES ('2099-01-01', 1) "
            "ON CONFLICT (day) DO UPDATE SET last = cases_casecounter.last + 1 RETURNING last").fetchone()
        row = {**values, "number": f"FLOOR-{sequence}"}
        (case_id,) = connection.execute(insert_case, [row[c] for c in columns]).fetchone()
        connection.execute(insert_event, [case_id, *(event_values[c] for c in event_columns)])

    return _timed(connection, transactions, body)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transactions", type=int, default=3000)
    args = parser.parse_args()
    _django.setup(history_days=0)
    from django.conf import settings
    from django.db import connection

    from civicgrid.cases.models import CaseClass
    from civicgrid.cases.services import report_case
    from civicgrid.territory.models import Region

    grid = Region.objects.grids().first()
    point = grid.geometry.representative_point()
    report_case(None, case_class=CaseClass.objects.get(code="E0102"), description="基准测试上报", lng=point.x,
                lat=point.y, source="public_report")
    connection.close()
    source = Path(settings.DATABASES["default"]["NAME"])
    n = args.transactions
    print(json.dumps({
        "bench": "intake_floor", "transactions": n, "ms_per_transaction": {
            "baseline_insert": baseline(source, n),
            "report_as_shipped": report(source, n),
            "report_without_case_indexes": report(source, n, drop_indexes=True),
            "report_on_2048_byte_pages": report(source, n, page_size=2048),
        }}))


if __name__ == "__main__":
    main()
