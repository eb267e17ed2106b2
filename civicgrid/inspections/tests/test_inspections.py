"""Running inspections through the services: scoring, one open case per place and item, rechecks."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from civicgrid.cases.choices import OPEN_STATES, Source, State
from civicgrid.cases.models import Case
from civicgrid.cases.workflow import replay
from civicgrid.inspections import services
from civicgrid.inspections.services import ResultEntry
from civicgrid.inspections.tests.conftest import photo_of


def run(user, place, failures: dict[str, int], kind="morning", **start):
    """Start, answer every item (failures: item code → findings, others pass) and submit."""
    inspection = services.start_inspection(user, place=place, kind=kind, **start)
    items = services.checklist(inspection.standard, inspection.point_type)
    entries = [ResultEntry(i.code, "fail", failures[i.code], "现场发现", [photo_of(user, n)])
               if i.code in failures else ResultEntry(i.code, "pass") for n, i in enumerate(items)]
    services.record_results(user, inspection, entries)
    return services.submit_inspection(user, inspection)


def test_score_follows_the_standard(field):
    market = field["places"]["market"]
    outcome = run(field["users"]["inspector"], market, {"NM01": 2, "NM04": 10})
    inspection = outcome.inspection
    # NM01: 15 − 2×3 = 9; NM04: 15 − min(15, 10×3) = 0; the rest pass: 100 − 15 − 15 = 70.
    assert inspection.score == Decimal("79.00") and inspection.max_score == Decimal("100.00")
    assert inspection.score_rate == pytest.approx(0.79)
    assert inspection.failed_items == 2 and not inspection.critical_failed
    assert {r.item.code: r.score for r in inspection.results.filter(outcome="fail")} == {
        "NM01": Decimal("9.00"), "NM04": Decimal("0.00")}


def test_each_failed_item_opens_a_case_routed_to_the_place_and_dispatched(field):
    market = field["places"]["market"]
    outcome = run(field["users"]["inspector"], market, {"NM01": 1, "NM07": 1})
    assert len(outcome.opened) == 2 and outcome.added == []
    case = Case.objects.get(place=market, finding_key="wmcs-local/farmers_market/NM07")
    assert case.state == State.HANDLING and case.source == Source.INSPECTION
    assert case.responsible_unit == field["market_operator"]
    assert case.case_class.code == "E0603" and case.criterion.case_class_id == case.case_class_id
    assert case.handle_due is not None and case.dispatched_at is not None
    assert [e.action for e in case.events.order_by("seq")] == ["report", "file", "dispatch"]
    assert replay(case.events.order_by("seq"), False) == State.HANDLING
    assert case.events.get(action="report").photos.count() == 1  # the inspection's photo is the "before"


def test_a_repeat_failure_adds_to_the_open_case_instead_of_opening_another(field):
    market = field["places"]["market"]
    first = run(field["users"]["inspector"], market, {"NM04": 1})
    second = run(field["users"]["leader"], market, {"NM04": 3, "NM05": 1}, kind="night")
    case = first.opened[0]
    assert [c.pk for c in second.added] == [case.pk]
    assert len(second.opened) == 1  # NM05 is new
    assert Case.objects.filter(place=market, finding_key__endswith="/NM04").count() == 1
    case.refresh_from_db()
    assert case.events.order_by("seq").last().action == "finding"
    assert replay(case.events.order_by("seq"), False) == State.HANDLING
    result = second.inspection.results.get(item__code="NM04")
    assert result.case == case and result.case_opened is False


def test_the_database_refuses_a_second_open_case_for_the_same_place_and_item(field):
    case = run(field["users"]["inspector"], field["places"]["market"], {"NM04": 1}).opened[0]
    twin = Case.objects.get(pk=case.pk)
    twin.pk, twin.number = None, case.number + "-X"
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_after_closure_the_same_item_opens_a_new_case(field):
    case = run(field["users"]["inspector"], field["places"]["market"], {"NM04": 1}).opened[0]
    Case.objects.filter(pk=case.pk).update(state=State.CLOSED)
    again = run(field["users"]["inspector"], field["places"]["market"], {"NM04": 1})
    assert len(again.opened) == 1 and again.opened[0].pk != case.pk


def test_a_failure_needs_findings_and_a_photo_and_every_item_an_answer(field):
    user = field["users"]["inspector"]
    inspection = services.start_inspection(user, place=field["places"]["market"], kind="morning")
    with pytest.raises(ValidationError) as error:
        services.record_results(user, inspection, [ResultEntry("NM01", "fail", 0), ResultEntry("ZZ99", "pass"),
                                                   ResultEntry("NM02", "pass", 2)])
    assert set(error.value.message_dict) == {"results[0].findings", "results[0].photo_ids", "results[1].item",
                                             "results[2].findings"}
    assert not inspection.results.exists()  # nothing half-written
    services.record_results(user, inspection, [ResultEntry("NM01", "pass")])
    with pytest.raises(ValidationError) as error:
        services.submit_inspection(user, inspection)
    assert "NM02" in str(error.value)


def test_submitting_twice_is_refused_and_changes_nothing(field):
    user = field["users"]["inspector"]
    outcome = run(user, field["places"]["market"], {"NM04": 1})
    with pytest.raises(services.InspectionConflict):
        services.submit_inspection(user, outcome.inspection)
    assert Case.objects.filter(place=field["places"]["market"]).count() == 1


def test_a_start_far_from_the_place_is_flagged(field, settings):
    market = field["places"]["market"]
    near = services.start_inspection(field["users"]["inspector"], place=market, kind="morning",
                                     lng=market.lng + 0.0005, lat=market.lat)
    far = services.start_inspection(field["users"]["inspector"], place=market, kind="morning",
                                    lng=market.lng + 0.01, lat=market.lat)
    assert near.distance_m == pytest.approx(42, abs=2) and not near.far_from_place
    assert far.distance_m > 800 and far.far_from_place
    settings.INSPECTION_MAX_DISTANCE_METERS = 2000
    assert not services.start_inspection(field["users"]["inspector"], place=market, kind="morning",
                                         lng=market.lng + 0.01, lat=market.lat).far_from_place


def test_who_may_inspect_what(field):
    users, places = field["users"], field["places"]
    with pytest.raises(PermissionDenied):  # another street's market
        services.start_inspection(users["street"], place=places["far_market"], kind="morning")
    with pytest.raises(PermissionDenied):  # the public does not inspect
        services.start_inspection(users["public"], place=places["market"], kind="morning")
    with pytest.raises(PermissionDenied):  # a self-check is the chief's own
        services.start_inspection(users["street"], place=places["shop"], kind="self_check")
    assert services.start_inspection(users["chief"], place=places["shop"], kind="self_check").pk
    round_ = services.create_round(users["admin"], name="一季度暗访", firm=field["firm"], standard=field["standard"],
                                   starts_on=dt.date(2026, 11, 1),
                                   ends_on=dt.date(2026, 11, 30))
    with pytest.raises(PermissionDenied):
        services.start_inspection(users["inspector"], place=places["market"], kind="undercover", round_=round_)
    with pytest.raises(ValidationError):
        services.start_inspection(users["assessor"], place=places["market"], kind="undercover")


def test_recheck_pass_closes_handled_cases_and_fail_sends_them_back(field):
    from civicgrid.cases.services import perform

    users, market = field["users"], field["places"]["market"]
    first = run(users["inspector"], market, {"NM04": 1, "NM05": 1})
    for case in first.opened:
        perform(users["market_staff"], case.number, "handle", photos=[photo_of(users["market_staff"], 3)])
    recheck = run(users["assessor"], market, {"NM05": 1}, kind="recheck", recheck_of=first.inspection)
    nm04 = Case.objects.get(place=market, finding_key__endswith="/NM04")
    nm05 = Case.objects.get(place=market, finding_key__endswith="/NM05")
    assert nm04.state == State.CLOSED and [c.pk for c in recheck.settled["closed"]] == [nm04.pk]
    assert nm05.state == State.HANDLING and nm05.rework_count == 1
    assert [e.action for e in nm04.events.order_by("seq")][-2:] == ["check_pass", "close"]
    assert recheck.opened == []  # the recheck does not duplicate the open case
    for case in (nm04, nm05):
        assert replay(case.events.order_by("seq"), False) == case.state


def test_recheck_only_by_office_or_assessor(field):
    first = run(field["users"]["inspector"], field["places"]["market"], {"NM04": 1})
    with pytest.raises(PermissionDenied):
        services.start_inspection(field["users"]["inspector"], place=field["places"]["market"], kind="recheck",
                                  recheck_of=first.inspection)


def test_open_cases_are_counted_once_per_place_and_item_across_kinds(field):
    market = field["places"]["market"]
    run(field["users"]["inspector"], market, {"NM04": 1})
    run(field["users"]["leader"], market, {"NM04": 1}, kind="night")
    run(field["users"]["admin"], market, {"NM04": 2}, kind="special")
    assert Case.objects.filter(place=market, state__in=OPEN_STATES).count() == 1
