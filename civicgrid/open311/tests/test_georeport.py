import json
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from civicgrid.cases.models import Case
from civicgrid.cases.services import perform
from civicgrid.open311.models import ApiKey

pytestmark = pytest.mark.django_db

REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"}
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}


@pytest.fixture
def key(world):
    return ApiKey.objects.create(key="test-key", name="门户")


def post(world, **data):
    lng, lat = world["point"]
    fields = {"api_key": "test-key", "service_code": "E0102", "lat": lat, "long": lng, "description": "小区门口垃圾"}
    fields.update(data)
    return Client().post(f"/open311/v2/requests.{data.pop('fmt', 'json')}", {k: v for k, v in fields.items()
                                                                              if v is not None and k != "fmt"})


def test_services_list_every_class_with_the_spec_fields(world):
    body = Client().get("/open311/v2/services.json").json()
    assert {s["service_code"] for s in body} >= {"E0102", "C0118"}
    assert all(set(s) == SERVICE_FIELDS for s in body)
    root = ET.fromstring(Client().get("/open311/v2/services.xml").content)
    assert root.tag == "services" and {c.tag for c in root.find("service")} == SERVICE_FIELDS


def test_a_service_definition_offers_the_filing_criteria(world):
    body = Client().get("/open311/v2/services/C0118.json").json()
    attribute = body["attributes"][0]
    assert attribute["code"] == "criterion" and attribute["datatype"] == "singlevaluelist"
    assert {v["name"] for v in attribute["values"]} == {"连续三盏及以上不亮", "单盏不亮或灯杆破损"}
    xml = ET.fromstring(Client().get("/open311/v2/services/C0118.xml").content)
    assert xml.tag == "service_definition" and len(xml.findall("attributes/attribute/values/value")) == 2
    assert Client().get("/open311/v2/services/X9999.json").status_code == 404


def test_posting_creates_a_routed_case_with_a_deadline_step(world, key):
    response = post(world)
    assert response.status_code == 201
    [answer] = response.json()
    case = Case.objects.get(number=answer["service_request_id"])
    assert case.source == "public_report" and case.state == "reported" and case.verify_due
    assert case.responsible_unit == world["department"] and answer["service_notice"] == case.routing_note


def test_a_request_reads_back_with_every_spec_field_in_json_and_xml(world, key):
    number = post(world).json()[0]["service_request_id"]
    [request] = Client().get(f"/open311/v2/requests/{number}.json").json()
    assert set(request) == REQUEST_FIELDS
    assert request["status"] == "open" and request["status_notes"] == "已收到，待受理"
    assert request["agency_responsible"] == world["department"].name
    assert request["requested_datetime"].endswith("+08:00")
    xml = ET.fromstring(Client().get(f"/open311/v2/requests/{number}.xml").content)
    assert xml.tag == "service_requests" and {c.tag for c in xml.find("request")} == REQUEST_FIELDS


def test_status_maps_the_loop_to_open_and_closed(world, key):
    number = post(world).json()[0]["service_request_id"]
    u = world["users"]
    perform(u["inspector"], number, "verify")
    perform(u["shift_leader"], number, "file")
    perform(u["dispatcher"], number, "dispatch")
    [request] = Client().get(f"/open311/v2/requests/{number}.json").json()
    assert request["status"] == "open" and request["status_notes"] == "处理中" and request["expected_datetime"]
    perform(u["shift_leader"], post(world).json()[0]["service_request_id"], "reject", note="重复")
    closed = Client().get("/open311/v2/requests.json", {"status": "closed"}).json()
    assert [r["status"] for r in closed] == ["closed"]
    assert len(Client().get("/open311/v2/requests.json", {"status": "open"}).json()) == 1


def test_a_list_filters_by_ids_and_service_code(world, key):
    first = post(world).json()[0]["service_request_id"]
    second = post(world, service_code="C0118").json()[0]["service_request_id"]
    both = Client().get("/open311/v2/requests.json", {"service_request_id": f"{first},{second}"}).json()
    assert {r["service_request_id"] for r in both} == {first, second}
    only = Client().get("/open311/v2/requests.json", {"service_code": "C0118"}).json()
    assert [r["service_request_id"] for r in only] == [second]


def test_undercover_findings_are_never_listed(world, key):
    from civicgrid.cases.tests.test_embargo import undercover_finding

    hidden = undercover_finding(world, world["users"]["admin"])
    assert Client().get("/open311/v2/requests.json").json() == []
    assert Client().get(f"/open311/v2/requests/{hidden.number}.json").status_code == 404


@pytest.mark.parametrize("data,status,text", [
    ({"api_key": "wrong"}, 403, "api_key"),
    ({"api_key": None}, 403, "api_key"),
    ({"service_code": "Z0000"}, 404, "not found"),
    ({"service_code": None}, 400, "service_code is required"),
    ({"lat": None, "long": None}, 400, "location is required"),
    ({"lat": "north"}, 400, "numbers"),
    ({"lat": "30", "long": "100"}, 400, "不在本区"),
    ({"description": "长" * 4001}, 400, "4,000"),
])
def test_errors_follow_the_spec(world, key, data, status, text):
    response = post(world, **data)
    assert response.status_code == status
    [error] = response.json()
    assert error["code"] == status and text in error["description"]
    assert not Case.objects.exists()


def test_errors_in_xml(world, key):
    response = post(world, api_key="wrong", fmt="xml")
    root = ET.fromstring(response.content)
    assert response.status_code == 403 and root.tag == "errors" and root.find("error/code").text == "403"


def test_a_place_can_stand_for_the_location(world, key):
    from testsupport import make_place

    place = make_place("market", *world["point"], name="祥瑞农贸市场", unit=world["committees"]["210112001001"])
    number = post(world, lat=None, long=None, address_id=place.code).json()[0]["service_request_id"]
    case = Case.objects.get(number=number)
    assert case.place == place and case.responsible_unit == place.responsible_unit
    assert "按责任对象" in case.routing_note


def test_discovery_lists_the_endpoint(world):
    body = json.loads(Client().get("/open311/v2/discovery.json").content)
    assert body["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    assert ET.fromstring(Client().get("/open311/v2/discovery.xml").content).tag == "discovery"


def test_tokens_resolve_to_the_request(world, key):
    number = post(world).json()[0]["service_request_id"]
    assert Client().get(f"/open311/v2/tokens/{number}.json").json() == [{"service_request_id": number,
                                                                          "token": number}]
