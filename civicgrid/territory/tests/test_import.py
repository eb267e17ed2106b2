import copy
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civicgrid.territory.models import BoundaryVersion, Region
from civicgrid.territory.services import RegionImportError, export_regions, import_regions
from testsupport import box, feature, small_district_features

pytestmark = pytest.mark.django_db


def collection(features):
    return {"type": "FeatureCollection", "features": features}


def problems_of(features):
    with pytest.raises(RegionImportError) as caught:
        import_regions(collection(features))
    return caught.value.problems


def test_a_valid_file_imports_every_level():
    result = import_regions(collection(small_district_features()))
    assert result.created == 23 and result.updated == 0
    assert Region.objects.filter(level="grid").count() == 16
    grid = Region.objects.get(code="210112002002004")
    assert grid.parent.code == "210112002002" and grid.area_class == "C"
    assert BoundaryVersion.objects.get().version == 1


def test_reimporting_updates_in_place_and_bumps_the_version():
    import_regions(collection(small_district_features()))
    features = small_district_features()
    features[1]["properties"]["name"] = "改名街道"
    result = import_regions(collection(features))
    assert (result.created, result.updated) == (0, 23)
    assert Region.objects.get(code="210112001").name == "改名街道"
    assert BoundaryVersion.objects.get().version == 2


def test_a_self_intersecting_polygon_is_named_with_its_rule():
    features = small_district_features()
    features[3]["geometry"] = {"type": "Polygon", "coordinates": [[[123, 41.02], [123.04, 41.04], [123.04, 41.02],
                                                                  [123, 41.04], [123, 41.02]]]}
    [problem] = problems_of(features)
    assert (problem.feature, problem.code, problem.rule) == (4, "210112001001001", "valid_polygon")
    assert "Self-intersection" in problem.message
    assert not Region.objects.exists()


def test_a_child_outside_its_parent_is_refused():
    features = small_district_features()
    features[3]["geometry"] = box(122.99, 41.03, 123.02, 41.04)  # pokes ~800 m west of the district
    problems = problems_of(features)
    assert any(p.rule == "within_parent" and p.code == "210112001001001" for p in problems)
    assert not Region.objects.exists()


def test_a_child_within_tolerance_of_its_parent_is_accepted(settings):
    settings.REGION_TOLERANCE_METERS = 2.0
    features = small_district_features()
    features[3]["geometry"] = box(122.99999, 41.03, 123.02, 41.04)  # about 0.8 m outside
    import_regions(collection(features))
    assert Region.objects.count() == 23


def test_overlapping_siblings_are_refused():
    features = small_district_features()
    features[4]["geometry"] = box(123.015, 41.03, 123.04, 41.04)  # grid 002 reaches into grid 001
    problems = problems_of(features)
    [problem] = problems  # one report per overlapping pair, naming both grids
    assert problem.rule == "siblings_overlap"
    assert (problem.code, problem.feature) == ("210112001001001", 4)
    assert "与同级区域 210112001001002 重叠" in problem.message


@pytest.mark.parametrize(
    ("mutate", "rule"),
    [
        (lambda f: f[3]["properties"].update(code="21011200100100"), "code_format"),
        (lambda f: f[3]["properties"].update(code="210112001001000"), "code_format"),
        (lambda f: f[3]["properties"].pop("name"), "name"),
        (lambda f: f[4]["properties"].update(code="210112001001001"), "unique_code"),
        (lambda f: f[3]["properties"].update(level="street"), "code_format"),
        (lambda f: f[3]["properties"].update(area_class="Z"), "area_class"),
        (lambda f: f.__setitem__(3, {**f[3], "geometry": {"type": "Point", "coordinates": [123, 41]}}), "valid_polygon"),
    ],
)
def test_each_broken_rule_is_reported_and_nothing_imported(mutate, rule):
    features = copy.deepcopy(small_district_features())
    mutate(features)
    problems = problems_of(features)
    assert rule in {p.rule for p in problems}
    assert all(p.feature is not None for p in problems)
    assert not Region.objects.exists()


