"""Working-time arithmetic on China's official calendar, in Asia/Shanghai.

Whether a day is worked: the office's entries (CalendarDay) win; otherwise the `chinese-calendar`
package for the years it covers (2004–2026); otherwise, for a year the office marked complete,
Monday–Friday; otherwise Monday–Friday without the statutory holidays computable for any year
(workcal.holidays: 元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆), and the deadline is provisional
(`Deadline.calendar_missing`: the official notice's bridged days and adjusted workdays are not known yet).

Units: minutes are natural time (dispatch within 30 min); working hours count only office hours on
working days (WORKING_HOURS, default 08:30–12:00 and 13:30–17:30); working days count whole days
that are worked (a case reported on Friday at 15:00 with one working day is due on Monday at 15:00).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.workcal.holidays import statutory_holidays

PACKAGE_YEARS = range(2004, 2027)
_MAX_DAYS = 3 * 366  # a deadline never searches further than this


class TimeUnit(models.TextChoices):
    MINUTES = "minutes", _("分钟")
    WORKING_HOURS = "hours", _("工作时")
    WORKING_DAYS = "days", _("工作日")


@dataclass(frozen=True)
class Deadline:
    at: dt.datetime
    # Years counted without their official notice (Monday–Friday less the statutory holidays): a provisional deadline.
    calendar_missing: frozenset[int] = field(default_factory=frozenset)


class _Entries:
    """The office's entries, kept per process. At most every WORKCAL_VERSION_CHECK_SECONDS a process asks the
    database for the entries' version (their count and latest change) and reloads when it moved, so an entry made
    in one process reaches every other within a second; the process that made it forgets at once (signals)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._checked_at = -1e9
        self._version: tuple | None = None
        self.days: dict[dt.date, bool] = {}
        self.years: set[int] = set()

    def get(self) -> _Entries:
        if time.monotonic() - self._checked_at > settings.WORKCAL_VERSION_CHECK_SECONDS:
            version = _version()
            if version != self._version:
                self.reload(version)
            self._checked_at = time.monotonic()
        return self

    def reload(self, version: tuple | None = None) -> None:
        from civicgrid.workcal.models import CalendarDay, CalendarYear, DayKind

        with self._lock:
            self._version = version if version is not None else _version()
            self.days = {d: k == DayKind.WORKDAY for d, k in CalendarDay.objects.values_list("date", "kind")}
            self.years = set(CalendarYear.objects.values_list("year", flat=True))
            self._checked_at = time.monotonic()

    def forget(self) -> None:
        self._checked_at = -1e9
        self._version = None


def _version() -> tuple:
    """Changes with any entry, edit or deletion of calendar days and years (one query)."""
    from django.db.models import Count, Max

    from civicgrid.workcal.models import CalendarDay, CalendarYear

    days = CalendarDay.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    years = CalendarYear.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    return days["n"], days["changed"], years["n"], years["changed"]


entries = _Entries()


def tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def is_workday(day: dt.date) -> tuple[bool, bool]:
    """(worked?, known?) — known is False when the year has no official data and Mon–Fri was assumed."""
    known = entries.get()
    if day in known.days:
        return known.days[day], True
    if day.year in known.years:
        return day.weekday() < 5, True
    if day.year in PACKAGE_YEARS:
        return chinese_calendar.is_workday(day), True
    return day.weekday() < 5 and day not in statutory_holidays(day.year), False


def calendar_known(year: int) -> bool:
    """True when the year's official schedule is available (package or office entry)."""
    return year in PACKAGE_YEARS or year in entries.get().years


def working_hours() -> list[tuple[dt.time, dt.time]]:
    """Office hours of a working day, from WORKING_HOURS ("08:30-12:00,13:30-17:30")."""
    spans = []
    for part in settings.WORKING_HOURS.split(","):
        start, end = (dt.time.fromisoformat(x.strip()) for x in part.split("-"))
        spans.append((start, end))
    return spans


def add_working_time(start: dt.datetime, amount: float, unit: TimeUnit | str) -> Deadline:
    """The moment `amount` units of working time after `start` (an aware datetime); result in UTC."""
    unit = TimeUnit(unit)
    if amount < 0:
        raise ValueError("amount must not be negative")
    if unit is TimeUnit.MINUTES:
        return Deadline((start + dt.timedelta(minutes=amount)).astimezone(dt.UTC))
    local = start.astimezone(tz())
    if unit is TimeUnit.WORKING_DAYS:
        spans = [(dt.time(0), None)]
        remaining = dt.timedelta(days=amount)
    else:
        spans = working_hours()
        remaining = dt.timedelta(hours=amount)
    at, missing = _consume(local, remaining, spans)
    return Deadline(at.astimezone(dt.UTC), frozenset(missing))


def _consume(local: dt.datetime, remaining: dt.timedelta, spans) -> tuple[dt.datetime, set[int]]:
    """Walk day by day, spending `remaining` inside the day's spans on working days.

    Local wall-clock arithmetic is safe here: Asia/Shanghai has no daylight saving, and each
    span boundary is rebuilt from the date, so a zone with DST would still land on wall times.
    """
    zone = local.tzinfo
    missing: set[int] = set()
    day = local.date()
    for _step in range(_MAX_DAYS):
        worked, known = is_workday(day)
        if not known:
            missing.add(day.year)
        if worked:
            for span_start, span_end in spans:
                begin = dt.datetime.combine(day, span_start, zone)
                end = (dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), zone) if span_end is None
                       else dt.datetime.combine(day, span_end, zone))
                begin = max(begin, local)
                if begin >= end:
                    continue
                if remaining <= end - begin:
                    return begin + remaining, missing
                remaining -= end - begin
        day += dt.timedelta(days=1)
    raise ValueError("working time exceeds three years")


def working_time_between(start: dt.datetime, end: dt.datetime, unit: TimeUnit | str) -> float:
    """How much working time lies between two moments (used for 'due soon' at 80 % of a limit)."""
    unit = TimeUnit(unit)
    if unit is TimeUnit.MINUTES:
        return (end - start).total_seconds() / 60
    spans = [(dt.time(0), None)] if unit is TimeUnit.WORKING_DAYS else working_hours()
    a, b = start.astimezone(tz()), end.astimezone(tz())
    total = dt.timedelta()
    day = a.date()
    while day <= b.date():
        if is_workday(day)[0]:
            for span_start, span_end in spans:
                begin = dt.datetime.combine(day, span_start, a.tzinfo)
                stop = (dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), a.tzinfo) if span_end is None
                        else dt.datetime.combine(day, span_end, a.tzinfo))
                lo, hi = max(begin, a), min(stop, b)
                if hi > lo:
                    total += hi - lo
        day += dt.timedelta(days=1)
    seconds = total.total_seconds()
    return seconds / 86400 if unit is TimeUnit.WORKING_DAYS else seconds / 3600
