"""The committed OpenAPI document describes what the API really answers.

Every list and detail GET of the router is called as the office over a small world in which the optional
relations are empty (a case without a place, a contract without a person, a unit without a parent …), and each
body is validated against docs/openapi.yaml. Schemathesis does the same against a served demo in CI; this test
keeps the common cases true without a server.
"""

import datetime as dt
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from rest_framework.test import APIClient

from civicgrid import audit
from civicgrid.api_urls import router
from civicgrid.briefings import services as briefings
from civicgrid.cases import services as cases
from civicgrid.cases.models import CaseClass
from civicgrid.inspections import planning
from civicgrid.inspections import services as inspections
from civicgrid.inspections.models import Standard
from civicgrid.organizations.choices import Role, UnitKind
from civicgrid.organizations.models import Person
from civicgrid.organizations.services import contract
from testsupport import grid_center, make_place, make_unit, make_user

SCHEMA_FILE = Path(__file__).resolve().parents[3] / "docs" / "openapi.yaml"
# RFC 3339 full-time, as JSON Schema's "time" format means it; jsonschema checks it only with an optional package.
RFC3339_TIME = re.compile(r"^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _json_schema(node):
    """OpenAPI 3.0 → JSON Schema: `nullable: true` becomes a null alternative."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if "enum" in node:
            node["enum"] = [*node["enum"], None]
        if "type" in node:
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


@pytest.fixture(scope="module")
def spec():
    return _json_schema(yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8")))


def _validate(spec, path: str, status: int, media_type: str, body, method: str = "get"):
    operation = spec["paths"][path][method]
    response = operation["responses"].get(str(status))
    assert response is not None, f"{method.upper()} {path} answers {status}, which the schema does not document"
    schema = response["content"][media_type]["schema"]
    checker = jsonschema.FormatChecker()
    checker.checks("time")(lambda value: not isinstance(value, str) or bool(RFC3339_TIME.match(value)))
    validator = jsonschema.Draft7Validator({**schema, "components": spec["components"]}, format_checker=checker)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)]
    assert not errors, f"GET {path} ({status}) does not match the schema:\n" + "\n".join(errors[:20])


@pytest.fixture
def office_client(district):
    d = district
    office = make_user("office", Role.ADMIN)
    # Each optional relation left empty at least once, and filled at least once.
    orphan_unit = make_unit("ORPHAN", UnitKind.DEPARTMENT)
    committee = make_unit("CM1", UnitKind.COMMUNITY_COMMITTEE, d["210112001001"], parent=orphan_unit)
    firm = make_unit("FIRM-T", UnitKind.ASSESSMENT_FIRM)
    lng, lat = grid_center("210112001001001")
    place = make_place("market", lng, lat, name="无主市场", code="MKT-1")
    make_place("shop", lng + 0.001, lat, unit=committee, chief=Person.objects.create(name="店长"), code="SHOP-1")
    garbage = CaseClass.objects.get(code="E0102")
    cases.report_case(office, case_class=garbage, description="没有对象的案件", lng=lng, lat=lat)
    cases.report_case(office, case_class=garbage, description="市场门口", lng=lng, lat=lat, place=place)
    contract(target=d["210112001"], unit=committee, starts_on=dt.date(2026, 1, 1))
    contract(target=d["210112001"], person=Person.objects.create(name="包保领导"), starts_on=dt.date(2026, 1, 1))
    standard = Standard.objects.get(code="wmcs-local", version=1)
    plan = planning.create_plan(office, name="晨检", kind="morning", standard=standard, region_code="210112",
                                starts_on=dt.date(2026, 3, 2), ends_on=dt.date(2026, 3, 3))
    planning.create_plan(office, name="专项", kind="special", standard=standard, region_code="210112",
                         starts_on=dt.date(2026, 3, 2))
    planning.generate_assignments(plan, dt.date(2026, 3, 2), dt.date(2026, 3, 2), actor=office)
    inspections.start_inspection(office, place=place, kind="special")
    round_ = inspections.create_round(office, name="第1轮", firm=firm, standard=standard,
                                      starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 31))
    inspections.start_inspection(office, place=place, kind="undercover", round_=round_)
    briefings.create_briefing(office, title="三月简报", region=d["210112"], start=dt.date(2026, 3, 1),
                              end=dt.date(2026, 3, 31))
    audit.record("export", actor=office, target="ledger shops")
    client = APIClient()
    client.force_authenticate(office)
    return client


def _router_reads():
    for prefix, viewset, _basename in router.registry:
        kwarg = viewset.lookup_url_kwarg or viewset.lookup_field or "pk"
        kwarg = "id" if kwarg == "pk" else kwarg  # drf-spectacular names a primary key {id}
        yield pytest.param(prefix, kwarg, kwarg, id=prefix)


@pytest.mark.parametrize(("prefix", "kwarg", "key"), list(_router_reads()))
def test_it_answers_every_list_and_detail_as_the_schema_says(spec, office_client, prefix, kwarg, key):
    listing = office_client.get(f"/api/v1/{prefix}/", {"page_size": 500})
    assert listing.status_code == 200, listing.content[:300]
    body = listing.json()
    _validate(spec, f"/api/v1/{prefix}/", 200, "application/json", body)
    items = body["results"] if isinstance(body, dict) else body
    assert items, f"the world has no {prefix}: nothing to check"
    for item in items:
        detail = office_client.get(f"/api/v1/{prefix}/{item[key]}/")
        assert detail.status_code == 200, detail.content[:300]
        _validate(spec, f"/api/v1/{prefix}/{{{kwarg}}}/", 200, "application/json", detail.json())
    missing = office_client.get(f"/api/v1/{prefix}/0000/")
    _validate(spec, f"/api/v1/{prefix}/{{{kwarg}}}/", missing.status_code, "application/json", missing.json())


def test_it_answers_regions_as_geojson_as_the_schema_says(spec, office_client):
    response = office_client.get("/api/v1/regions/", {"format": "geojson", "level": "community"})
    assert response.status_code == 200
    assert len(response.json()["features"]) == 4
    _validate(spec, "/api/v1/regions/", 200, "application/geo+json", response.json())


def test_it_answers_one_region_as_a_geojson_feature(spec, office_client):
    response = office_client.get("/api/v1/regions/210112001/", {"format": "geojson"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    feature = response.json()
    assert (feature["type"], feature["id"], feature["properties"]["parent"]) == ("Feature", "210112001", "210112")
    _validate(spec, "/api/v1/regions/{code}/", 200, "application/geo+json", feature)


def test_it_answers_a_multipart_body_without_a_boundary_as_a_documented_400(spec, office_client):
    # Found by schemathesis: the input check read request.POST, Django raised, and answered an HTML page.
    response = office_client.generic("POST", "/api/v1/assessment-rounds/", b"name=x",
                                     content_type="multipart/form-data")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    _validate(spec, "/api/v1/assessment-rounds/", 400, "application/json", response.json(), method="post")
