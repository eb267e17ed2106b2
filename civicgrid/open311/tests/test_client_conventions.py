"""What real clients send and expect: XML that always parses, empty arguments, keys in the query string,
retries, titles, names in either order, <errors> for any unknown path, CORS for reading, no silent truncation."""

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from civicgrid.cases.choices import Action
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.cases.services import events
from civicgrid.cases.tests.test_loop import after_photo
from civicgrid.open311 import views
from civicgrid.open311.models import ApiKey
from civicgrid.open311.submission import full_name, with_title
from civicgrid.open311.tests.conftest import new_request, post_request, post_update, rows, walk

pytestmark = pytest.mark.django_db

ILLEGAL = "\x0b\x08\x00\ufffe\x1f"


# -- 1. XML 1.0-illegal characters ---------------------------------------------------------------------------------
def test_stored_control_characters_never_reach_the_feed(world, key, fmt):
    number = new_request(world)
    case = Case.objects.get(number=number)
    # PostgreSQL cannot store NUL at all (input refuses it everywhere); the other characters it keeps.
    stored = ILLEGAL.replace("\x00", "") if connection.vendor == "postgresql" else ILLEGAL
    Case.objects.filter(pk=case.pk).update(description=f"垃圾{stored}堆放", address=f"幸福路{stored}1号")
    with_version = Case.objects.get(pk=case.pk)
    Case.objects.filter(pk=case.pk).update(version=with_version.version + 1)
    events.noted(with_version, action=Action.CITIZEN_UPDATE, actor=None, at=timezone.now(), note=f"还在{stored}")
    listing = Client().get(f"/open311/v2/requests.{fmt}")
    [request] = rows(listing, "service_requests", "request")  # a strict parser: one bad character would raise
    assert request["description"] == "垃圾堆放" and request["address"] == "幸福路1号"
    updates = rows(Client().get(f"/open311/v2/servicerequestupdates.{fmt}"), "service_request_updates",
                   "request_update")
    assert any(u["description"].endswith("还在") for u in updates)
    assert not any(ch in listing.content.decode() for ch in ILLEGAL)


@pytest.mark.parametrize("path,field", [("requests", "description"), ("servicerequestupdates", "description"),
                                        ("requests", "last_name")])
@pytest.mark.parametrize("character", ["\x0b", "\x08", "\x00", "\ufffe"])
def test_control_characters_are_refused_on_input_naming_the_field(world, key, fmt, path, field, character):
    number = new_request(world)
    lng, lat = world["point"]
    data = {"api_key": "test-key", "service_code": "E0102", "lat": lat, "long": lng, "service_request_id": number,
            "description": "垃圾", field: f"垃圾{character}"}
    response = Client().post(f"/open311/v2/{path}.{fmt}", data)
    assert response.status_code == 400
    [error] = rows(response, "errors", "error")
    assert error["description"].startswith(f"{field}:")
    assert Case.objects.count() == 1 and not CaseEvent.objects.filter(action=Action.CITIZEN_UPDATE).exists()


# -- 5. no silent truncation -----------------------------------------------------------------------------------------
def test_every_listed_id_is_answered(world, key, fmt, monkeypatch):
    numbers = [new_request(world) for _ in range(5)]
    monkeypatch.setattr(views, "MAX_REQUESTS", 2)  # the window's page size does not cut an id list
    monkeypatch.setattr(views, "_ID_BATCH", 2)  # ids are looked up in batches, all of them
    found = rows(Client().get(f"/open311/v2/requests.{fmt}", {"service_request_id": ",".join(numbers)}))
    assert sorted(r["service_request_id"] for r in found) == sorted(numbers)


def test_more_ids_than_the_maximum_is_a_400_saying_the_maximum(world, key, fmt, monkeypatch):
    monkeypatch.setattr(views, "MAX_IDS", 3)
    response = Client().get(f"/open311/v2/requests.{fmt}", {"service_request_id": "1,2,3,4"})
    assert response.status_code == 400 and "at most 3 service_request_id" in rows(response)[0]["description"]


def test_a_cut_window_says_so_and_where_the_next_page_ends(world, key, fmt, monkeypatch):
    numbers = [new_request(world) for _ in range(3)]
    monkeypatch.setattr(views, "MAX_REQUESTS", 2)
    first = Client().get(f"/open311/v2/requests.{fmt}")
    assert first[views.TRUNCATED] == "true" and first["Access-Control-Expose-Headers"].count("X-Open311") == 3
    page = [r["service_request_id"] for r in rows(first)]
    assert page == numbers[:0:-1]  # newest first
    rest = Client().get(f"/open311/v2/requests.{fmt}", {"end_date": first[views.NEXT_END_DATE]})
    assert views.TRUNCATED not in rest
    assert {r["service_request_id"] for r in rows(rest)} | set(page) == set(numbers)
    assert views.TRUNCATED not in Client().get(f"/open311/v2/requests.{fmt}", {"status": "closed"})


