"""Periods of local days, as reports, indicators and dashboards take them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from civicgrid.core.validators import is_supported_date
from civicgrid.workcal.calendar import tz


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local days [start, end] as aware datetimes [start 00:00, end + 1 day 00:00)."""
    return (dt.datetime.combine(start, dt.time(0), tzinfo=tz()),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=tz()))


def end_of_local_day(moment: dt.datetime) -> dt.datetime:
    """The midnight that ends `moment`'s local day (the first instant of the next)."""
    day = timezone.localtime(moment, tz()).date()
    return period_bounds(day, day)[1]


def _day(value: str) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if is_supported_date(day) else None


def period_from_query(params) -> tuple[dt.date, dt.date]:
    """`start` and `end` (YYYY-MM-DD) from a query; missing or bad: this month so far. Swapped if reversed."""
    today = timezone.localdate()
    start = _day(params.get("start", "")) or today.replace(day=1)
    end = _day(params.get("end", "")) or today
    return (start, end) if start <= end else (end, start)
