"""Undercover rounds: hidden from the inspected on every read path until the office publishes them;
publishing dispatches the round's cases at once and starts their deadlines then."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from civicgrid.cases.choices import State
from civicgrid.cases.models import Case, Notification
from civicgrid.inspections import coverage, planning, services
from civicgrid.inspections.models import Inspection
from civicgrid.inspections.tests.test_inspections import run

TODAY = timezone.localdate()
INSPECTED = ("market_staff", "street", "community", "leader", "inspector", "handler")
SEERS = ("admin", "assessor")


@pytest.fixture
def undercover(field):
    users = field["users"]
    round_ = services.create_round(users["admin"], name="第三方暗访第1轮", firm=field["firm"],
                                   standard=field["standard"], starts_on=TODAY - dt.timedelta(days=3),
                                   ends_on=TODAY + dt.timedelta(days=3))
    plan = planning.create_plan(users["admin"], name="暗访计划", kind="undercover", standard=field["standard"],
                                region_code="210112", starts_on=TODAY, round_=round_, recurrence="once",
                                selection="listed", places=[field["places"]["market"]])
    planning.generate_assignments(plan, TODAY, TODAY)
    outcome = run(users["assessor"], field["places"]["market"], {"NM01": 1, "NM04": 2}, kind="undercover",
                  round_=round_)
    return {**field, "round": round_, "outcome": outcome, "plan": plan}


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def visible(user, u):
    """What `user` sees of the round on every API read path."""
    inspection = u["outcome"].inspection
    case = u["outcome"].opened[0]
    client = api(user)
    start, end = (TODAY - dt.timedelta(days=1)).isoformat(), (TODAY + dt.timedelta(days=1)).isoformat()
    return {
        "inspections": client.get("/api/v1/inspections/").json()["count"],
        "inspection_detail": client.get(f"/api/v1/inspections/{inspection.uid}/").status_code,
        "by_round": client.get(f"/api/v1/inspections/?round={u['round'].pk}").json()["count"],
        "cases": client.get("/api/v1/cases/?source=undercover").json()["count"],
        "case_detail": client.get(f"/api/v1/cases/{case.number}/").status_code,
        "rounds": client.get("/api/v1/assessment-rounds/").json()["count"],
        "plans": client.get("/api/v1/plans/").json()["count"],
        "assignments": client.get("/api/v1/assignments/").json()["count"],
        "coverage": sum(r["inspected"] for r in client.get(
            f"/api/v1/coverage/?start={start}&end={end}").json()["by_point_type"]),
        "rollup": sum(r["inspections"] for r in client.get(
            f"/api/v1/inspection-rollups/?level=street&start={start}&end={end}").json()["rows"]),
        "open311": APIClient().get("/open311/v2/requests.json").json(),
        "notifications": Notification.objects.filter(user=user, case__in=u["outcome"].opened).count(),
    }


def test_nothing_of_an_unpublished_round_reaches_the_inspected(undercover):
    for name in INSPECTED:
        seen = visible(undercover["users"][name], undercover)
        assert seen["inspections"] == 0 and seen["inspection_detail"] == 404 and seen["by_round"] == 0, name
        assert seen["cases"] == 0 and seen["case_detail"] == 404, name
        assert seen["rounds"] == seen["plans"] == seen["assignments"] == 0, name
        assert seen["coverage"] == 0 and seen["rollup"] == 0, name
        assert seen["notifications"] == 0, name
    assert all(r.get("service_request_id") not in {c.number for c in undercover["outcome"].opened}
               for r in seen["open311"] if isinstance(r, dict))
    for name in SEERS:
        seen = visible(undercover["users"][name], undercover)
        assert seen["inspections"] == 1 and seen["cases"] == 2 and seen["rounds"] == 1 and seen["coverage"] == 1


def test_unpublished_findings_wait_undispatched(undercover):
    for case in undercover["outcome"].opened:
        case.refresh_from_db()
        assert case.embargoed and case.state == State.REPORTED and case.handle_due is None


def test_publishing_shows_the_round_and_dispatches_its_cases_now(undercover, django_capture_on_commit_callbacks):
    users = undercover["users"]
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.publish_round(users["admin"], undercover["round"])
    assert result.cases == 2 and result.inspections == 1
    for case in Case.objects.filter(pk__in=[c.pk for c in undercover["outcome"].opened]):
        assert not case.embargoed and case.state == State.HANDLING
        assert case.dispatched_at >= before and case.handle_due > case.dispatched_at
        assert [e.action for e in case.events.order_by("seq")] == ["report", "publish", "file", "dispatch"]
    seen = visible(users["market_staff"], undercover)
    assert seen["inspections"] == 1 and seen["inspection_detail"] == 200 and seen["cases"] == 2
    assert seen["rounds"] == 1 and seen["notifications"] == 2
    other = visible(users["other_market_staff"], undercover)  # published, but still another unit's market
    assert other["inspections"] == 0 and other["cases"] == 0


def test_only_the_office_publishes_and_only_once(undercover):
    from django.core.exceptions import PermissionDenied

    from civicgrid.core.exceptions import Conflict

    with pytest.raises(PermissionDenied):
        services.publish_round(undercover["users"]["assessor"], undercover["round"])
    response = api(undercover["users"]["admin"]).post(f"/api/v1/assessment-rounds/{undercover['round'].pk}/publish/")
    assert response.status_code == 200 and response.json()["cases"] == 2
    with pytest.raises(Conflict):
        services.publish_round(undercover["users"]["admin"], undercover["round"])
    assert api(undercover["users"]["admin"]).post(
        f"/api/v1/assessment-rounds/{undercover['round'].pk}/publish/").status_code == 409


def test_a_published_round_takes_no_new_inspections(undercover):
    from django.core.exceptions import ValidationError

    services.publish_round(undercover["users"]["admin"], undercover["round"])
    with pytest.raises(ValidationError):
        services.start_inspection(undercover["users"]["assessor"], place=undercover["places"]["market"],
                                  kind="undercover", round_=undercover["round"])


def test_round_findings_stand_apart_from_routine_findings(undercover):
    routine = run(undercover["users"]["inspector"], undercover["places"]["market"], {"NM01": 1})
    assert len(routine.opened) == 1 and routine.added == []  # not merged into the hidden undercover case
    assert Inspection.objects.restrict(undercover["users"]["market_staff"]).count() == 1


def test_coverage_and_place_results_hide_the_round(undercover):
    staff = undercover["users"]["market_staff"]
    report = coverage.coverage(staff, undercover["regions"]["210112"], TODAY, TODAY)
    assert sum(r["inspected"] for r in report.by_point_type) == 0
    results = coverage.place_results(staff, undercover["places"]["market"])
    assert results["latest"] is None and results["open_cases"] == []


def test_pages_hide_the_round(undercover, client):
    inspection = undercover["outcome"].inspection
    client.force_login(undercover["users"]["market_staff"])
    assert client.get(f"/inspections/{inspection.uid}/").status_code == 404
    page = client.get("/inspections/").content.decode()
    assert undercover["places"]["market"].name not in page
    export = client.get("/cases/export.xlsx")
    assert export.status_code == 200 and undercover["outcome"].opened[0].number.encode() not in export.content
    client.force_login(undercover["users"]["admin"])
    assert client.get(f"/inspections/{inspection.uid}/").status_code == 200


def test_the_photos_of_an_unpublished_round_are_hidden_from_the_inspected_until_publication(undercover):
    from django.test import Client

    photos = [p for r in undercover["outcome"].inspection.results.all() for p in r.photos.all()]
    assert photos

    def status(name, variant="thumb"):
        client = Client()
        client.force_login(undercover["users"][name])
        return {client.get(f"/photos/{p.uid}/{variant}/").status_code for p in photos}

    for name in INSPECTED:
        assert status(name) == {404}, name
    assert status("admin", "original") == {200}
    services.publish_round(undercover["users"]["admin"], undercover["round"])
    assert status("street", "original") == {200}  # the street may now see the inspection and its cases
