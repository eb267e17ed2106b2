"""Two inspectors fail the same item of the same place at the same moment: the database keeps one open case."""

import threading

import pytest
from django.db import connection, connections

from civicgrid.cases.models import Case, CaseEvent
from civicgrid.inspections import services
from civicgrid.inspections.services import ResultEntry
from civicgrid.inspections.tests.conftest import photo_of
from civicgrid.organizations.choices import Role, UnitKind
from testsupport import build_small_district, grid_center, make_place, make_unit, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_simultaneous_failures_of_one_item_open_one_case():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL (CI runs it); SQLite serialises writers")
    regions = build_small_district()
    operator = make_unit("MKT-OP", UnitKind.MARKET_OPERATOR, regions["210112001001"])
    market = make_place("market", *grid_center("210112001001001"), unit=operator, code="MKT-1")
    users = [make_user(f"inspector{i}", Role.INSPECTOR, region=regions["210112"]) for i in range(2)]
    ready = []
    for user in users:
        inspection = services.start_inspection(user, place=market, kind="morning")
        items = services.checklist(inspection.standard, inspection.point_type)
        services.record_results(user, inspection, [
            ResultEntry(i.code, "fail", 1, "", [photo_of(user)]) if i.code == "NM04" else ResultEntry(i.code, "pass")
            for i in items])
        ready.append((user, inspection))
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def submit(user, inspection):
        try:
            barrier.wait()
            outcomes.append(services.submit_inspection(user, inspection))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=pair) for pair in ready]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted((len(o.opened), len(o.added)) for o in outcomes) == [(0, 1), (1, 0)]
    case = Case.objects.get(place=market)
    assert CaseEvent.objects.filter(case=case, action="finding").count() == 1
