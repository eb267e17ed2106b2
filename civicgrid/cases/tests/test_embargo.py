"""Undercover findings are invisible to the inspected on every read path until the office publishes them."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

from civicgrid.cases.models import Case, CaseEvent
from civicgrid.cases.services import perform, publish_findings, record_finding
from civicgrid.cases.workflow import replay
from civicgrid.organizations.choices import Role
from testsupport import make_place, make_user

pytestmark = pytest.mark.django_db
INSPECTED = ["gridworker", "community", "handler", "dispatcher", "shift_leader", "inspector", "leader", "public"]


@pytest.fixture
def finding(world):
    world["users"]["assessor"] = make_user("assessor", Role.ASSESSOR, region=world["regions"]["210112"])
    return undercover_finding(world, world["users"]["assessor"])


def undercover_finding(world, assessor):
    """An undercover round's failed item: the only way a case gets the undercover source."""
    place = make_place("shop", *world["point"])
    return record_finding(assessor, place=place, case_class=world["garbage"], criterion=None,
                          finding_key="R1/shop/1.1", description="暗访：门前垃圾堆积", source="undercover",
                          embargoed=True).case


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def page(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_finding_is_embargoed_when_reported(finding):
    assert finding.embargoed


@pytest.mark.parametrize("persona", INSPECTED)
def test_the_inspected_cannot_reach_it_on_any_read_path(world, finding, persona):
    user = world["users"][persona]
    assert not Case.objects.restrict(user).filter(pk=finding.pk).exists()
    assert api(user).get(f"/api/v1/cases/{finding.number}/").status_code == 404
    assert finding.number not in api(user).get("/api/v1/cases/").content.decode()
    assert api(user).get("/api/v1/cases/").json()["count"] == 0  # counts do not betray it either
    assert page(user).get(f"/cases/{finding.number}/").status_code == 404
    assert finding.number not in page(user).get("/cases/").content.decode()
    assert finding.number not in page(user).get("/cases/queues/").content.decode()
    rows = list(load_workbook(io.BytesIO(page(user).get("/cases/export.xlsx").content)).active.iter_rows(values_only=True))
    assert all(finding.number not in row for row in rows)
    assert Client().get(f"/open311/v2/requests/{finding.number}.json").status_code == 404


@pytest.mark.parametrize("persona", ["admin", "assessor"])
def test_the_office_and_the_assessors_see_it(world, finding, persona):
    assert api(world["users"][persona]).get(f"/api/v1/cases/{finding.number}/").status_code == 200


def test_publishing_reveals_it_and_is_recorded(world, finding):
    published = publish_findings(world["users"]["admin"], [finding])
    assert published == 1
    finding.refresh_from_db()
    assert not finding.embargoed
    assert api(world["users"]["community"]).get(f"/api/v1/cases/{finding.number}/").status_code == 200
    events = list(CaseEvent.objects.filter(case=finding).order_by("seq"))
    assert [e.action for e in events] == ["report", "publish"] and finding.version == 2
    assert replay(events, needs_verification=False) == "reported"
    assert publish_findings(world["users"]["admin"], [finding]) == 0  # once only
    # the loop goes on as for any case
    assert perform(world["users"]["shift_leader"], finding.number, "file").state == "filed"


def test_only_the_office_publishes(world, finding):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        publish_findings(world["users"]["assessor"], [finding])
    finding.refresh_from_db()
    assert finding.embargoed