def test_a_missing_parent_is_refused():
    features = [f for f in small_district_features() if f["properties"]["code"] != "210112002"]
    problems = problems_of(features)
    assert {p.rule for p in problems} == {"parent"}
    assert len(problems) == 2  # both communities of the missing street


def test_a_parent_cannot_shrink_away_from_stored_children():
    import_regions(collection(small_district_features()))
    street = small_district_features()[1]
    street["geometry"] = box(123.0, 41.0, 123.04, 41.03)
    problems = problems_of([street])
    assert problems[0].rule == "within_parent" and "210112001001" in problems[0].message


def test_not_a_feature_collection_is_refused():
    with pytest.raises(RegionImportError) as caught:
        import_regions({"type": "Feature"})
    assert caught.value.problems[0].rule == "format"


def test_export_round_trips_through_import():
    import_regions(collection(small_district_features()))
    exported = export_regions(Region.objects.all())
    assert len(exported["features"]) == 23
    assert exported["features"][0]["properties"] == {
        "code": "210112", "name": "测试区", "level": "district", "parent": None, "area_class": "B",
    }
    result = import_regions(json.loads(json.dumps(exported)))
    assert (result.created, result.updated) == (0, 23)
    assert export_regions(Region.objects.all()) == exported


def test_the_command_imports_a_file_and_reports_problems(tmp_path, capsys):
    good = tmp_path / "regions.geojson"
    good.write_text(json.dumps(collection(small_district_features())), encoding="utf-8")
    call_command("import_regions", str(good))
    assert Region.objects.count() == 23
    bad = tmp_path / "bad.geojson"
    features = small_district_features()
    features.append(feature("210112003", "越界街道", box(123.1, 41.0, 123.2, 41.1)))
    bad.write_text(json.dumps(collection(features)), encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_regions", str(bad))
    assert "feature 24 (210112003): [within_parent]" in capsys.readouterr().err


def test_moving_a_boundary_relocates_the_places_inside(district):
    from testsupport import make_place

    place = make_place("shop", 123.019, 41.035)  # near the east edge of grid 001
    assert place.region_code == "210112001001001"
    features = {f["properties"]["code"]: f for f in small_district_features()}
    # Shift the edge between grids 001 and 002 of the first community 0.002° west.
    features["210112001001001"]["geometry"] = box(123.0, 41.03, 123.018, 41.04)
    features["210112001001002"]["geometry"] = {"type": "Polygon", "coordinates": [[
        [123.018, 41.03], [123.04, 41.03], [123.04, 41.04], [123.018, 41.04], [123.018, 41.03]]]}
    result = import_regions(collection([features["210112001001001"], features["210112001001002"]]))
    assert result.places_relocated == 1
    place.refresh_from_db()
    assert place.region_code == "210112001001002"
    assert list(place.grids.values_list("code", flat=True)) == ["210112001001002"]


def test_only_the_office_imports_even_through_the_service(district):
    from django.core.exceptions import PermissionDenied

    from civicgrid.organizations.choices import Role
    from testsupport import make_user

    street = make_user("street", Role.STREET_STAFF, region=district["210112001"])
    features = small_district_features()
    features[1]["properties"]["name"] = "改名"
    with pytest.raises(PermissionDenied):
        import_regions(collection(features), actor=street)
    assert Region.objects.get(code="210112001").name == "第1街道"
    import_regions(collection(features), actor=make_user("office", Role.ADMIN))
    assert Region.objects.get(code="210112001").name == "改名"


def test_an_import_does_not_query_each_parent(db, django_assert_max_num_queries):
    # 23 regions: one read of the stored regions for validation, one locked read, 23 inserts, the version,
    # the relocation (index, places) — never one query per parent.
    with django_assert_max_num_queries(40):
        import_regions(collection(small_district_features()))
