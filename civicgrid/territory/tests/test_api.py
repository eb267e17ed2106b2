import json

import pytest
from rest_framework.test import APIClient

from civicgrid.organizations.choices import Role, UnitKind
from civicgrid.organizations.models import Person
from civicgrid.territory.crs import wgs84_to_gcj02
from civicgrid.territory.models import Region
from testsupport import grid_center, make_place, make_unit, make_user, small_district_features

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def street_client(district, api):
    api.force_authenticate(make_user("street", Role.STREET_STAFF, region=district["210112001"]))
    return api


@pytest.fixture
def admin_client(district, api):
    api.force_authenticate(make_user("admin", Role.ADMIN))
    return api


class TestRegionsEndpoint:
    def test_requires_authentication(self, district, api):
        assert api.get("/api/v1/regions/").status_code in (401, 403)

    def test_lists_with_count_and_filters(self, admin_client):
        body = admin_client.get("/api/v1/regions/", {"level": "grid"}).json()
        assert body["count"] == 16 and len(body["results"]) == 16
        assert body["results"][0] == {"code": "210112001001001", "name": "210112001001网格1", "level": "grid",
                                      "parent": "210112001001", "area_class": "A"}
        assert admin_client.get("/api/v1/regions/", {"parent": "210112001"}).json()["count"] == 2
        assert admin_client.get("/api/v1/regions/", {"code": "210112002"}).json()["count"] == 1
        assert admin_client.get("/api/v1/regions/", {"within": "210112002", "level": "grid"}).json()["count"] == 8

    def test_paginates(self, admin_client):
        body = admin_client.get("/api/v1/regions/", {"page_size": 5}).json()
        assert body["count"] == 23 and len(body["results"]) == 5 and body["next"]

    def test_geojson_gives_the_whole_filtered_set(self, admin_client):
        response = admin_client.get("/api/v1/regions/", {"format": "geojson", "level": "grid", "page_size": 5})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/geo+json")
        body = json.loads(response.content)
        assert body["type"] == "FeatureCollection" and len(body["features"]) == 16
        props = body["features"][0]["properties"]
        assert {"code", "name", "level"} <= set(props)
        assert body["features"][0]["geometry"]["type"] == "Polygon"

    def test_detail_has_the_boundary(self, admin_client):
        body = admin_client.get("/api/v1/regions/210112001/").json()
        assert body["code"] == "210112001" and body["boundary"]["type"] == "Polygon"

    def test_a_bad_level_is_a_400_with_the_field(self, admin_client):
        response = admin_client.get("/api/v1/regions/", {"level": "planet"})
        assert response.status_code == 400 and "level" in response.json()

    def test_street_staff_see_their_subtree_and_get_404_elsewhere(self, street_client):
        assert street_client.get("/api/v1/regions/").json()["count"] == 11
        assert street_client.get("/api/v1/regions/210112002/").status_code == 404
        assert street_client.get("/api/v1/regions/210112001001001/").status_code == 200
        geo = json.loads(street_client.get("/api/v1/regions/", {"format": "geojson"}).content)
        assert all(f["properties"]["code"].startswith("210112001") for f in geo["features"])

    def test_public_users_see_no_region(self, district, api):
        api.force_authenticate(make_user("public", Role.PUBLIC))
        assert api.get("/api/v1/regions/").json()["count"] == 0
        assert api.get("/api/v1/regions/210112/").status_code == 404


class TestRegionImportEndpoint:
    def upload(self, client, features):
        from django.core.files.uploadedfile import SimpleUploadedFile

        payload = json.dumps({"type": "FeatureCollection", "features": features}).encode()
        return client.post("/api/v1/regions/import/", {"file": SimpleUploadedFile("r.geojson", payload)},
                           format="multipart")

    def test_the_office_imports(self, db, api):
        api.force_authenticate(make_user("admin", Role.ADMIN))
        response = self.upload(api, small_district_features())
        assert response.status_code == 200, response.content
        assert response.json() == {"created": 23, "updated": 0, "places_relocated": 0}

    def test_a_bad_file_is_400_with_each_problem_and_imports_nothing(self, db, api):
        api.force_authenticate(make_user("admin", Role.ADMIN))
        features = small_district_features()
        features[5]["properties"]["code"] = "21011200100X"
        response = self.upload(api, features)
        assert response.status_code == 400
        problem = response.json()["problems"][0]
        assert problem["feature"] == 6 and problem["rule"] == "code_format"
        assert not Region.objects.exists()

    def test_not_json_is_400(self, db, api):
        from django.core.files.uploadedfile import SimpleUploadedFile

        api.force_authenticate(make_user("admin", Role.ADMIN))
        response = api.post("/api/v1/regions/import/", {"file": SimpleUploadedFile("r.geojson", b"{nope")},
                            format="multipart")
        assert response.status_code == 400 and "file" in response.json()

    def test_street_staff_may_not_import(self, street_client):
        response = self.upload(street_client, small_district_features())
        assert response.status_code == 403
        assert Region.objects.get(code="210112001").name == "第1街道"


