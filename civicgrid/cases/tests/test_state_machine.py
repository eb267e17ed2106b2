"""Random action sequences by random roles never reach an invalid state, and replaying the events
always gives the current state."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicgrid.cases.choices import State
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.cases.photos import store_photo
from civicgrid.cases.services import CaseConflict, perform, report_case
from civicgrid.cases.tests.conftest import jpeg, upload
from civicgrid.cases.workflow import ACTION_NAMES, TRANSITIONS, replay

pytestmark = pytest.mark.django_db
PERSONAS = ["admin", "gridworker", "inspector", "acceptor", "shift_leader", "dispatcher", "handler",
            "other_handler", "community", "public"]
step = st.tuples(st.sampled_from(PERSONAS), st.sampled_from(ACTION_NAMES), st.booleans())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=25), source=st.sampled_from(["inspector_patrol", "hotline_12345"]))
def test_random_actions_keep_the_case_valid_and_replayable(world, steps, source):
    u = world["users"]
    lng, lat = world["point"]
    original = report_case(u["gridworker"], case_class=world["garbage"], description="原案件", lng=lng, lat=lat).case
    case = report_case(u["acceptor"], case_class=world["garbage"], description="随机案件", lng=lng, lat=lat,
                       source=source).case
    photo = store_photo(upload(jpeg()), u["handler"])
    for persona, action, with_note in steps:
        before = Case.objects.get(pk=case.pk)
        params = {"note": "说明" if with_note else ""}
        if action == "handle":
            params["photos"] = [photo]
        if action == "merge":
            params["target"] = original
        if action == "request_extension":
            params["amount"] = 1
        try:
            perform(u[persona], case.number, action, **params)
        except (PermissionDenied, CaseConflict, ValidationError, Http404):
            after = Case.objects.get(pk=case.pk)
            assert (after.state, after.version) == (before.state, before.version)  # refused: nothing changed
        else:
            after = Case.objects.get(pk=case.pk)
            assert after.state == TRANSITIONS[action].target and after.version == before.version + 1
        events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
        assert len(events) == after.version
        assert replay(events, needs_verification=source == "hotline_12345") == after.state
        assert_invariants(after)


def assert_invariants(case: Case) -> None:
    assert case.state in State.values
    if case.state == State.MERGED:
        assert case.merged_into_id is not None
    if case.state in (State.HANDLING, State.HANDLED, State.CHECKED, State.CLOSED):
        assert case.dispatched_at is not None and case.handle_due is not None and case.responsible_unit_id
    if case.state == State.CLOSED:
        assert case.closed_at and case.checked_at and case.handled_at and case.close_type
    if case.state == State.FILED:
        assert case.filed_at is not None and case.criterion_id is not None