def test_a_cut_update_feed_says_where_the_next_page_starts(world, key, fmt, monkeypatch):
    number = new_request(world)
    walk(world, number, "verify", "file", "dispatch", "handle", handle={"photos": [after_photo(world)]})
    monkeypatch.setattr(views, "MAX_UPDATES", 2)
    first = Client().get(f"/open311/v2/servicerequestupdates.{fmt}")
    assert first[views.TRUNCATED] == "true" and len(rows(first)) == 2
    seen, page, pages = {}, first, 1
    while True:  # a client follows the pages until one is whole; updates repeated at a page's edge are the same
        seen.update({str(u["update_id"]): u["status"] for u in rows(page)})
        if views.TRUNCATED not in page:
            break
        page = Client().get(f"/open311/v2/servicerequestupdates.{fmt}", {"start_date": page[views.NEXT_START_DATE]})
        pages += 1
    assert pages == 3 and sorted(seen.values()) == ["ACTION_SCHEDULED", "INVESTIGATING", "IN_PROGRESS", "IN_PROGRESS"]


# -- 6. arguments as clients send them ----------------------------------------------------------------------------------
def test_status_open_and_closed_together_lists_both(world, key, fmt):
    open_one, closed_one = new_request(world), new_request(world)
    walk(world, closed_one, "reject", reject={"note": "重复"})
    both = rows(Client().get(f"/open311/v2/requests.{fmt}", {"status": "open,closed"}))
    assert {r["service_request_id"] for r in both} == {open_one, closed_one}
    assert rows(Client().get(f"/open311/v2/requests.{fmt}", {"status": "closed"}))[0]["service_request_id"] == closed_one
    bad = Client().get(f"/open311/v2/requests.{fmt}", {"status": "open,pending"})
    assert bad.status_code == 400


def test_empty_arguments_count_as_absent(world, key, fmt):
    number = new_request(world)
    walk(world, number, "verify")  # an update to list
    empty = {"start_date": "", "end_date": "", "status": "", "service_code": "", "service_request_id": ""}
    for path in ("requests", "servicerequestupdates"):
        response = Client().get(f"/open311/v2/{path}.{fmt}", empty)
        assert response.status_code == 200, response.content
        assert rows(response) == rows(Client().get(f"/open311/v2/{path}.{fmt}"))
        assert number in {r["service_request_id"] for r in rows(response)}


