"""restrict(user, action) per model and per persona: sees all, sees own subtree, sees nothing, and the
unit- and person-anchored roles (department handler, place chief)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from civicgrid.core.scoping import ensure_in_scope, get_in_scope
from civicgrid.organizations.choices import Role, UnitKind
from civicgrid.organizations.models import Contract, Person, Unit
from civicgrid.organizations.services import contract
from civicgrid.territory.models import Place, Region
from civicgrid.territory.services import save_place
from testsupport import grid_center, make_place, make_unit, make_user

pytestmark = pytest.mark.django_db

OWN_STREET, OTHER_STREET = "210112001", "210112002"
OWN_COMMUNITY = "210112001001"


@pytest.fixture
def world(district):
    """Units, people, places and contracts spread over both streets, and one user per persona."""
    regions = district
    department = make_unit("DEPT01")
    sub_department = make_unit("DEPT01A", parent=department)
    own_committee = make_unit("CM1", UnitKind.COMMUNITY_COMMITTEE, regions[OWN_COMMUNITY])
    other_committee = make_unit("CM2", UnitKind.COMMUNITY_COMMITTEE, regions["210112002001"])
    chief = Person.objects.create(name="店长甲", unit=other_committee)
    places = {
        "own": make_place("shop", *grid_center("210112001001001"), unit=own_committee),
        "own_street": make_place("shop", *grid_center("210112001002004"), unit=own_committee),
        "other": make_place("shop", *grid_center("210112002001001"), unit=other_committee, chief=chief),
        "department": make_place("road", *grid_center("210112002002002"), unit=sub_department),
    }
    leader = Person.objects.create(name="区领导甲")
    contract(target=regions[OWN_STREET], person=leader, starts_on=dt.date(2026, 1, 1))
    contract(target=regions[OTHER_STREET], unit=department, starts_on=dt.date(2026, 1, 1))
    users = {
        "admin": make_user("admin", Role.ADMIN),
        "superuser": make_user("root", superuser=True),
        "leader": make_user("leader", Role.LEADER, region=regions["210112"], person=leader),
        "street": make_user("street", Role.STREET_STAFF, region=regions[OWN_STREET]),
        "community": make_user("community", Role.COMMUNITY_STAFF, region=regions[OWN_COMMUNITY]),
        "gridworker": make_user("gridworker", Role.GRID_WORKER, region=regions["210112001001001"]),
        "handler": make_user("handler", Role.HANDLER, unit=department),
        "chief": make_user("chief", Role.PLACE_CHIEF, person=chief),
        "public": make_user("public", Role.PUBLIC),
        "nobody": make_user("nobody"),
    }
    return {"regions": regions, "places": places, "users": users, "department": department,
            "sub_department": sub_department}


def visible_codes(model, user, field="code", action="view"):
    return set(model.objects.restrict(user, action).values_list(field, flat=True))


class TestRegions:
    def test_the_office_sees_every_region(self, world):
        assert len(visible_codes(Region, world["users"]["admin"])) == 23
        assert len(visible_codes(Region, world["users"]["superuser"])) == 23

    def test_street_staff_see_their_street_subtree_only(self, world):
        codes = visible_codes(Region, world["users"]["street"])
        assert len(codes) == 1 + 2 + 8
        assert all(code.startswith(OWN_STREET) for code in codes)

    def test_a_grid_worker_sees_one_grid(self, world):
        assert visible_codes(Region, world["users"]["gridworker"]) == {"210112001001001"}

    @pytest.mark.parametrize("persona", ["public", "nobody"])
    def test_public_and_ungranted_users_see_nothing(self, world, persona):
        assert visible_codes(Region, world["users"][persona]) == set()

    def test_anonymous_users_see_nothing(self, world):
        from django.contrib.auth.models import AnonymousUser

        assert visible_codes(Region, AnonymousUser()) == set()

    def test_out_of_scope_is_404_not_403(self, world):
        with pytest.raises(Http404):
            get_in_scope(Region.objects, world["users"]["community"], code=OTHER_STREET)


class TestPlaces:
    def test_the_office_sees_all_places(self, world):
        assert Place.objects.restrict(world["users"]["admin"]).count() == 4

    def test_community_staff_see_places_in_their_community_only(self, world):
        assert set(Place.objects.restrict(world["users"]["community"])) == {world["places"]["own"]}

    def test_street_staff_see_places_of_their_street(self, world):
        assert set(Place.objects.restrict(world["users"]["street"])) == {
            world["places"]["own"], world["places"]["own_street"]}

    def test_a_department_sees_places_its_units_are_responsible_for(self, world):
        assert set(Place.objects.restrict(world["users"]["handler"])) == {world["places"]["department"]}

    def test_a_chief_sees_the_places_they_lead(self, world):
        assert set(Place.objects.restrict(world["users"]["chief"])) == {world["places"]["other"]}

    def test_public_sees_no_place(self, world):
        assert not Place.objects.restrict(world["users"]["public"]).exists()

    def test_read_only_roles_cannot_change(self, world):
        assert Place.objects.restrict(world["users"]["leader"], "view").count() == 4
        assert not Place.objects.restrict(world["users"]["leader"], "change").exists()
        with pytest.raises(PermissionDenied):
            ensure_in_scope(world["places"]["own"], world["users"]["leader"], "change")

    def test_moving_a_place_out_of_ones_territory_is_rolled_back(self, world):
        place = world["places"]["own"]
        place.geometry = {"type": "Point", "coordinates": list(grid_center("210112002001001"))}
        with pytest.raises(Http404):
            save_place(place, actor=world["users"]["community"])
        assert Place.objects.get(pk=place.pk).region_code == "210112001001001"

    def test_a_community_worker_can_change_their_own_place(self, world):
        place = world["places"]["own"]
        place.name = "新店名"
        save_place(place, actor=world["users"]["community"])
        assert Place.objects.get(pk=place.pk).name == "新店名"

    def test_a_community_worker_cannot_touch_another_communitys_place(self, world):
        place = Place.objects.get(pk=world["places"]["other"].pk)
        place.name = "改不了"
        with pytest.raises(Http404):
            save_place(place, actor=world["users"]["community"])
        assert Place.objects.get(pk=place.pk).name != "改不了"


class TestUnitsPeopleContracts:
    def test_units_follow_territory_and_unit_grants(self, world):
        assert visible_codes(Unit, world["users"]["community"]) == {"CM1"}
        assert visible_codes(Unit, world["users"]["handler"]) == {"DEPT01", "DEPT01A"}
        assert visible_codes(Unit, world["users"]["public"]) == set()
        assert len(visible_codes(Unit, world["users"]["admin"])) == 4

    def test_people_follow_their_unit(self, world):
        assert visible_codes(Person, world["users"]["community"], "name") == set()
        assert visible_codes(Person, world["users"]["chief"], "name") == {"店长甲"}
        assert "店长甲" not in visible_codes(Person, world["users"]["street"], "name")

    def test_contracts_follow_their_target_and_contractor(self, world):
        assert visible_codes(Contract, world["users"]["street"], "region_code") == {OWN_STREET}
        assert visible_codes(Contract, world["users"]["handler"], "region_code") == {OTHER_STREET}
        assert visible_codes(Contract, world["users"]["public"], "region_code") == set()
        assert visible_codes(Contract, world["users"]["leader"], "region_code") == {OWN_STREET, OTHER_STREET}


def test_scopes_are_computed_once_per_user_object(world, django_assert_num_queries):
    user = world["users"]["street"]
    Place.objects.restrict(user).count()
    with django_assert_num_queries(1):  # only the count; the scope is cached on the user
        Place.objects.restrict(user).count()


def test_a_role_that_needs_an_anchor_refuses_to_be_granted_without_one(world):
    from django.core.exceptions import ValidationError

    from civicgrid.organizations.services import grant_role

    with pytest.raises(ValidationError):
        grant_role(world["users"]["nobody"], Role.STREET_STAFF)
