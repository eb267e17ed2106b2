"""Import 10,000-row ledger files into the demo district (target: ≤ 10 s each). Prints one JSON line.

    .venv/bin/python bench/ledger_import.py [--rows 10000]

Four files, each made in memory with openpyxl: staff with health certificates (references the demo's
small businesses by licence), the same file again (nothing to write), the file with every expiry date moved
(every row an update), and publicity assets (references places by code). Each import validates every row, resolves references, checks scope and writes in bulk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import time

import _django


def workbook(headers, rows) -> io.BytesIO:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    _django.setup(history_days=0)
    from civicgrid.ledgers import services
    from civicgrid.ledgers.models import SmallBusiness
    from civicgrid.territory.models import Place

    licences = list(SmallBusiness.objects.order_by("id").values_list("licence_number", flat=True))
    staff = workbook(["营业执照号", "姓名", "健康证号", "健康证有效期至"],
                     [[licences[n % len(licences)], f"从业人员{n:05d}", f"JK{n:09d}",
                       (dt.date(2027, 1, 1) + dt.timedelta(days=n % 365)).isoformat()] for n in range(args.rows)])
    places = list(Place.objects.order_by("id").values_list("code", flat=True))
    kinds = ["宣传栏", "宣传板", "LED大屏", "围挡", "路旗", "有轨电车站"]
    publicity = workbook(["点位编码或名称", "类型", "数量", "设置日期"],
                         [[places[n % len(places)], kinds[(n // len(places)) % len(kinds)], str(1 + n % 40),
                           (dt.date(2026, 1, 1) + dt.timedelta(days=n // (len(places) * len(kinds)))).isoformat()]
                          for n in range(args.rows)])
    figures = {"bench": "ledger_import", "rows": args.rows}
    moved = workbook(["营业执照号", "姓名", "健康证号", "健康证有效期至"],
                     [[licences[n % len(licences)], f"从业人员{n:05d}", f"JK{n:09d}",
                       (dt.date(2028, 1, 1) + dt.timedelta(days=n % 365)).isoformat()] for n in range(args.rows)])
    for label, slug, file in (("staff", "staff", staff), ("staff_again", "staff", io.BytesIO(staff.getvalue())),
                              ("staff_updated", "staff", moved), ("publicity", "publicity", publicity)):
        started = time.perf_counter()
        report = services.import_ledger(slug, file, None)
        seconds = time.perf_counter() - started
        assert not report.problems, report.problems[:3]
        figures[f"{label}_seconds"] = round(seconds, 2)
        figures[f"{label}_created_updated_unchanged"] = [report.created, report.updated, report.unchanged]
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
