"""A case's source follows from who reports it and through which channel; nobody can type in a finding."""

import pytest
from rest_framework.test import APIClient

from civicgrid.cases.models import Case
from civicgrid.cases.services import reportable_sources
from civicgrid.organizations.choices import Role
from testsupport import make_user

pytestmark = pytest.mark.django_db


def client_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def body(world, **extra):
    lng, lat = world["point"]
    return {"case_class": "E0102", "description": "路边暴露垃圾", "lat": lat, "lng": lng, **extra}


@pytest.fixture
def chief(world):
    return make_user("chief", Role.PLACE_CHIEF)


@pytest.mark.parametrize("persona", ["admin", "gridworker", "community", "acceptor", "handler", "leader", "public"])
@pytest.mark.parametrize("source", ["undercover", "inspection"])
def test_nobody_reports_an_inspection_or_undercover_finding_through_the_api(world, persona, source):
    response = client_for(world["users"][persona]).post("/api/v1/cases/", body(world, source=source), format="json")
    assert response.status_code == 400, response.content
    assert "source" in response.json()
    assert not Case.objects.exists()


def test_a_shop_chief_cannot_fake_an_undercover_finding(world, chief):
    response = client_for(chief).post("/api/v1/cases/", body(world, source="undercover"), format="json")
    assert response.status_code == 400 and "source" in response.json()
    assert not Case.objects.exists()


@pytest.mark.parametrize("persona,source,allowed", [
    ("acceptor", "hotline_12345", True),
    ("gridworker", "hotline_12345", False),
    ("leader", "leader_assignment", True),
    ("community", "leader_assignment", False),
    ("acceptor", "media", True),
    ("handler", "media", False),
    ("handler", "department_transfer", True),
    ("gridworker", "department_transfer", False),
    ("gridworker", "inspector_patrol", True),
    ("public", "inspector_patrol", False),
    ("public", "hotline_12345", False),
    ("gridworker", "public_report", True),
])
def test_a_source_is_accepted_only_from_the_roles_the_office_allows(world, persona, source, allowed):
    response = client_for(world["users"][persona]).post("/api/v1/cases/", body(world, source=source), format="json")
    if allowed:
        assert response.status_code == 201, response.content
        assert Case.objects.get().source == source
    else:
        assert response.status_code == 400 and "source" in response.json()
        assert not Case.objects.exists()


def test_the_office_configures_who_may_report_12345_calls(world, settings):
    settings.REPORT_SOURCE_ROLES = {**settings.REPORT_SOURCE_ROLES, "hotline_12345": ["grid_worker"]}
    assert client_for(world["users"]["gridworker"]).post(
        "/api/v1/cases/", body(world, source="hotline_12345"), format="json").status_code == 201
    assert client_for(world["users"]["acceptor"]).post(
        "/api/v1/cases/", body(world, source="hotline_12345"), format="json").status_code == 400


def test_without_a_source_each_reporter_gets_their_own_default(world, chief):
    assert client_for(world["users"]["gridworker"]).post(
        "/api/v1/cases/", body(world), format="json").json()["case"]["source"] == "inspector_patrol"
    assert client_for(world["users"]["public"]).post(
        "/api/v1/cases/", body(world), format="json").json()["case"]["source"] == "public_report"
    assert client_for(chief).post("/api/v1/cases/", body(world), format="json").json()["case"]["source"] \
        == "public_report"


def test_the_report_form_offers_only_the_sources_the_user_may_choose(world):
    from django.test import Client

    client = Client()
    client.force_login(world["users"]["gridworker"])
    page = client.get("/cases/report/").content.decode()
    assert 'value="inspector_patrol"' in page and 'value="public_report"' in page
    assert 'value="undercover"' not in page and 'value="inspection"' not in page
    assert 'value="hotline_12345"' not in page
    assert reportable_sources(world["users"]["acceptor"])[:1] == ["inspector_patrol"]


def test_a_form_post_with_a_forged_source_is_refused(world):
    from django.test import Client

    client = Client()
    client.force_login(world["users"]["gridworker"])
    lng, lat = world["point"]
    response = client.post("/cases/report/", {"case_class": "E0102", "description": "x", "lat": lat, "lng": lng,
                                               "urgency": "normal", "source": "undercover"})
    assert response.status_code == 200 and not Case.objects.exists()
