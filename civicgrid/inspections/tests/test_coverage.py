"""Coverage figures against a hand-counted fixture."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from civicgrid.inspections import coverage, planning
from civicgrid.inspections.choices import InspectionKind
from civicgrid.inspections.tests.test_inspections import run
from civicgrid.organizations.models import Person
from civicgrid.organizations.services import contract
from civicgrid.workcal.calendar import tz

DAY = dt.date(2026, 11, 2)


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 10), tzinfo=tz())


@pytest.fixture
def month(field):
    """Hand count: street 001 has the market, the shop and the road; street 002 the far market.

    2 Nov: morning check of the market (grid …001001), night patrol of the road (grid …001002).
    3 Nov: morning check of the market again; 4 Nov: morning check of the far market (street 002).
    """
    users, places = field["users"], field["places"]
    with mock.patch("django.utils.timezone.now", return_value=at(DAY, 7)):
        run(users["inspector"], places["market"], {}, kind=InspectionKind.MORNING)
    with mock.patch("django.utils.timezone.now", return_value=at(DAY, 20)):
        run(users["inspector"], places["road"], {"ZG02": 1}, kind=InspectionKind.NIGHT)
    with mock.patch("django.utils.timezone.now", return_value=at(DAY + dt.timedelta(days=1), 7)):
        run(users["inspector"], places["market"], {}, kind=InspectionKind.MORNING)
    with mock.patch("django.utils.timezone.now", return_value=at(DAY + dt.timedelta(days=2), 8)):
        run(users["inspector"], places["far_market"], {}, kind=InspectionKind.MORNING)
    return field


def test_places_inspected_per_point_type(month):
    report = coverage.coverage(month["users"]["admin"], month["regions"]["210112"], DAY, DAY + dt.timedelta(days=3))
    figures = {r["point_type"]: (r["places"], r["inspected"]) for r in report.by_point_type}
    assert figures["farmers_market"] == (2, 2) and figures["main_road"] == (1, 1)
    assert figures["small_business"] == (1, 0) and figures["compound"] == (0, 0)


def test_uncovered_grids(month):
    report = coverage.coverage(month["users"]["admin"], month["regions"]["210112"], DAY, DAY + dt.timedelta(days=3))
    assert report.grids_total == 16 and report.grids_covered == 3
    assert "210112001001001" not in {g.code for g in report.uncovered_grids}
    only_first_day = coverage.coverage(month["users"]["admin"], month["regions"]["210112001"], DAY, DAY)
    assert only_first_day.grids_total == 8 and only_first_day.grids_covered == 2
    assert len(only_first_day.uncovered_geojson()["features"]) == 6


def test_morning_and_night_windows_per_street(month):
    report = coverage.coverage(month["users"]["admin"], month["regions"]["210112"], DAY, DAY + dt.timedelta(days=3))
    windows = {w["street"]: (w["days"], w["morning_days"], w["night_days"]) for w in report.windows}
    assert windows == {"210112001": (4, 2, 1), "210112002": (4, 1, 0)}


def test_a_street_sees_only_its_own_coverage(month):
    report = coverage.coverage(month["users"]["street"], month["regions"]["210112"], DAY, DAY + dt.timedelta(days=3))
    figures = {r["point_type"]: (r["places"], r["inspected"]) for r in report.by_point_type}
    assert figures["farmers_market"] == (1, 1)
    assert report.grids_total == 8 and [w["street"] for w in report.windows] == ["210112001"]


def test_missed_checks_of_contracted_leaders_and_chiefs_patrols(field):
    users, places = field["users"], field["places"]
    today = timezone.localdate()
    first = today - dt.timedelta(days=3)
    leader = Person.objects.get(name="包保领导")
    contract(target=field["regions"]["210112002"], person=Person.objects.create(name="二街包保领导"),
             starts_on=dt.date(2026, 1, 1))
    plan = planning.create_plan(users["admin"], name="晨检", kind="morning", standard=field["standard"],
                                region_code="210112", starts_on=first, ends_on=today - dt.timedelta(days=1),
                                contracted=True, point_types=[], selection="listed",
                                places=[places["market"], places["far_market"]])
    assert planning.generate_assignments(plan, first, today) == 6
    assert set(plan.assignments.values_list("assignee__name", flat=True)) == {"包保领导", "二街包保领导"}
    done = plan.assignments.filter(assignee=leader).order_by("day").first()
    with mock.patch("django.utils.timezone.now", return_value=done.window_start):
        run(users["admin"], places["market"], {}, kind="morning", assignment=done)
    patrol = planning.create_plan(users["admin"], name="店长巡查", kind="chief_patrol", standard=field["standard"],
                                  region_code="210112", starts_on=first, ends_on=today - dt.timedelta(days=1),
                                  selection="listed", places=[places["shop"]])
    assert planning.generate_assignments(patrol, first, today) == 3
    assert set(patrol.assignments.values_list("assignee", flat=True)) == {field["chief"].pk}
    report = coverage.coverage(users["admin"], field["regions"]["210112"], first, today)
    assert {m["who"]: (m["assigned"], m["done"], m["missed"]) for m in report.missed} == {
        "包保领导": (3, 1, 2), "二街包保领导": (3, 0, 3)}
    assert report.chief_patrols == [{"chief": "店长", "assigned": 3, "done": 0, "rate": 0.0}]


def test_coverage_exports_to_excel(month, client):


    client.force_login(month["users"]["admin"])
    response = client.get(f"/api/v1/coverage/export.xlsx?start={DAY}&end={DAY + dt.timedelta(days=3)}")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["点位覆盖", "未覆盖网格", "晨检夜查时段", "未按时检查", "五长巡查"]
    assert book["未覆盖网格"].max_row == 1 + 13
    page = client.get(f"/inspections/coverage/?start={DAY}&end={DAY + dt.timedelta(days=3)}")
    assert page.status_code == 200 and "已覆盖 3 / 16 个网格" in page.content.decode()


def test_rollups_by_street_and_point_type(month):
    admin = month["users"]["admin"]
    streets = coverage.rollup(admin, "street", DAY, DAY + dt.timedelta(days=3))
    assert [(r["key"], r["inspections"], r["places"], r["with_problems"], r["failed_items"]) for r in streets] == [
        ("210112001", 3, 2, 1, 1), ("210112002", 1, 1, 0, 0)]
    by_type = {r["key"]: r for r in coverage.rollup(admin, "point_type", DAY, DAY + dt.timedelta(days=3))}
    assert by_type["农贸市场"]["inspections"] == 3 and by_type["农贸市场"]["average_rate"] == 1.0
    assert by_type["主次干道/商业大街"]["average_rate"] == 0.97  # ZG02: 15 − 3
    communities = coverage.rollup(month["users"]["street"], "community", DAY, DAY + dt.timedelta(days=3))
    assert [r["key"] for r in communities] == ["210112001001"]  # the street's own only


def test_most_frequently_failed_items(month):
    run_at = at(DAY, 9)
    with mock.patch("django.utils.timezone.now", return_value=run_at):
        run(month["users"]["inspector"], month["places"]["road"], {"ZG02": 2, "ZG03": 1}, kind="special")
    failures = coverage.frequent_failures(month["users"]["admin"], DAY, DAY + dt.timedelta(days=3))
    assert [(f["item__code"], f["failures"], f["places"]) for f in failures] == [("ZG02", 2, 1), ("ZG03", 1, 1)]


def test_two_rounds_compared_per_point_type(field):
    from civicgrid.inspections import services

    users, places = field["users"], field["places"]
    rounds = [services.create_round(users["admin"], name=f"第{n}轮", firm=field["firm"], standard=field["standard"],
                                    starts_on=DAY, ends_on=DAY) for n in (1, 2)]
    run(users["assessor"], places["market"], {"NM01": 1}, kind="undercover", round_=rounds[0])
    run(users["assessor"], places["far_market"], {}, kind="undercover", round_=rounds[0])
    run(users["assessor"], places["market"], {}, kind="undercover", round_=rounds[1])
    table = coverage.compare_rounds(users["admin"], *rounds)
    assert table == [{"point_type": "农贸市场",
                      "first": {"points": 2, "with_problems": 1, "average_rate": 0.985},  # (97 % + 100 %) / 2
                      "second": {"points": 1, "with_problems": 0, "average_rate": 1.0}}]
    assert coverage.compare_rounds(users["market_staff"], *rounds) == []  # unpublished: nothing for the inspected


def test_active_plans_get_todays_and_tomorrows_assignments_once(field):
    from django.core.management import call_command

    today = timezone.localdate()
    planning.create_plan(field["users"]["admin"], name="市场夜查", kind="night", standard=field["standard"],
                         region_code="210112001", starts_on=today - dt.timedelta(days=10), selection="type_in_region",
                         point_types=[])
    ended = planning.create_plan(field["users"]["admin"], name="已结束", kind="night", standard=field["standard"],
                                 region_code="210112", starts_on=today - dt.timedelta(days=10),
                                 ends_on=today - dt.timedelta(days=1), selection="type_in_region", point_types=[])
    assert planning.generate_upcoming(1, today) == 2 * 3  # market, shop and road of street 001, two days
    call_command("plan_assignments", verbosity=0)
    assert planning.generate_upcoming(1, today) == 0 and not ended.assignments.exists()
