"""The closed loop through the services: states, events, roles, scope, deadlines, conflicts."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from civicgrid.cases import services
from civicgrid.cases.choices import State
from civicgrid.cases.models import Case, CaseEvent, Notification
from civicgrid.cases.photos import store_photo
from civicgrid.cases.services import CaseConflict, perform, report_case
from civicgrid.cases.tests.conftest import SH, jpeg, upload
from civicgrid.cases.workflow import replay

pytestmark = pytest.mark.django_db


def report(world, who="gridworker", **kwargs):
    lng, lat = kwargs.pop("point", world["point"])
    defaults = {"case_class": world["garbage"], "description": "路边暴露垃圾约2平方米", "lng": lng, "lat": lat}
    return report_case(world["users"][who], **{**defaults, **kwargs}).case


def after_photo(world, who="handler"):
    return store_photo(upload(jpeg((30, 200, 30), pattern=1)), world["users"][who])


def dispatched_at(world, case, *when):
    """File the case, then dispatch it at local time `when` (year, month, day, hour[, minute])."""
    perform(world["users"]["shift_leader"], case.number, "file")
    with time_machine.travel(dt.datetime(*when, tzinfo=SH), tick=False):
        return perform(world["users"]["dispatcher"], case.number, "dispatch")


def run_to_handled(world, case):
    u = world["users"]
    perform(u["shift_leader"], case.number, "file")
    perform(u["dispatcher"], case.number, "dispatch")
    return perform(u["handler"], case.number, "handle", photos=[after_photo(world)], note="已清理")


def test_the_whole_loop_from_report_to_closure(world):
    u = world["users"]
    case = report(world)
    assert case.state == State.REPORTED and case.number.startswith("210112-")
    assert case.region_code == "210112001001001" and case.area_class == "A"
    filed = perform(u["shift_leader"], case.number, "file")
    assert filed.responsible_unit == world["department"]
    assert "按类别责任部门" in filed.routing_note
    dispatched = perform(u["dispatcher"], case.number, "dispatch")
    assert dispatched.state == State.HANDLING and dispatched.handle_due > dispatched.dispatched_at
    handled = perform(u["handler"], case.number, "handle", photos=[after_photo(world)], note="已清理")
    assert handled.state == State.HANDLED
    perform(u["inspector"], case.number, "check_pass")
    closed = perform(u["shift_leader"], case.number, "close")
    assert closed.state == State.CLOSED and closed.close_type == "normal"
    events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
    assert [e.action for e in events] == ["report", "file", "dispatch", "handle", "check_pass", "close"]
    assert [e.seq for e in events] == [1, 2, 3, 4, 5, 6] and closed.version == 6
    assert events[3].actor == u["handler"] and events[3].note == "已清理"
    assert events[3].photos.get().role == "after"
    assert replay(events, needs_verification=False) == State.CLOSED


def test_a_failed_check_sends_the_case_back_to_the_same_unit_and_counts(world):
    u = world["users"]
    case = run_to_handled(world, report(world))
    reworked = perform(u["inspector"], case.number, "check_fail", note="仍有垃圾")
    assert reworked.state == State.HANDLING and reworked.rework_count == 1
    assert reworked.responsible_unit == world["department"]


def test_public_reports_are_verified_on_site_before_filing(world):
    u = world["users"]
    case = report(world, who="public")
    assert case.source == "public_report"  # a citizen's account reports as the public
    with pytest.raises(CaseConflict):
        perform(u["shift_leader"], case.number, "file")
    perform(u["inspector"], case.number, "verify")
    assert perform(u["shift_leader"], case.number, "file").state == State.FILED


def test_roles_are_enforced(world):
    u = world["users"]
    case = report(world)
    with pytest.raises(PermissionDenied):
        perform(u["dispatcher"], case.number, "file")
    with pytest.raises(PermissionDenied):
        perform(u["community"], case.number, "file")
    assert Case.objects.get(pk=case.pk).state == State.REPORTED
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_a_department_only_reaches_cases_routed_to_it(world):
    u = world["users"]
    case = report(world)
    perform(u["shift_leader"], case.number, "file")
    perform(u["dispatcher"], case.number, "dispatch")
    with pytest.raises(Http404):
        perform(u["other_handler"], case.number, "handle", photos=[after_photo(world, "other_handler")])
    assert services.available_actions(u["handler"], Case.objects.get(pk=case.pk)) == [
        "return", "request_extension", "handle"]


def test_a_community_worker_never_sees_another_communitys_case(world):
    u = world["users"]
    far = report(world, point=world["far_point"])
    assert not Case.objects.restrict(u["community"]).filter(pk=far.pk).exists()
    assert Case.objects.restrict(u["other_community"]).filter(pk=far.pk).exists()
    with pytest.raises(Http404):
        perform(u["community"], far.number, "file")


def test_public_users_see_only_their_own_reports(world):
    u = world["users"]
    mine = report(world, who="public")
    report(world)
    assert list(Case.objects.restrict(u["public"])) == [mine]


def test_an_action_from_the_wrong_state_is_a_conflict_that_says_the_state(world):
    u = world["users"]
    case = report(world)
    with pytest.raises(CaseConflict) as caught:
        perform(u["inspector"], case.number, "check_pass")
    assert caught.value.payload()["state"] == "reported"


def test_handling_needs_an_after_photo(world):
    u = world["users"]
    case = report(world)
    perform(u["shift_leader"], case.number, "file")
    perform(u["dispatcher"], case.number, "dispatch")
    with pytest.raises(ValidationError) as caught:
        perform(u["handler"], case.number, "handle")
    assert "photos" in caught.value.message_dict
    assert Case.objects.get(pk=case.pk).state == State.HANDLING


def test_actions_that_need_a_reason_refuse_without_one(world):
    case = report(world)
    with pytest.raises(ValidationError) as caught:
        perform(world["users"]["shift_leader"], case.number, "reject")
    assert "note" in caught.value.message_dict


def test_return_and_redispatch_to_another_unit(world):
    u = world["users"]
    case = report(world)
    perform(u["shift_leader"], case.number, "file")
    perform(u["dispatcher"], case.number, "dispatch")
    returned = perform(u["handler"], case.number, "return", note="不属于我单位")
    assert returned.state == State.RETURNED and returned.return_count == 1
    redispatched = perform(u["dispatcher"], case.number, "dispatch", unit=world["other_department"])
    assert redispatched.responsible_unit == world["other_department"]
    assert "派遣员指定" in redispatched.routing_note


def test_extension_moves_the_deadline_by_the_requested_working_time(world):
    u = world["users"]
    case = report(world)
    perform(u["shift_leader"], case.number, "file")
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, 0, tzinfo=SH), tick=False):
        case = perform(u["dispatcher"], case.number, "dispatch")
        assert case.handle_due.astimezone(SH) == dt.datetime(2026, 11, 30, 14, 30, tzinfo=SH)  # 4 working hours
        perform(u["handler"], case.number, "request_extension", amount=2, note="需调用车辆")
        case = perform(u["dispatcher"], case.number, "approve_extension")
    assert case.state == State.HANDLING and case.extension_count == 1
    assert case.handle_due.astimezone(SH) == dt.datetime(2026, 11, 30, 16, 30, tzinfo=SH)


def test_parking_stops_the_clock_and_resuming_restarts_it(world):
    u = world["users"]
    case = report(world)
    dispatched_at(world, case, 2026, 11, 30, 9)  # due 14:30, 4 working hours
    with time_machine.travel(dt.datetime(2026, 11, 30, 10, 0, tzinfo=SH), tick=False):
        parked = perform(u["dispatcher"], case.number, "park", note="需协调产权单位")
    assert parked.parked_remaining == pytest.approx(3.0)
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=SH), tick=False):
        resumed = perform(u["dispatcher"], case.number, "resume")
    # three working hours were left; from 09:00 they run out at noon
    assert resumed.handle_due.astimezone(SH) == dt.datetime(2026, 12, 2, 12, 0, tzinfo=SH)


def test_a_deadline_in_a_year_without_calendar_data_warns(world):
    case = dispatched_at(world, report(world), 2026, 12, 31, 16)
    assert "2027" in case.calendar_warning and "暂定" in case.calendar_warning


def test_entering_the_years_official_schedule_recomputes_provisional_deadlines(world, django_capture_on_commit_callbacks):
    """Issue 14: when the office enters 2027, open cases whose deadlines were provisional get the deadline the
    official calendar yields; an event records old and new, and the office is told."""
    from civicgrid.cases.models import CaseEvent, Notification
    from civicgrid.workcal.models import CalendarDay, CalendarYear, DayKind

    case = dispatched_at(world, report(world), 2026, 12, 31, 16)
    old = case.handle_due
    assert old.astimezone(SH).date() >= dt.date(2027, 1, 4)  # 1 January is 元旦 even before the notice
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=dt.date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
        CalendarDay.objects.create(date=dt.date(2027, 1, 4), kind=DayKind.HOLIDAY, name="元旦（补休）")
        CalendarYear.objects.create(year=2027)
    case.refresh_from_db()
    assert case.handle_due > old and case.calendar_warning == ""
    event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert event.action == "deadline" and event.data == {"old": old.isoformat(), "new": case.handle_due.isoformat()}
    assert event.from_state == event.to_state == case.state
    office_notice = Notification.objects.get(case=case, kind="deadline_recomputed", user=world["users"]["admin"])
    assert "2027" in office_notice.message
    # The history still replays through the state machine.
    from civicgrid.cases.services import needs_verification
    from civicgrid.cases.workflow import replay

    assert replay(list(case.events.order_by("seq")), needs_verification(case)) == case.state


def test_closing_late_is_an_overdue_closure(world):
    u = world["users"]
    case = report(world)
    dispatched_at(world, case, 2026, 11, 30, 9)
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=SH), tick=False):
        assert Case.objects.overdue().filter(pk=case.pk).exists()
        perform(u["handler"], case.number, "handle", photos=[after_photo(world)])
        perform(u["inspector"], case.number, "check_pass")
        closed = perform(u["shift_leader"], case.number, "close")
    assert closed.close_type == "overdue"


def test_duplicates_nearby_are_offered_and_can_be_merged(world):
    u = world["users"]
    original = report(world)
    lng, lat = world["point"]
    result = report_case(u["gridworker"], case_class=world["garbage"], description="同一处垃圾",
                         lng=lng + 0.0002, lat=lat)  # about 17 m away
    assert result.possible_duplicates == [original]
    far = report_case(u["gridworker"], case_class=world["garbage"], description="远处", lng=lng + 0.002, lat=lat)
    assert far.possible_duplicates == []
    merged = perform(u["acceptor"], result.case.number, "merge", target=original)
    assert merged.state == State.MERGED and merged.merged_into == original
    assert list(original.duplicates.all()) == [merged]


def test_the_escalation_tick_notifies_the_contracted_leader_once(world, django_capture_on_commit_callbacks):
    u = world["users"]
    case = report(world)
    perform(u["shift_leader"], case.number, "file")
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, 0, tzinfo=SH), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        perform(u["dispatcher"], case.number, "dispatch")
    with time_machine.travel(dt.datetime(2026, 11, 30, 13, 45, tzinfo=SH), tick=False):
        assert services.tick().due_soon == 1  # past 80 % of four working hours
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=SH), tick=False):
        first = services.tick()
        second = services.tick()
    assert (first.escalated, second.escalated) == (1, 0)
    assert Notification.objects.filter(user=u["leader"], case=case, kind="overdue").count() == 1
    assert Notification.objects.filter(user=u["handler"], kind="due_soon").count() == 1
    assert Notification.objects.filter(user=u["handler"], kind="dispatched").count() == 1


def test_reporting_outside_the_district_is_a_clear_error(world):
    with pytest.raises(ValidationError) as caught:
        report(world, point=(100.0, 30.0))
    assert "lat" in caught.value.message_dict


def test_case_events_are_append_only(world):
    event = CaseEvent.objects.get(case=report(world))
    event.note = "改写"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_case_numbers_run_per_day(world):
    first, second = report(world), report(world)
    assert int(second.number[-5:]) == int(first.number[-5:]) + 1


def test_the_tick_command_runs_the_job(world, capsys):
    from django.core.management import call_command

    call_command("tick")
    assert capsys.readouterr().out.strip() == "due soon: 0, escalated: 0"


def test_the_periodic_runner_runs_commands_until_stopped(world):
    import time

    from civicgrid.core import periodic

    calls = []
    original = periodic.call_command
    periodic.call_command = lambda name, **kw: calls.append(name)
    try:
        stop = periodic.start(["tick"], 0.01)
        time.sleep(0.2)
        stop.set()
    finally:
        periodic.call_command = original
    assert calls and set(calls) == {"tick"}


def test_subtree_queries_by_level_columns_match_the_code_prefix(world):
    cases = [report(world), report(world, point=world["far_point"])]
    for code in ["210112", "210112001", "210112001001", "210112001001001", "210112002001", "2101120"]:
        expected = {c.pk for c in cases if c.region_code.startswith(code)}
        assert set(Case.objects.within(code).values_list("pk", flat=True)) == expected, code
    assert cases[0].street_code == "210112001" and cases[0].community_code == "210112001001"
    street_user_cases = Case.objects.restrict(world["users"]["community"])
    assert "community_code" in str(street_user_cases.query) and list(street_user_cases) == [cases[0]]


def test_an_extension_moves_the_due_soon_point_and_warns_again(world):
    u = world["users"]
    case = report(world)
    dispatched_at(world, case, 2026, 11, 30, 9)  # four working hours: due 14:30, due soon from 13:42
    with time_machine.travel(dt.datetime(2026, 11, 30, 13, 45, tzinfo=SH), tick=False):
        assert services.tick().due_soon == 1
        perform(u["handler"], case.number, "request_extension", amount=2, note="需调用车辆")
        case = perform(u["dispatcher"], case.number, "approve_extension")
    # six working hours from 09:00 end at 16:30; 80 % of them (4.8 h) at 15:18
    assert case.handle_due.astimezone(SH) == dt.datetime(2026, 11, 30, 16, 30, tzinfo=SH)
    assert case.handle_warn_at.astimezone(SH) == dt.datetime(2026, 11, 30, 15, 18, tzinfo=SH)
    assert not case.is_due_soon
    with time_machine.travel(dt.datetime(2026, 11, 30, 15, 20, tzinfo=SH), tick=False):
        assert services.tick().due_soon == 1  # warned again for the new deadline


def test_the_tick_looks_up_each_streets_leader_once(world, django_assert_max_num_queries):
    cases = [report(world) for _ in range(5)]
    for case in cases:
        dispatched_at(world, case, 2026, 11, 30, 9)
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=SH), tick=False):
        Case.objects.update(due_soon_notified_at=dt.datetime(2026, 11, 30, tzinfo=SH))
        # list, leader once; per case: claim, the in-app row, the preference lookup and the delivery record
        with django_assert_max_num_queries(2 + 4 * 5 + 2):
            assert services.tick().escalated == 5


def test_a_case_becomes_due_to_close_at_its_first_handling_or_its_deadline(world):
    """应结案: the first time disposal is finished, or the deadline if it passes first; a rework does not move it."""
    u = world["users"]
    case = dispatched_at(world, report(world), 2026, 3, 2, 9)
    assert case.due_at == case.handle_due  # not handled yet: due at the deadline
    with time_machine.travel(case.handle_due - dt.timedelta(hours=1), tick=False):
        handled = perform(u["handler"], case.number, "handle", photos=[after_photo(world)])
    assert handled.due_at == handled.handled_at < handled.handle_due
    first = handled.due_at
    perform(u["inspector"], case.number, "check_fail", note="仍有垃圾")
    with time_machine.travel(case.handle_due + dt.timedelta(days=3), tick=False):
        again = perform(u["handler"], case.number, "handle", photos=[after_photo(world)])
    assert again.handled_at > again.handle_due and again.due_at == first
    # A second rework neither: the handling that counts is the first (a later one overwrites handled_at).
    perform(u["inspector"], case.number, "check_fail", note="仍未清理干净")
    with time_machine.travel(case.handle_due + dt.timedelta(days=9), tick=False):
        third = perform(u["handler"], case.number, "handle", photos=[after_photo(world)])
    assert third.due_at == first == third.first_handled_at and third.handled_at > again.handled_at
