"""FixMyStreet's own Open311 client (perllib/Open311.pm, Open311/GetServiceRequestUpdates.pm), replayed.

Perl's LWP and XML::Simple are not installed here, so the client cannot run; these tests send exactly the
parameters it sends and read the answers the way it reads them: XML::Simple with its ForceArray/GroupTags
settings (`_get_xml_object`), then the fields its code looks at.
"""

import re
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from civicgrid.cases.choices import Action
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.cases.tests.conftest import jpeg
from civicgrid.open311.tests.conftest import walk

pytestmark = pytest.mark.django_db

# Open311.pm _get_xml_object: these elements are always arrays.
FORCE_ARRAY = {"service", "attribute", "value", "request", "error", "request_update", "group"}
# DateTime::Format::W3CDTF, as GetServiceRequestUpdates parses updated_datetime.
W3CDTF = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def xml_simple(text: bytes):
    """XML::Simple->new(ForceArray => [...], KeyAttr => {}, SuppressEmpty => undef)->parse_string: the root's
    content as a hash; text-only elements as strings, empty ones as undef (None), repeated or forced ones as lists."""
    def convert(element):
        children = list(element)
        if not children:
            return element.text if element.text and element.text.strip() else None
        out = {}
        for child in children:
            value = convert(child)
            if child.tag in FORCE_ARRAY:
                out.setdefault(child.tag, []).append(value)
            elif child.tag in out:  # repeated: becomes a list
                out[child.tag] = (out[child.tag] if isinstance(out[child.tag], list) else [out[child.tag]]) + [value]
            else:
                out[child.tag] = value
        return out

    return convert(ET.fromstring(text))


def map_state(status: str) -> str:
    """Open311.pm map_state (without extended statuses configured)."""
    state = status.lower().replace("_", " ")
    return {"fixed": "fixed - council", "not councils responsibility": "not responsible",
            "no further action": "unable to fix", "open": "confirmed", "closed": "fixed - council"}.get(state, state)


@pytest.fixture
def fms(key):
    """The parameters Open311.pm posts; api_key goes in the body for POST (`_request`)."""
    return {"api_key": key.key, "jurisdiction_id": "civicgrid"}


def send_service_request(world, fms, **extra):
    lng, lat = world["point"]
    params = {**fms, "description": "Rubbish by the gate\n\nPiles of rubbish\n\nhttps://fms.example/report/1\n",
              "service_code": "E0102", "first_name": "John", "last_name": "Smith", "email": "john@example.com",
              "lat": f"{lat:.6f}", "long": f"{lng:.6f}", "attribute[easting]": "123", "attribute[title]": "Rubbish",
              **extra}
    obj = xml_simple(Client().post("/open311/v2/requests.xml", params).content)
    request_id = obj["request"][0]["service_request_id"]
    assert isinstance(request_id, str)  # `return $request_id unless ref $request_id`
    return request_id


def test_send_service_request_gets_an_id_back(world, fms):
    number = send_service_request(world, fms)
    case = Case.objects.get(number=number)
    assert case.reporter_name == "John Smith" and case.description.startswith("Rubbish by the gate")


def test_send_service_request_with_uploaded_photos(world, fms, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # _add_photos_to_upload: photo1, photo2 … as form-data file parts, media_url dropped.
    number = send_service_request(world, fms, photo1=SimpleUploadedFile("1.0.full.jpeg", jpeg(), "image/jpeg"),
                                  photo2=SimpleUploadedFile("1.1.full.jpeg", jpeg(pattern=1), "image/jpeg"))
    assert CaseEvent.objects.get(case__number=number, action=Action.REPORT).photos.count() == 2


def test_get_service_request_updates_reads_every_update_and_maps_closed_states(world, fms):
    fixed, rejected, voided = (send_service_request(world, fms) for _ in range(3))
    from civicgrid.cases.tests.test_loop import after_photo

    walk(world, fixed, "verify", "file", "dispatch", "handle", "check_pass", "close",
         handle={"photos": [after_photo(world)], "note": "已清理"})
    walk(world, rejected, "reject", reject={"note": "非本区"})
    walk(world, voided, "void", void={"note": "误报"})
    # GetServiceRequestUpdates: a start and an end date in W3CDTF, and the api_key, as a GET query.
    response = Client().get("/open311/v2/servicerequestupdates.xml", {
        "api_key": fms["api_key"], "jurisdiction_id": "civicgrid",
        "start_date": "2020-01-01T00:00:00Z", "end_date": "2099-01-01T00:00:00Z"})
    requests = xml_simple(response.content)["request_update"]
    assert all(r["update_id"] is not None and W3CDTF.match(r["updated_datetime"]) for r in requests)
    last_state = {r["service_request_id"]: map_state(r["status"]) for r in requests}
    assert last_state == {fixed: "fixed - council", rejected: "not responsible", voided: "unable to fix"}


def test_an_empty_update_feed_is_an_empty_list(world, fms):
    obj = xml_simple(Client().get("/open311/v2/servicerequestupdates.xml").content)
    assert (obj or {}).get("request_update") is None  # Perl: an empty arrayref or undef, both loop zero times


def test_post_service_request_update_returns_the_update_id(world, fms):
    number = send_service_request(world, fms)
    # _populate_service_request_update_params for a one-word name: first_name the word, last_name '-'.
    params = {**fms, "updated_datetime": "2026-11-29T12:00:00+08:00", "service_request_id": number,
              "status": "OPEN", "description": "Still there", "last_name": "-", "first_name": "Alice",
              "email": "alice@example.com", "update_id": "4242", "media_url": "https://fms.example/photo/4242.0.full.jpeg"}
    first = xml_simple(Client().post("/open311/v2/servicerequestupdates.xml", params).content)
    update_id = first["request_update"][0]["update_id"]
    assert isinstance(update_id, str)
    event = CaseEvent.objects.get(pk=update_id)
    assert event.action == Action.CITIZEN_UPDATE and event.data["name"] == "Alice"
    retried = xml_simple(Client().post("/open311/v2/servicerequestupdates.xml", params).content)
    assert retried["request_update"][0]["update_id"] == update_id  # a retry after a lost answer: no second event


def test_errors_read_as_process_error_reads_them(world, fms):
    obj = xml_simple(Client().post("/open311/v2/servicerequestupdates.xml",
                                   {**fms, "service_request_id": "210112-20990101-99999"}).content)
    assert [(e["code"], "not found" in e["description"]) for e in obj["error"]] == [("404", True)]
