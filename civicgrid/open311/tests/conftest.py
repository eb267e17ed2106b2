"""Open311 tests talk to the endpoints as clients do, in both formats; `rows` reads either answer alike."""

import json
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from civicgrid.cases.services import perform
from civicgrid.cases.tests.conftest import world  # noqa: F401
from civicgrid.open311.models import ApiKey

FORMATS = ["xml", "json"]


@pytest.fixture
def key(world):  # noqa: F811
    return ApiKey.objects.create(key="test-key", name="门户")


@pytest.fixture(params=FORMATS)
def fmt(request):
    return request.param


def rows(response, root: str | None = None, item: str | None = None) -> list[dict]:
    """The flat rows of an answer: a JSON array, or <root><item><field>…</field></item></root> parsed by a strict
    XML parser (expat), with empty elements as None — what a JSON null is."""
    if response["Content-Type"].startswith("application/json"):
        return json.loads(response.content)
    element = ET.fromstring(response.content)  # raises on anything not well-formed
    if root:
        assert element.tag == root
    return [{child.tag: child.text for child in entry} for entry in (element.findall(item) if item else element)]


def post_request(world, fmt="json", headers=None, **data):  # noqa: F811
    lng, lat = world["point"]
    fields = {"api_key": "test-key", "service_code": "E0102", "lat": lat, "long": lng, "description": "小区门口垃圾"}
    fields.update(data)
    return Client().post(f"/open311/v2/requests.{fmt}", {k: v for k, v in fields.items() if v is not None},
                         headers=headers or {})


def new_request(world, **data) -> str:  # noqa: F811
    response = post_request(world, **data)
    assert response.status_code == 201, response.content
    return rows(response)[0]["service_request_id"]


def post_update(number, fmt="json", headers=None, **data):
    fields = {"api_key": "test-key", "service_request_id": number, "description": "垃圾还在", "status": "OPEN",
              "first_name": "小明", "last_name": "王", "email": "xm@example.com"}
    fields.update(data)
    return Client().post(f"/open311/v2/servicerequestupdates.{fmt}",
                         {k: v for k, v in fields.items() if v is not None}, headers=headers or {})


def walk(world, number, *actions, **params):  # noqa: F811
    """Take loop actions on a case as the role that may take each."""
    u = world["users"]
    who = {"verify": "inspector", "file": "shift_leader", "dispatch": "dispatcher", "handle": "handler",
           "check_pass": "inspector", "close": "shift_leader", "reject": "shift_leader", "void": "shift_leader",
           "merge": "acceptor"}
    for action in actions:
        perform(u[who[action]], number, action, **params.get(action, {}))
