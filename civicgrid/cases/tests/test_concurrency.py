"""Two people act on one case at the same moment: exactly one wins, the other is told the current state."""

import threading

import pytest
from django.db import connection, connections

from civicgrid.cases.choices import State
from civicgrid.cases.models import CaseClass, CaseEvent
from civicgrid.cases.services import CaseConflict, perform, report_case
from civicgrid.organizations.choices import Role
from testsupport import build_small_district, grid_center, make_unit, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def filed_case():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL (CI runs it); SQLite serialises writers")
    regions = build_small_district()
    department = make_unit("DEPT-HW")
    garbage = CaseClass.objects.get(code="E0102")
    garbage.default_department = department
    garbage.save()
    users = [make_user(f"dispatcher{i}", Role.DISPATCHER, region=regions["210112"]) for i in range(2)]
    shift = make_user("shift", Role.SHIFT_LEADER, region=regions["210112"])
    lng, lat = grid_center("210112001001001")
    case = report_case(shift, case_class=garbage, description="并发测试", lng=lng, lat=lat).case
    perform(shift, case.number, "file")
    return case, users


def test_two_dispatchers_at_once_exactly_one_wins(filed_case):
    case, users = filed_case
    barrier = threading.Barrier(2)
    outcomes = []

    def act(user):
        try:
            barrier.wait()
            perform(user, case.number, "dispatch")
            outcomes.append("won")
        except CaseConflict as exc:
            outcomes.append(exc.case.state)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["handling", "won"]
    assert CaseEvent.objects.filter(case=case, action="dispatch").count() == 1
    case.refresh_from_db()
    assert case.state == State.HANDLING and case.version == 3
