"""An inspection world on top of the cases world: places of several point types, a firm, an assessor, a chief."""

import pytest

from civicgrid.cases.models import Photo
from civicgrid.cases.photos import store_photo
from civicgrid.cases.tests.conftest import (
    jpeg,
    upload,
    world,  # noqa: F401  (the fixture, reused)
)
from civicgrid.inspections.models import Standard
from civicgrid.organizations.choices import Role, UnitKind
from civicgrid.organizations.models import Person
from testsupport import grid_center, make_place, make_unit, make_user


@pytest.fixture
def field(world):  # noqa: F811
    d = world["regions"]
    market_operator = make_unit("MKT-OP", UnitKind.MARKET_OPERATOR, d["210112001001"])
    other_unit = make_unit("MKT-OP2", UnitKind.MARKET_OPERATOR, d["210112002001"])
    firm = make_unit("FIRM-T", UnitKind.ASSESSMENT_FIRM)
    chief = Person.objects.create(name="店长甲")
    lng, lat = world["point"]
    places = {
        "market": make_place("market", lng, lat, name="东风农贸市场", unit=market_operator, code="MKT-1"),
        "shop": make_place("shop", lng + 0.001, lat, name="小吃店", unit=world["department"], chief=chief,
                           code="SHOP-1"),
        "road": make_place("road", *grid_center("210112001001002"), name="浑河路", unit=world["department"],
                           code="ROAD-1"),
        "far_market": make_place("market", *world["far_point"], name="西山农贸市场", unit=other_unit, code="MKT-2"),
    }
    users = world["users"]
    users["assessor"] = make_user("assessor", Role.ASSESSOR, region=d["210112"])
    users["market_staff"] = make_user("market_staff", Role.HANDLER, unit=market_operator)
    users["other_market_staff"] = make_user("other_market_staff", Role.HANDLER, unit=other_unit)
    users["chief"] = make_user("chief", Role.PLACE_CHIEF, person=chief)
    users["street"] = make_user("street", Role.STREET_STAFF, region=d["210112001"])
    users["other_street"] = make_user("other_street", Role.STREET_STAFF, region=d["210112002"])
    return {**world, "places": places, "firm": firm, "market_operator": market_operator,
            "standard": Standard.objects.get(code="wmcs-local", version=1), "chief": chief}


def photo_of(user, pattern: int = 0) -> Photo:
    return store_photo(upload(jpeg(pattern=pattern)), user)