def test_dates_with_an_unencoded_plus_or_z_are_read(world, key, fmt):
    number = new_request(world)
    since = timezone.localtime(timezone.now() - dt.timedelta(hours=1)).isoformat(timespec="seconds")
    for start in (since.replace("+", " "), (timezone.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")):
        found = rows(Client().get(f"/open311/v2/requests.{fmt}", {"start_date": start}))
        assert [r["service_request_id"] for r in found] == [number]
    backwards = Client().get(f"/open311/v2/requests.{fmt}", {"start_date": since, "end_date": "2020-01-01T00:00:00Z"})
    assert backwards.status_code == 400 and "later than" in rows(backwards)[0]["description"]


def test_the_api_key_may_come_in_the_query_string(world, key, fmt):
    lng, lat = world["point"]
    response = Client().post(f"/open311/v2/requests.{fmt}?api_key=test-key",
                             {"service_code": "E0102", "lat": lat, "long": lng, "description": "垃圾"})
    assert response.status_code == 201
    number = rows(response)[0]["service_request_id"]
    update = Client().post(f"/open311/v2/servicerequestupdates.{fmt}?api_key=test-key",
                           {"service_request_id": number, "description": "还在"})
    assert update.status_code == 201


def test_a_retried_post_with_the_same_idempotency_key_creates_once(world, key, fmt):
    first = post_request(world, fmt=fmt, headers={"Idempotency-Key": "abc-1"})
    again = post_request(world, fmt=fmt, headers={"Idempotency-Key": "abc-1"})
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert rows(first) == rows(again) and Case.objects.count() == 1
    other = post_request(world, fmt=fmt, headers={"Idempotency-Key": "abc-1"}, description="另一件事")
    assert other.status_code == 422 and "already used" in rows(other)[0]["description"]
    assert Case.objects.count() == 1
    ApiKey.objects.create(key="other-key", name="另一个客户端")
    theirs = post_request(world, fmt=fmt, api_key="other-key", headers={"Idempotency-Key": "abc-1"})
    assert theirs.status_code == 201 and Case.objects.count() == 2  # keys are per client


def test_a_refused_post_does_not_use_up_its_idempotency_key(world, key, fmt):
    refused = post_request(world, fmt=fmt, lat="30", long="100", headers={"Idempotency-Key": "k"})
    assert refused.status_code == 400
    assert post_request(world, fmt=fmt, headers={"Idempotency-Key": "k"}).status_code == 201


def test_an_update_is_idempotent_by_header_too(world, key, fmt):
    number = new_request(world)
    for _ in range(2):
        assert post_update(number, fmt, headers={"Idempotency-Key": "u-1"}).status_code == 201
    assert CaseEvent.objects.filter(case__number=number, action=Action.CITIZEN_UPDATE).count() == 1


def test_the_title_heads_the_description(world, key, fmt):
    number = new_request(world, fmt=fmt, title="垃圾堆积", description="小区门口三天没人清")
    assert Case.objects.get(number=number).description == "垃圾堆积\n\n小区门口三天没人清"
    kept = new_request(world, fmt=fmt, title="垃圾堆积", description="垃圾堆积\n\n小区门口")
    assert Case.objects.get(number=kept).description == "垃圾堆积\n\n小区门口"
    only = new_request(world, fmt=fmt, title="垃圾堆积", description="")
    assert Case.objects.get(number=only).description == "垃圾堆积"


@pytest.mark.parametrize("first,last,name", [
    ("小明", "王", "王小明"), ("John", "Smith", "John Smith"), ("欧阳", "", "欧阳"), ("Mary", "-", "Mary"),
    ("", "", ""), (" 小明 ", " 王 ", "王小明"),
])
def test_names_are_joined_as_their_language_writes_them(first, last, name):
    assert full_name(first, last) == name


def test_a_reporters_name_is_kept_as_written(world, key, fmt):
    number = new_request(world, fmt=fmt, first_name="小明", last_name="王", phone="13800000000")
    case = Case.objects.get(number=number)
    assert case.reporter_name == "王小明" and case.reporter_contact == "13800000000"


def test_with_title_keeps_a_lone_description():
    assert with_title("", "门口垃圾") == "门口垃圾"


@pytest.mark.parametrize("path,message", [
    ("requests.csv", "format 'csv' is not offered"), ("nothing.json", "not an Open311 endpoint"),
    ("nothing", "not an Open311 endpoint"), ("services/E0102.html", "format 'html'"),
    ("requests/1/2.json", "not an Open311 endpoint"), ("requests/ABC.xml", "requests/ABC not found"),
    ("services/E01_02.json", "services/E01_02 not found"),
])
def test_unknown_paths_and_formats_answer_with_errors(world, path, message):
    response = Client().get(f"/open311/v2/{path}")
    assert response.status_code == 404 and response["Access-Control-Allow-Origin"] == "*"
    if path.endswith(".json"):
        [error] = response.json()
    else:
        root = ET.fromstring(response.content)
        assert root.tag == "errors" and response["Content-Type"].startswith("text/xml")
        error = {child.tag: child.text for child in root.find("error")}
    assert str(error["code"]) == "404" and message in error["description"]


@pytest.mark.parametrize("path", ["discovery", "services", "services/E0102", "requests", "servicerequestupdates"])
def test_reading_is_open_to_any_origin(world, key, fmt, path):
    response = Client().get(f"/open311/v2/{path}.{fmt}", headers={"Origin": "https://example.org"})
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    preflight = Client().options(f"/open311/v2/{path}.{fmt}", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 204 and preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"] and "POST" not in preflight["Access-Control-Allow-Methods"]


def test_posting_is_not_offered_to_other_origins(world, key, fmt):
    response = post_request(world, fmt=fmt)
    assert response.status_code == 201 and "Access-Control-Allow-Origin" not in response


def test_a_method_an_endpoint_does_not_take_is_a_405_in_its_format(world, fmt):
    response = Client().delete(f"/open311/v2/requests.{fmt}")
    assert response.status_code == 405 and "POST" in response["Allow"]
    assert "DELETE is not allowed" in rows(response, "errors", "error")[0]["description"]
    assert Client().post(f"/open311/v2/services.{fmt}").status_code == 405
