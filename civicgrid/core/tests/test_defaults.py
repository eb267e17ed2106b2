"""`civicgrid load_defaults` and the post_migrate receiver (decision 0009)."""

from io import StringIO

import pytest
from django.core.management import call_command

from civicgrid.assessment.models import ScoringScheme
from civicgrid.cases.models import CaseClass, FilingCriterion
from civicgrid.core.apps import load_defaults_after_migrate
from civicgrid.core.management.commands.load_defaults import load_all, loaders
from civicgrid.inspections.models import PointType, Standard, StandardItem
from civicgrid.ledgers.models import WorkKind
from civicgrid.territory.models import PlaceCategory, PlaceKind

pytestmark = pytest.mark.django_db


def test_loaders_are_discovered_in_dependency_order():
    assert [label for label, _module in loaders()] == ["territory", "cases", "inspections", "ledgers", "assessment"]


def test_the_test_database_got_the_defaults_from_migrate():
    assert PlaceKind.objects.count() == 14
    assert PlaceCategory.objects.filter(kind__slug="shop").count() == 8
    assert CaseClass.objects.count() == 44 and FilingCriterion.objects.count() == 47
    assert PointType.objects.count() == 18
    assert StandardItem.objects.filter(standard__code="wmcs-local", standard__version=1).count() == 70
    assert WorkKind.objects.count() == 15
    assert set(ScoringScheme.objects.values_list("slug", flat=True)) == {"chengdu", "jinhua"}
    assert ScoringScheme.objects.get(slug="chengdu").config["bonuses"]["cap"] == 10


def test_running_twice_creates_nothing_the_second_time():
    load_all()
    assert all(created == [] for _label, created in load_all())
    out = StringIO()
    call_command("load_defaults", stdout=out)
    assert "nothing to create" in out.getvalue()


def test_an_edited_row_is_never_overwritten_and_a_missing_one_comes_back():
    PlaceKind.objects.filter(slug="compound").update(name="住宅小区", chief_title="院落长", sort_order=5)
    scheme = ScoringScheme.objects.get(slug="jinhua")
    scheme.config = {**scheme.config, "min_cases": 99}
    scheme.config.pop("bonuses")
    scheme.save()
    WorkKind.objects.filter(slug="garbage").update(unit="吨")
    WorkKind.objects.filter(slug="weeds").delete()
    item_count = StandardItem.objects.count()

    out = StringIO()
    call_command("load_defaults", verbosity=2, stdout=out)

    compound = PlaceKind.objects.get(slug="compound")
    assert (compound.name, compound.chief_title, compound.sort_order) == ("住宅小区", "院落长", 5)
    scheme.refresh_from_db()
    assert scheme.config["min_cases"] == 99 and "bonuses" not in scheme.config
    assert WorkKind.objects.get(slug="garbage").unit == "吨"
    assert WorkKind.objects.get(slug="weeds").name == "平整杂草"
    assert StandardItem.objects.count() == item_count
    assert "created 1" in out.getvalue() and "+ work kind weeds" in out.getvalue()
    assert "Defaults: 1 rows created." in out.getvalue()


def test_a_revised_standard_is_left_alone():
    standard = Standard.objects.get(code="wmcs-local", version=1)
    standard.items.filter(point_type__slug="public_toilet").delete()
    load_all()
    assert not standard.items.filter(point_type__slug="public_toilet").exists()


def test_the_receiver_ignores_flush_and_all_but_the_last_app():
    from django.apps import apps

    WorkKind.objects.filter(slug="weeds").delete()
    configs = [config for config in apps.get_app_configs() if config.models_module is not None]
    # flush sends no plan; an empty plan means nothing was migrated; only the last app acts.
    load_defaults_after_migrate(configs[-1], configs[-1], "default")
    load_defaults_after_migrate(configs[-1], configs[-1], "default", plan=[])
    load_defaults_after_migrate(configs[0], configs[0], "default", plan=[(object(), False)])
    assert not WorkKind.objects.filter(slug="weeds").exists()
    load_defaults_after_migrate(configs[-1], configs[-1], "default", plan=[(object(), False)])
    assert WorkKind.objects.filter(slug="weeds").exists()
