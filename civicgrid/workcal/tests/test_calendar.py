import datetime as dt
import io
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicgrid.core import excel
from civicgrid.workcal.calendar import add_working_time, calendar_known, is_workday, working_time_between
from civicgrid.workcal.models import CalendarDay, CalendarYear, DayKind
from civicgrid.workcal.services import COLUMNS, import_calendar

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


def due(start, amount, unit):
    deadline = add_working_time(start, amount, unit)
    return deadline.at.astimezone(SH), deadline.calendar_missing


def test_national_day_week_is_skipped():
    assert due(at(2026, 9, 30, 10), 1, "days") == (at(2026, 10, 8, 10), frozenset())


def test_an_adjusted_saturday_is_a_working_day():
    # 2026-02-14 is a Saturday worked before the Spring Festival (调休).
    assert is_workday(dt.date(2026, 2, 14)) == (True, True)
    assert due(at(2026, 2, 13, 16), 1, "days")[0] == at(2026, 2, 14, 16)


def test_the_spring_festival_is_skipped():
    assert due(at(2026, 2, 14, 16), 1, "days")[0] == at(2026, 2, 24, 16)


def test_weekends_are_skipped():
    assert due(at(2026, 11, 27, 15), 1, "days")[0] == at(2026, 11, 30, 15)  # Friday → Monday
    assert due(at(2026, 11, 28, 10), 1, "days")[0] == at(2026, 12, 1, 0)  # from Saturday: all of Monday


def test_a_year_without_data_falls_back_to_monday_to_friday_less_the_statutory_holidays_and_warns():
    """Issue 14: without official data, a deadline fell on 1 January; the fallback knows the statutory holidays."""
    assert not calendar_known(2027)
    when, missing = due(at(2026, 12, 31, 9), 2, "days")
    assert when == at(2027, 1, 5, 9) and missing == frozenset({2027})  # 1 January (a Friday) is 元旦
    # 春节 2027: the eve (5 February) and 6–8 February are holidays, so Thursday + 3 working days is the 11th.
    when, missing = due(at(2027, 2, 4, 10), 3, "days")
    assert when == at(2027, 2, 11, 10) and missing == frozenset({2027})
    assert not is_workday(dt.date(2027, 4, 5))[0] and not is_workday(dt.date(2027, 6, 9))[0]  # 清明, 端午
    assert not is_workday(dt.date(2027, 9, 15))[0] and not is_workday(dt.date(2027, 10, 1))[0]  # 中秋, 国庆


def test_the_computed_statutory_holidays_are_official_holidays_wherever_the_official_calendar_is_known():
    from civicgrid.workcal.holidays import statutory_holidays

    for year in range(2009, 2027):
        not_holidays = [d for d in statutory_holidays(year) if chinese_calendar.is_workday(d)]
        assert not_holidays == [], year
    assert len(statutory_holidays(2026)) == 13 and len(statutory_holidays(2024)) == 11  # 除夕 and 2 May from 2025


def test_an_office_entered_year_replaces_the_fallback():
    CalendarYear.objects.create(year=2027)
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    assert calendar_known(2027)
    assert due(at(2026, 12, 31, 9), 2, "days") == (at(2027, 1, 5, 9), frozenset())


def test_an_office_entry_overrides_the_package():
    CalendarDay.objects.create(date=dt.date(2026, 12, 1), kind=DayKind.HOLIDAY, name="临时调整")
    assert is_workday(dt.date(2026, 12, 1)) == (False, True)


def test_working_hours_count_office_hours_only():
    assert due(at(2026, 11, 27, 17), 2, "hours")[0] == at(2026, 11, 30, 10)  # Fri 17:00 → Mon 10:00
    assert due(at(2026, 11, 30, 11, 30), 1, "hours")[0] == at(2026, 11, 30, 14)  # across lunch
    assert due(at(2026, 11, 30, 20), 1, "hours")[0] == at(2026, 12, 1, 9, 30)  # reported at night


def test_minutes_are_natural_time():
    assert due(at(2026, 10, 1, 23, 50), 30, "minutes")[0] == at(2026, 10, 2, 0, 20)


def test_deadlines_are_returned_in_utc():
    assert add_working_time(at(2026, 11, 30, 9), 1, "hours").at.tzinfo == dt.UTC


def test_far_future_dates_never_fail():
    when, missing = due(at(2031, 5, 5, 9), 3, "days")
    assert when.date() == dt.date(2031, 5, 8) and missing == {2031}


starts = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2026, 12, 20)).map(
    lambda d: d.replace(tzinfo=SH))


@settings(max_examples=80, deadline=None)
@given(start=starts, amount=st.integers(0, 20), unit=st.sampled_from(["days", "hours"]))
def test_the_working_time_between_start_and_deadline_is_the_amount(start, amount, unit):
    deadline = add_working_time(start, amount, unit).at
    assert deadline >= start
    assert working_time_between(start, deadline, unit) == pytest.approx(amount, abs=1e-6)


@settings(max_examples=50, deadline=None)
@given(start=starts, a=st.integers(0, 15), b=st.integers(0, 15))
def test_more_working_time_never_ends_earlier(start, a, b):
    lo, hi = sorted((a, b))
    assert add_working_time(start, lo, "days").at <= add_working_time(start, hi, "days").at


def test_the_calendar_imports_from_excel():
    data = excel.write(COLUMNS, [("2027-01-01", "休", "元旦"), (dt.date(2027, 2, 7), "班", "春节调休")])
    result = import_calendar(io.BytesIO(data), 2027)
    assert result.problems == [] and result.days == 2
    assert is_workday(dt.date(2027, 2, 7)) == (True, True)  # a Sunday worked
    assert is_workday(dt.date(2027, 1, 1)) == (False, True)


def test_a_bad_calendar_row_is_reported_and_nothing_imported():
    data = excel.write(COLUMNS, [("2027-01-01", "休", "元旦"), ("2026-05-01", "休", ""), ("2027-13-01", "歇", "")])
    result = import_calendar(io.BytesIO(data), 2027)
    assert [(p.row, p.column) for p in result.problems] == [(4, "日期"), (4, "类型"), (3, "日期")]
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()


def test_an_entry_made_in_another_process_reaches_this_one_within_the_check_interval(settings):
    """Issue 14: the office's entry reaches every running process at once, not up to 60 s later. Rows written
    without this process's signals stand for another process's write."""
    settings.WORKCAL_VERSION_CHECK_SECONDS = 0
    day = dt.date(2026, 12, 1)
    assert is_workday(day) == (True, True)
    CalendarDay.objects.bulk_create([CalendarDay(date=day, kind=DayKind.HOLIDAY, name="临时调整")])  # no signals
    assert is_workday(day) == (False, True)
    CalendarDay.objects.filter(date=day).delete()  # a delete is seen too (signals forget here; the count moved)
    assert is_workday(day) == (True, True)
