"""Entering a year's official schedule (国务院办公厅 holiday notice) from Excel."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from civicgrid.core import excel
from civicgrid.workcal.models import CalendarDay, CalendarYear, DayKind

KIND_LABELS = {"休": DayKind.HOLIDAY, "节假日": DayKind.HOLIDAY, "班": DayKind.WORKDAY, "调休上班": DayKind.WORKDAY}
COLUMNS = [
    excel.Column("日期", "date", excel.date),
    excel.Column("类型", "kind", excel.choice(KIND_LABELS), help="休/节假日 或 班/调休上班"),
    excel.Column("名称", "name", excel.text, required=False),
]


@dataclass
class CalendarImport:
    year: int
    days: int = 0
    problems: list[excel.RowProblem] = field(default_factory=list)


def import_calendar(file, year: int) -> CalendarImport:
    """Replace `year`'s entries with the file's rows and mark the year complete; all or nothing."""
    result = CalendarImport(year)
    rows, result.problems = excel.read(file, COLUMNS)
    for number, row in rows:
        if row["date"].year != year:
            result.problems.append(excel.RowProblem(number, "日期", _("%(date)s 不在 %(year)d 年") % {
                "date": row["date"], "year": year}))
    if result.problems:
        return result
    with transaction.atomic():
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(date=r["date"], kind=r["kind"], name=r["name"] or "") for _, r in rows]
        )
        CalendarYear.objects.update_or_create(year=year, defaults={"note": "imported"})
    result.days = len(rows)
    return result

