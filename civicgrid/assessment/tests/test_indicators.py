"""Indicators against hand-computed fixtures, scoring schemes, fair ranking, scope and the cases behind a figure."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from civicgrid.assessment import scoring, services
from civicgrid.assessment.models import SchemeChoice, ScoringScheme
from civicgrid.cases.models import Case, CaseClass
from civicgrid.cases.tests.conftest import world  # noqa: F401  (fixture)
from civicgrid.organizations.choices import Role, UnitKind
from civicgrid.territory.models import Region
from testsupport import grid_center, make_unit, make_user

SH = ZoneInfo("Asia/Shanghai")
NOV = dt.date(2026, 11, 1), dt.date(2026, 11, 30)


def at(day: int, hour: int = 10, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=SH)


class Factory:
    def __init__(self, district):
        self.department = make_unit("DEPT-HW", UnitKind.DEPARTMENT)
        self.garbage = CaseClass.objects.get(code="E0102")
        self.n = 0
        self.rows = []

    def case(self, grid="210112001001001", *, state="closed", due=None, handled=None, deadline=None,
             close_type="normal", rework=0, extended=0, returned=0, closed=None, source="inspector_patrol"):
        self.n += 1
        due = due or at(10)
        filed, file_due, reported = at(1), at(1, 11), at(1, 9)
        lng, lat = grid_center(grid)
        case = Case(number=f"T-{self.n:06d}", source=source, case_class=self.garbage, description="x", lng=lng,
                    lat=lat, state=state, reported_at=reported, filed_at=filed, file_due=file_due,
                    dispatched_at=filed, handle_due=deadline or due, handled_at=handled, first_handled_at=handled, due_at=due,
                    closed_at=closed or (due + dt.timedelta(days=1) if state == "closed" else None),
                    close_type=close_type if state == "closed" else "", rework_count=rework,
                    extension_count=extended, return_count=returned, responsible_unit=self.department)
        case.set_region(grid)
        self.rows.append(case)

    def save(self):
        Case.objects.bulk_create(self.rows)


@pytest.fixture
def month(district):
    """The published city month (domain.md §2): 972 due, 911 closed, 737 of them on time; plus cases that must
    not count (parked, due in October, due in December)."""
    f = Factory(district)
    for n in range(737):
        f.case(due=at(1 + n % 28), handled=at(1 + n % 28), deadline=at(2 + n % 28))
    for n in range(174):  # closed late: the deadline came first
        f.case(due=at(1 + n % 28), handled=at(2 + n % 28), deadline=at(1 + n % 28), close_type="overdue",
               rework=1 if n < 40 else 0)
    for n in range(41):  # handled, not yet checked and closed
        f.case(state="handled", due=at(3 + n % 20), handled=at(3 + n % 20), deadline=at(5 + n % 20))
    for n in range(20):  # overdue, still being handled
        f.case(state="handling", due=at(5 + n % 20), deadline=at(5 + n % 20), extended=1 if n < 5 else 0)
    for _ in range(15):  # parked: left out
        f.case(state="parked", due=at(6), deadline=at(6))
    f.case(due=at(20, month=10), handled=at(20, month=10), deadline=at(21, month=10))
    f.case(state="handling", due=at(2, month=12), deadline=at(2, month=12))
    f.save()
    return f


def figures(user, level="street", scheme=None):
    return {u["unit"]["code"]: u for u in services.compute(user, level, *NOV, scheme)["units"]}


def test_the_published_month(month):
    admin = make_user("admin", Role.ADMIN)
    street = figures(admin)["210112001"]["indicators"]
    assert street["closure_rate"] | {"cases": None} == {"value": 0.9372, "numerator": 911, "denominator": 972,
                                                         "cases": None}
    assert (street["on_time_closure_rate"]["value"], street["on_time_closure_rate"]["numerator"]) == (0.7582, 737)
    assert street["disposal_rate"]["numerator"] == 737 + 174 + 41
    assert street["on_time_disposal_rate"]["numerator"] == 737 + 41
    assert street["overdue_pending_rate"]["numerator"] == 20
    assert street["rework_rate"]["numerator"] == 40 and street["extension_rate"]["numerator"] == 5
    assert figures(admin)["210112002"]["indicators"]["closure_rate"]["value"] is None  # nothing due there


def test_the_cases_behind_a_figure(month, client):
    admin = make_user("admin", Role.ADMIN)
    link = figures(admin)["210112001"]["indicators"]["on_time_closure_rate"]["cases"]
    api = APIClient()
    api.force_authenticate(admin)
    assert api.get(link.replace("/cases/", "/api/v1/cases/")).json()["count"] == 972
    assert api.get(link.replace("/cases/", "/api/v1/cases/") + "&part=numerator").json()["count"] == 737
    client.force_login(admin)
    assert "共 972 件" in client.get(link).content.decode()


def test_departments_and_the_api_contract(month):
    admin = make_user("admin", Role.ADMIN)
    api = APIClient()
    api.force_authenticate(admin)
    answer = api.get("/api/v1/indicators/?level=department&start=2026-11-01&end=2026-11-30")
    assert answer.status_code == 200
    unit = next(u for u in answer.json()["units"] if u["unit"]["code"] == "DEPT-HW")
    assert set(unit["indicators"]) == {
        "closure_rate", "on_time_closure_rate", "disposal_rate", "on_time_disposal_rate", "rework_rate",
        "overdue_pending_rate", "extension_rate", "accurate_dispatch_rate", "on_time_filing_rate",
        "accurate_filing_rate", "valid_report_rate", "satisfaction_rate", "inspection_score_rate"}
    assert unit["indicators"]["closure_rate"]["value"] == 0.9372
    assert {"score", "grade", "rank"} <= set(unit)
    assert api.get("/api/v1/indicators/?level=planet&start=2026-11-01&end=2026-11-30").status_code == 400


def test_a_street_sees_only_its_own_indicators(month):
    street = make_user("street", Role.STREET_STAFF, region=Region.objects.get(code="210112002"))
    result = figures(street)
    assert list(result) == ["210112002"]
    api = APIClient()
    api.force_authenticate(street)
    behind = api.get("/api/v1/cases/?indicator=closure_rate&start=2026-11-01&end=2026-11-30&region=210112001")
    assert behind.json()["count"] == 0  # never another street's cases


@pytest.mark.django_db
def test_chengdu_and_jinhua_scores_and_grades():
    values = {"disposal_rate": 0.95, "on_time_disposal_rate": 0.80, "rework_rate": 0.04, "overdue_pending_rate": 0.02,
              "extension_rate": 0.10, "on_time_closure_rate": 0.7582, "closure_rate": 0.9372}
    chengdu = ScoringScheme.objects.get(slug="chengdu").config
    # 0.95×30 + 0.80×20 + 0.96×20 + 0.98×20 + 0.90×10 = 28.5 + 16 + 19.2 + 19.6 + 9 = 92.3
    assert scoring.score(chengdu, values) == 92.3 and scoring.grade(chengdu, 92.3) == "A"
    jinhua = ScoringScheme.objects.get(slug="jinhua").config
    # 50 (75.82 % ≥ 70 %) + 20 (93.72 % ≥ 90 %) + 15 − 10 (80 % is 10 points below 90 %) + 15 (4 % ≤ 5 %) = 90
    assert scoring.score(jinhua, values) == 90.0
    # Supervision findings: 2 by the city, one not fixed in time and one found again: 2×0.3 + 1 + 2 = 3.6
    assert scoring.score(chengdu, values, {"city": {"problems": 2, "late": 1, "again": 1}}) == 88.7
    assert scoring.grade(chengdu, 88.7) == "B" and scoring.grade(chengdu, 39.99) == "E"


def test_missing_indicators_do_not_punish():
    config = {"kind": "weighted", "terms": [{"indicator": "a", "weight": 60}, {"indicator": "b", "weight": 40}]}
    assert scoring.score(config, {"a": 0.5, "b": None}) == 50.0
    assert scoring.score(config, {"a": None, "b": None}) is None


def test_ranking_shares_ties_and_leaves_small_units_unranked():
    entries = [{"score": 95.0, "cases": 3}, {"score": 90.0, "cases": 50}, {"score": 88.0, "cases": 40},
               {"score": 90.0, "cases": 31}, {"score": None, "cases": 0}, {"score": 70.0, "cases": 30}]
    scoring.rank(entries, min_cases=30)
    assert [e["rank"] for e in entries] == [None, 1, 3, 1, None, 4]


def test_the_office_picks_the_scheme_for_a_period(month):
    admin = make_user("admin", Role.ADMIN)
    assert services.compute(admin, "street", *NOV)["scheme"]["slug"] == "chengdu"
    SchemeChoice.objects.create(scheme=ScoringScheme.objects.get(slug="jinhua"), starts_on=dt.date(2026, 11, 1),
                                ends_on=dt.date(2026, 11, 30))
    assert services.compute(admin, "street", *NOV)["scheme"]["slug"] == "jinhua"
    assert services.compute(admin, "street", *NOV, "chengdu")["scheme"]["slug"] == "chengdu"


def test_results_follow_new_cases_despite_the_cache(month):
    from civicgrid.cases.services import report_case

    admin = make_user("admin", Role.ADMIN)
    before = figures(admin)["210112001"]["indicators"]["valid_report_rate"]["denominator"]
    with time_machine.travel(at(15), tick=False):
        report_case(admin, case_class=month.garbage, description="新问题", lng=grid_center("210112001001001")[0],
                    lat=grid_center("210112001001001")[1])
    assert figures(admin)["210112001"]["indicators"]["valid_report_rate"]["denominator"] == before + 1


def test_normalising_by_workload_scales_supervision_deductions():
    config = {"kind": "weighted", "terms": [{"indicator": "a", "weight": 100}],
              "deductions": {"city": {"per_problem": 1}}}
    findings = {"city": {"problems": 4}}
    assert scoring.score(config, {"a": 0.9}, findings) == 86.0
    assert scoring.score(config, {"a": 0.9}, findings, workload_factor=0.5) == 88.0  # twice the average load


def test_the_workload_factor_per_street(month):
    from civicgrid.assessment.services import _workload

    rows = {"210112001": {"closure_rate__d": 80}, "210112002": {"closure_rate__d": 20}}
    units = {"210112001": ("210112001", "一"), "210112002": ("210112002", "二")}
    factors = _workload("grids", "street", units, rows)  # 4 grids each: 20 and 5 cases per grid, average 12.5
    assert factors == {"210112001": 0.625, "210112002": 2.0}
    assert _workload(None, "street", units, rows) == {}


def test_bonuses_for_demolitions_are_capped():
    config = {"kind": "weighted", "terms": [{"indicator": "a", "weight": 100}],
              "bonuses": {"demolished": 5, "large_demolitions": 2, "cap": 10}}
    assert scoring.score(config, {"a": 0.8}, achievements={"demolished": 1, "large_demolitions": 1}) == 87.0
    assert scoring.score(config, {"a": 0.8}, achievements={"demolished": 40}) == 90.0
    assert scoring.score(config, {"a": 0.95}, achievements={"demolished": 2}) == 100.0  # never above 100


def test_a_street_is_credited_for_demolitions_in_its_works_ledger(month):
    from decimal import Decimal

    from civicgrid.ledgers.models import Operation, Quantity, WorkKind

    operation = Operation.objects.create(date=dt.date(2026, 11, 12), title="拆违", kind="joint_enforcement",
                                         region_code="210112001")
    for slug, amount in (("demolished", 3), ("demolished_area", 450)):
        Quantity.objects.create(operation=operation, kind=WorkKind.objects.get(slug=slug), amount=Decimal(amount))
    admin = make_user("admin", Role.ADMIN)
    street = figures(admin)["210112001"]
    assert street["achievements"] == {"demolished": 3.0, "large_demolitions": 1}
    plain = ScoringScheme.objects.get(slug="chengdu")
    plain.config = {**plain.config, "bonuses": {}}
    plain.save()
    without = figures(admin)["210112001"]["score"]
    assert without < street["score"] == min(100.0, without + 10)  # 3 × 5 + 2 = 17 points, capped at 10


def test_a_periods_figures_hold_still_when_its_cases_change_later(world):  # noqa: F811
    """Issue 14: indicators are taken as of a cut-off (the period's end) from the events up to it — a June case
    reworked in July leaves June's figures as they were, and the answer says which cut-off it used."""
    from civicgrid.cases.services import perform
    from civicgrid.cases.tests.test_loop import after_photo, dispatched_at, report

    u = world["users"]
    case = dispatched_at(world, report(world), 2026, 6, 10, 9)
    with time_machine.travel(dt.datetime(2026, 6, 11, 10, tzinfo=SH), tick=False):
        perform(u["handler"], case.number, "handle", photos=[after_photo(world)])
    june = dt.date(2026, 6, 1), dt.date(2026, 6, 30)

    def street(result):
        return next(x for x in result["units"] if x["unit"]["code"] == "210112001")["indicators"]

    before = services.compute(u["admin"], "street", *june)
    assert before["cutoff"] == "2026-07-01T00:00:00+08:00"
    assert street(before)["rework_rate"]["numerator"] == 0 and street(before)["disposal_rate"]["numerator"] == 1
    with time_machine.travel(dt.datetime(2026, 7, 6, 10, tzinfo=SH), tick=False):
        perform(u["inspector"], case.number, "check_fail", note="复查仍有垃圾")  # a July rework
    after = services.compute(u["admin"], "street", *june)
    assert street(after)["rework_rate"] == street(before)["rework_rate"]
    assert street(after)["disposal_rate"] == street(before)["disposal_rate"]
    api = APIClient()
    api.force_authenticate(u["admin"])
    listed = api.get(street(after)["rework_rate"]["cases"].replace("/cases/", "/api/v1/cases/") + "&part=numerator")
    assert listed.status_code == 200 and listed.json()["count"] == 0
    july = services.compute(u["admin"], "street", dt.date(2026, 7, 1), dt.date(2026, 7, 31))
    assert july["cutoff"] == "2026-08-01T00:00:00+08:00"


def test_the_level_menu_names_levels_not_their_codes(client, django_user_model):
    """Issue 16: the Chinese session never shows internal values such as `street`."""
    from civicgrid.organizations.choices import Role
    from testsupport import make_user

    client.force_login(make_user("office-levels", Role.ADMIN))
    page = client.get("/assessment/").content.decode()
    assert '<option value="street" selected>街道</option>' in page and ">street<" not in page
    assert '<option value="post">岗位</option>' in page
