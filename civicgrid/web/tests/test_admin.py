import pytest
from django.contrib import admin
from django.test import Client

from civicgrid.territory import locator
from testsupport import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(district):
    client = Client()
    client.force_login(make_user("root", superuser=True))
    return client


def test_every_registered_model_has_working_admin_pages(office):
    for model in admin.site._registry:
        meta = model._meta
        url = f"/admin/{meta.app_label}/{meta.model_name}/"
        assert office.get(url).status_code == 200, url
        # Regions come only by import; cases, events, inspections and records only through the services (403 here);
        # audit events are append-only and lockouts change only by unlocking; public reports, phone codes,
        # deliveries and Open311 submissions are written only by what they record.
        read_only = {"region", "case", "caseevent", "photo", "notification", "idempotencyrecord", "inspection",
                     "auditevent", "accountlockout", "publicreport", "phonecode", "delivery", "submission"}
        assert office.get(url + "add/").status_code == (403 if meta.model_name in read_only else 200), url


def test_renaming_a_region_in_the_admin_reaches_the_locator(office):
    from civicgrid.territory.models import Region

    grid = Region.objects.get(code="210112001001001")
    response = office.post(f"/admin/territory/region/{grid.pk}/change/", {"name": "新网格名", "area_class": "B"})
    assert response.status_code == 302
    assert locator.locate(123.005, 41.035).grid.name == "新网格名"


def test_regions_cannot_be_added_by_hand(office):
    assert office.get("/admin/territory/region/add/").status_code == 403


def test_the_office_edits_routing_rules_in_the_admin(office):
    from civicgrid.cases.models import CaseClass, RoutingRule
    from testsupport import make_unit

    unit = make_unit("DEPT-R")
    response = office.post("/admin/cases/routingrule/add/", {
        "case_class": CaseClass.objects.get(code="E0102").pk, "region_code": "210112001", "unit": unit.pk})
    assert response.status_code == 302
    assert RoutingRule.objects.get().unit == unit


def test_cases_cannot_be_changed_in_the_admin(office, world_case):
    response = office.post(f"/admin/cases/case/{world_case.pk}/change/", {"state": "closed"})
    assert response.status_code == 403
    world_case.refresh_from_db()
    assert world_case.state == "reported"


@pytest.fixture
def world_case(office):
    from django.contrib.auth import get_user_model

    from civicgrid.cases.models import CaseClass
    from civicgrid.cases.services import report_case
    from testsupport import grid_center

    lng, lat = grid_center("210112001001001")
    return report_case(get_user_model().objects.get(username="root"), case_class=CaseClass.objects.get(code="E0102"),
                       description="后台测试", lng=lng, lat=lat).case
