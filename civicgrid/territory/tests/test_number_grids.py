import random

import pytest
from django.core.management import call_command

from civicgrid.territory.models import Place, Region
from civicgrid.territory.services import grid_numbering, number_grids
from testsupport import make_place

pytestmark = pytest.mark.django_db


def test_reading_order_is_rows_north_to_south_then_west_to_east(district):
    grids = [(r.code, r.geometry) for r in Region.objects.filter(parent__code="210112001001")]
    random.Random(3).shuffle(grids)
    assert grid_numbering(grids) == ["210112001001001", "210112001001002", "210112001001003", "210112001001004"]


def test_renumbering_fixes_codes_and_the_places_that_store_them(district):
    # Swap the codes of the NW and SE grids, as a careless import might have numbered them.
    nw, se = Region.objects.get(code="210112001001001"), Region.objects.get(code="210112001001004")
    Region.objects.filter(pk=nw.pk).update(code="tmp")
    Region.objects.filter(pk=se.pk).update(code="210112001001001")
    Region.objects.filter(pk=nw.pk).update(code="210112001001004")
    place = make_place("shop", 123.005, 41.035)  # inside the NW grid, now wrongly coded …004
    assert place.region_code == "210112001001004"

    changed = number_grids("210112001001")

    assert changed == {"210112001001004": "210112001001001", "210112001001001": "210112001001004"}
    assert Region.objects.get(pk=nw.pk).code == "210112001001001"
    assert Place.objects.get(pk=place.pk).region_code == "210112001001001"
    assert number_grids("210112001001") == {}


def test_the_command_numbers_every_community(district, capsys):
    call_command("number_grids", "--all")
    assert "0 grid code(s) changed" in capsys.readouterr().out


def test_a_table_with_a_region_code_column_declares_it_by_inheriting_region_coded():
    from django.apps import apps

    from civicgrid.territory.models import RegionCoded

    undeclared = [m._meta.label for m in apps.get_models()
                  if any(f.name == "region_code" for f in m._meta.concrete_fields) and not issubclass(m, RegionCoded)]
    assert undeclared == []


def test_every_table_that_stores_a_grid_code_follows_a_renumbering(district):
    import datetime as dt

    from civicgrid.ledgers.models import AssetKind, Operation, PublicityAsset
    from civicgrid.territory.services import region_coded_models

    names = {m._meta.label for m in region_coded_models()}
    assert {"territory.Place", "cases.Case", "cases.RoutingRule", "inspections.Inspection", "inspections.Assignment",
            "inspections.Plan", "ledgers.SmallBusiness", "ledgers.PublicityAsset", "ledgers.Operation",
            "organizations.Contract", "assessment.Accountability"} <= names

    nw, se = Region.objects.get(code="210112001001001"), Region.objects.get(code="210112001001004")
    Region.objects.filter(pk=nw.pk).update(code="tmp")
    Region.objects.filter(pk=se.pk).update(code="210112001001001")
    Region.objects.filter(pk=nw.pk).update(code="210112001001004")
    place = make_place("compound", 123.005, 41.035)  # inside the NW grid, now wrongly coded …004
    asset = PublicityAsset.objects.create(place=place, kind=AssetKind.COLUMN, count=1, installed_on=dt.date(2026, 5, 1),
                                          region_code=place.region_code)
    operation = Operation.objects.create(date=dt.date(2026, 5, 1), title="清理", kind="cleanup",
                                         region_code="210112001001004")
    other = Operation.objects.create(date=dt.date(2026, 5, 1), title="清理", kind="cleanup",
                                     region_code="210112001001001")  # the SE grid's: the codes swap

    number_grids("210112001001")

    asset.refresh_from_db(), operation.refresh_from_db(), other.refresh_from_db()
    assert asset.region_code == "210112001001001"
    assert (operation.region_code, other.region_code) == ("210112001001001", "210112001001004")
