import pytest
from django.contrib import admin
from django.test import Client

from civicgrid.core.testing import make_user
from civicgrid.territory import locator

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
        # Regions are added only by import (403); everything else has a working add form.
        assert office.get(url + "add/").status_code == (403 if meta.model_name == "region" else 200), url


def test_renaming_a_region_in_the_admin_reaches_the_locator(office):
    from civicgrid.territory.models import Region

    grid = Region.objects.get(code="210112001001001")
    response = office.post(f"/admin/territory/region/{grid.pk}/change/", {"name": "新网格名", "area_class": "B"})
    assert response.status_code == 302
    assert locator.locate(123.005, 41.035).grid.name == "新网格名"


def test_regions_cannot_be_added_by_hand(office):
    assert office.get("/admin/territory/region/add/").status_code == 403
