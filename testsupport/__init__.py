"""Test helpers shared by every app's tests (not shipped with the package): a small district, places and personas.

The small district is regular and easy to reason about:

    district 210112: lng 123.00–123.08, lat 41.00–41.04
    streets  210112001 (west half) and 210112002 (east half)
    each street: communities …001 (north) and …002 (south)
    each community: four grids 001 NW, 002 NE, 003 SW, 004 SE (0.02° × 0.01°)
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from civicgrid.organizations.choices import Role, UnitKind
from civicgrid.organizations.models import Person, Unit
from civicgrid.organizations.services import grant_role
from civicgrid.territory.models import Place, PlaceKind, Region
from civicgrid.territory.services import import_regions, save_place

WEST, SOUTH, EAST, NORTH = 123.00, 41.00, 123.08, 41.04
STREETS = ("210112001", "210112002")


def box(west: float, south: float, east: float, north: float) -> dict:
    """A GeoJSON rectangle (counter-clockwise)."""
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def feature(code: str, name: str, geometry: dict, **props) -> dict:
    return {"type": "Feature", "properties": {"code": code, "name": name, **props}, "geometry": geometry}


def small_district_features() -> list[dict]:
    """The features of the small district, parents first."""
    features = [feature("210112", "测试区", box(WEST, SOUTH, EAST, NORTH))]
    for s, street in enumerate(STREETS):
        sw = WEST + s * 0.04
        features.append(feature(street, f"第{s + 1}街道", box(sw, SOUTH, sw + 0.04, NORTH)))
        for c in range(2):
            community = f"{street}{c + 1:03d}"
            cn = NORTH - c * 0.02
            features.append(feature(community, f"第{s + 1}街道第{c + 1}社区", box(sw, cn - 0.02, sw + 0.04, cn)))
            for g in range(4):
                row, col = divmod(g, 2)
                gw, gn = sw + col * 0.02, cn - row * 0.01
                features.append(feature(f"{community}{g + 1:03d}", f"{community}网格{g + 1}",
                                        box(gw, gn - 0.01, gw + 0.02, gn), area_class="A" if s == 0 else "C"))
    return features


def build_small_district() -> dict[str, Region]:
    """Import the small district through the real service and return regions by code."""
    import_regions({"type": "FeatureCollection", "features": small_district_features()})
    return {r.code: r for r in Region.objects.all()}


def grid_center(code: str) -> tuple[float, float]:
    """The centre of a grid of the small district."""
    region = Region.objects.get(code=code)
    point = region.geometry.centroid
    return point.x, point.y


def make_unit(code: str, kind: str = UnitKind.DEPARTMENT, region: Region | None = None, parent=None) -> Unit:
    return Unit.objects.create(code=code, name=f"单位{code}", kind=kind, region=region, parent=parent)


def make_place(kind: str, lng: float, lat: float, *, name: str = "", unit: Unit | None = None,
               chief: Person | None = None, code: str | None = None) -> Place:
    """A point place saved through the service, so its grid is derived."""
    count = Place.objects.count() + 1
    place = Place(code=code or f"T-{count:05d}", kind=PlaceKind.objects.get(slug=kind), name=name or f"对象{count}",
                  geometry={"type": "Point", "coordinates": [lng, lat]}, responsible_unit=unit, chief=chief)
    return save_place(place)


def make_user(username: str, role: Role | str | None = None, *, region: Region | None = None,
              unit: Unit | None = None, person: Person | None = None, superuser: bool = False):
    """A user with one role grant (or none) and, optionally, their person."""
    user = get_user_model().objects.create_user(username=username, password="pw", is_superuser=superuser,
                                                is_staff=superuser)
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    if role is not None:
        grant_role(user, role, region=region, unit=unit)
    return user