class TestLocateEndpoint:
    def test_locates_with_the_whole_chain(self, street_client):
        body = street_client.get("/api/v1/locate/", {"lat": 41.035, "lng": 123.005}).json()
        assert body["grid"] == {"code": "210112001001001", "name": "210112001001网格1"}
        assert body["community"]["code"] == "210112001001"
        assert body["street"] == {"code": "210112001", "name": "第1街道"}
        assert body["district"] == {"code": "210112", "name": "测试区"}

    def test_converts_gcj02(self, street_client):
        lng, lat = (float(v) for v in wgs84_to_gcj02(123.005, 41.035))
        body = street_client.get("/api/v1/locate/", {"lat": lat, "lng": lng, "crs": "gcj02"}).json()
        assert body["grid"]["code"] == "210112001001001"
        assert abs(body["lng"] - 123.005) < 1e-6

    def test_outside_is_404_with_a_message(self, street_client):
        response = street_client.get("/api/v1/locate/", {"lat": 30, "lng": 100})
        assert response.status_code == 404 and "outside" in response.json()["detail"]

    @pytest.mark.parametrize("params,field", [
        ({"lat": 41}, "lng"), ({"lat": "x", "lng": 123}, "lat"), ({"lat": 95, "lng": 123}, "lat"),
        ({"lat": 41, "lng": 123, "crs": "utm"}, "crs"),
    ])
    def test_bad_input_is_400_with_field_messages(self, street_client, params, field):
        response = street_client.get("/api/v1/locate/", params)
        assert response.status_code == 400 and field in response.json()


class TestPlacesEndpoint:
    @pytest.fixture
    def places(self, district):
        committee = make_unit("CM1", UnitKind.COMMUNITY_COMMITTEE, district["210112001001"])
        chief = Person.objects.create(name="场长乙")
        return {
            "market": make_place("market", *grid_center("210112001001002"), unit=committee, chief=chief),
            "shop": make_place("shop", *grid_center("210112001002001")),
            "far_shop": make_place("shop", *grid_center("210112002002004")),
        }

    def test_filters_by_kind_region_subtree_and_chief(self, admin_client, places):
        get = lambda **q: {p["code"] for p in admin_client.get("/api/v1/places/", q).json()["results"]}  # noqa: E731
        assert get(kind="shop") == {places["shop"].code, places["far_shop"].code}
        assert get(region="210112001") == {places["market"].code, places["shop"].code}
        assert get(region="210112001001002") == {places["market"].code}
        assert get(chief=str(places["market"].chief.uid)) == {places["market"].code}

    def test_a_place_carries_its_chief_and_unit(self, admin_client, places):
        body = admin_client.get(f"/api/v1/places/{places['market'].code}/").json()
        assert body["chief"]["name"] == "场长乙" and body["chief_title"] == "场长"
        assert body["responsible_unit"]["code"] == "CM1"
        assert body["grid"] == "210112001001002" and body["grids"] == ["210112001001002"]
        assert body["geometry"]["type"] == "Point"

    def test_scope_applies(self, street_client, places):
        assert street_client.get("/api/v1/places/").json()["count"] == 2
        assert street_client.get(f"/api/v1/places/{places['far_shop'].code}/").status_code == 404

    def test_filters_by_category(self, admin_client, places):
        from civicgrid.territory.models import PlaceCategory

        places["shop"].category = PlaceCategory.objects.get(slug="small_clinic")
        places["shop"].save()
        rows = admin_client.get("/api/v1/places/", {"category": "small_clinic"}).json()["results"]
        assert [(r["code"], r["category_name"]) for r in rows] == [(places["shop"].code, "小诊所")]

    def test_a_malformed_chief_is_400(self, admin_client, places):
        response = admin_client.get("/api/v1/places/", {"chief": "not-a-uuid"})
        assert response.status_code == 400 and "chief" in response.json()
