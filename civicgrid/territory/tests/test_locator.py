import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicgrid.territory import locator
from civicgrid.territory.crs import gcj02_to_bd09, wgs84_to_gcj02
from civicgrid.territory.models import BoundaryVersion, Region
from testsupport import EAST, NORTH, SOUTH, WEST, build_small_district

pytestmark = pytest.mark.django_db


@pytest.fixture
def grids(district):
    return [(r.code, r.geometry) for r in Region.objects.grids().order_by("code")]


def test_a_point_locates_to_its_grid_and_chain(district):
    where = locator.locate(123.005, 41.035)
    assert where.inside
    assert (where.grid.code, where.community.code, where.street.code, where.district.code) == (
        "210112001001001", "210112001001", "210112001", "210112")
    assert where.street.name == "第1街道"


def test_a_point_outside_the_district_is_outside_not_an_error(district):
    where = locator.locate(100.0, 30.0)
    assert not where.inside and where.grid is None and where.district is None


def test_a_point_on_a_shared_edge_takes_the_smaller_code(district):
    # x = 123.02 is the edge between grid 001 and 002 of the first community
    assert locator.locate(123.02, 41.035).grid.code == "210112001001001"
    # the corner shared by four grids of one community
    assert locator.locate(123.02, 41.03).grid.code == "210112001001001"
    # the street boundary: first street wins
    assert locator.locate(123.04, 41.035).grid.code == "210112001001002"


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=st.data())
def test_random_points_inside_random_grids_locate_to_those_grids(grids, data):
    code, polygon = data.draw(st.sampled_from(grids))
    minx, miny, maxx, maxy = polygon.bounds
    # strictly inside: stay 1e-7° (1 cm) away from the edges, where ties are decided by code
    x = data.draw(st.floats(minx + 1e-7, maxx - 1e-7))
    y = data.draw(st.floats(miny + 1e-7, maxy - 1e-7))
    assert polygon.contains(shapely.Point(x, y))
    assert locator.locate(x, y).grid.code == code


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    x=st.floats(WEST - 1, EAST + 1),
    y=st.floats(SOUTH - 1, NORTH + 1),
)
def test_points_outside_the_district_are_outside(district, x, y):
    outside = not shapely.box(WEST, SOUTH, EAST, NORTH).covers(shapely.Point(x, y))
    assert locator.locate(x, y).inside is not outside


def test_gcj02_and_bd09_inputs_are_converted_before_locating(district):
    wgs = (123.0185, 41.035)  # 130 m west of the edge with grid 002
    gcj = tuple(float(v) for v in wgs84_to_gcj02(*wgs))
    bd = tuple(float(v) for v in gcj02_to_bd09(*gcj))
    assert locator.locate(*gcj, crs="gcj02").grid.code == "210112001001001"
    assert locator.locate(*bd, crs="bd09").grid.code == "210112001001001"
    # the raw GCJ-02 numbers read as WGS-84 land hundreds of metres away, in another grid
    assert locator.locate(*gcj).grid.code != "210112001001001"


def test_batch_location_agrees_with_one_at_a_time(district):
    rng = np.random.default_rng(7)
    lngs = rng.uniform(WEST - 0.01, EAST + 0.01, 2000)
    lats = rng.uniform(SOUTH - 0.01, NORTH + 0.01, 2000)
    batch = locator.locate_many(lngs, lats)
    single = [(w.grid.code if w.inside else None) for w in (locator.locate(x, y) for x, y in zip(lngs, lats, strict=True))]
    assert batch == single
    assert None in batch and len({c for c in batch if c}) == 16


def test_the_index_follows_boundary_changes_made_by_another_process(district, settings):
    settings.LOCATOR_VERSION_CHECK_SECONDS = 0
    assert locator.locate(123.005, 41.035).grid.name == "210112001001网格1"
    # Another process renamed the grid and bumped the version; this process was never told directly.
    Region.objects.filter(code="210112001001001").update(name="新名字")
    BoundaryVersion.objects.update(version=99)
    assert locator.locate(123.005, 41.035).grid.name == "新名字"


def test_the_version_check_is_rate_limited(district, settings):
    settings.LOCATOR_VERSION_CHECK_SECONDS = 3600
    index = locator.get_index()
    BoundaryVersion.objects.update(version=99)
    assert locator.get_index() is index


def test_an_empty_database_locates_everything_outside(db):
    assert not locator.locate(123.0, 41.0).inside
    assert locator.locate_many([123.0], [41.0]) == [None]


def test_grids_touching_lists_every_grid_a_line_crosses(district):
    index = locator.get_index()
    line = shapely.LineString([(123.005, 41.035), (123.035, 41.035)])
    assert index.grids_touching(line) == ["210112001001001", "210112001001002"]


def test_build_small_district_is_repeatable(db):
    build_small_district()
    assert Region.objects.count() == 23
