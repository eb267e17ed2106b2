"""Input that used to answer 500: each is now a 400 with a reason, and nothing is written."""

import datetime as dt
import io
import json
import struct
import zlib

import pytest
from django.test import Client
from rest_framework.test import APIClient

from civicgrid.briefings.models import Briefing
from civicgrid.cases.models import Case, Photo
from civicgrid.cases.services import perform, report_case
from civicgrid.cases.tests.conftest import world  # noqa: F401  (fixture)
from civicgrid.open311.models import ApiKey
from civicgrid.territory.models import Region
from testsupport import box, feature

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def office(world):  # noqa: F811
    return api(world["users"]["admin"])


@pytest.mark.parametrize("url", [
    "/api/v1/inspections/?round=1e30",
    "/api/v1/inspections/?round=99999999999999999999999",
    "/api/v1/inspections/?round=-1",
    "/api/v1/inspection-rollups/?level=street&start=2026-01-01&end=2026-01-31&round=1e30",
])
def test_integer_filters_out_of_range_are_a_400(office, url):
    response = office.get(url)
    assert response.status_code == 400, response.content
    assert "round" in response.json()


@pytest.mark.parametrize("other", ["false", "abc", "1e30", "0", "-3"])
def test_comparing_a_round_with_a_non_id_is_a_400(office, other):
    from civicgrid.inspections.models import AssessmentRound, Standard
    from testsupport import make_unit

    round_ = AssessmentRound.objects.create(name="第一轮", firm=make_unit("FIRM"), standard=Standard.objects.first(),
                                            starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 1, 31))
    response = office.get(f"/api/v1/assessment-rounds/{round_.pk}/compare/?other={other}")
    assert response.status_code == 400 and "other" in response.json()


PERIOD_URLS = [
    "/api/v1/indicators/?level=street&start={start}&end={end}",
    "/api/v1/briefings/figures/?start={start}&end={end}",
    "/api/v1/coverage/?start={start}&end={end}",
    "/api/v1/inspection-rollups/?level=street&start={start}&end={end}",
    "/api/v1/cases/?indicator=closure_rate&start={start}&end={end}",
    "/api/v1/ledgers/operations/?start={start}&end={end}",
]


@pytest.mark.parametrize("start,end", [("0001-01-01", "0001-01-31"), ("9999-12-01", "9999-12-31"),
                                       ("0001-01-01", "9999-12-31")])
@pytest.mark.parametrize("url", PERIOD_URLS)
def test_dates_at_year_1_or_9999_are_a_400(office, url, start, end):
    response = office.get(url.format(start=start, end=end))
    assert response.status_code == 400, response.content
    assert {"start", "end"} & set(response.json())


@pytest.mark.parametrize("start,end", [("0001-01-01", "2026-01-31"), ("2026-01-01", "9999-12-31")])
def test_a_briefing_cannot_be_saved_with_such_dates(office, start, end):
    response = office.post("/api/v1/briefings/", {"title": "简报", "region": "210112", "start": start, "end": end},
                           format="json")
    assert response.status_code == 400 and {"start", "end"} & set(response.json())
    assert not Briefing.objects.exists()


@pytest.mark.parametrize("text", ["第一段\x0b第二段", "\x00", "a\x08b", "\ufffe"])
def test_control_characters_are_refused_on_input(world, office, text):  # noqa: F811
    response = office.post("/api/v1/briefings/", {"title": "简报", "region": "210112", "start": "2026-01-01",
                                                  "end": "2026-01-31", "template": text}, format="json")
    assert response.status_code == 400 and "template" in response.json()
    assert not Briefing.objects.exists()
    lng, lat = world["point"]
    response = office.post("/api/v1/cases/", {"case_class": "E0102", "description": text, "lat": lat, "lng": lng},
                           format="json")
    assert response.status_code == 400 and "description" in response.json()
    response = office.post("/api/v1/cases/", {"case_class": "E0102", "description": text, "lat": lat, "lng": lng},
                           format="multipart")
    assert response.status_code == 400 and "description" in response.json()
    assert not Case.objects.exists()
    assert office.get("/api/v1/cases/", {"q": text}).status_code == 400


def test_a_page_form_with_a_control_character_is_a_400(world):  # noqa: F811
    client = Client()
    client.force_login(world["users"]["gridworker"])
    lng, lat = world["point"]
    response = client.post("/cases/report/", {"case_class": "E0102", "description": "垃圾\x0b", "lat": lat,
                                              "lng": lng, "urgency": "normal"})
    assert response.status_code == 400 and "description" in response.content.decode()
    assert not Case.objects.exists()


def test_a_stored_control_character_never_breaks_a_word_document(world, office):  # noqa: F811
    briefing = Briefing.objects.create(title="简报\x0b", region=Region.objects.get(code="210112"),
                                       start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31),
                                       template="一、概况\n本期\x0b共有{{publicity_boards}}。", created_by=world["users"]["admin"])
    response = office.get(f"/api/v1/briefings/{briefing.pk}/document.docx")
    assert response.status_code == 200
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "共有" in text and "\x0b" not in text


def png_header(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("width,height", [(20000, 20000), (65535, 65535), (100000, 4000)])
def test_a_png_claiming_hundreds_of_megapixels_is_a_400(world, width, height):  # noqa: F811
    upload = io.BytesIO(png_header(width, height))
    upload.name = "bomb.png"
    response = api(world["users"]["gridworker"]).post("/api/v1/photos/", {"file": upload}, format="multipart")
    assert response.status_code == 400, response.content
    assert not Photo.objects.exists()


def nested(depth: int):
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


def region_upload(collection) -> io.BytesIO:
    raw = collection if isinstance(collection, bytes) else json.dumps(collection).encode()
    upload = io.BytesIO(raw)
    upload.name = "regions.geojson"
    return upload


NAN_SQUARE = box(123.0, 41.0, 123.01, 41.01)
NAN_SQUARE["coordinates"][0][1] = [float("nan"), 41.0]


@pytest.mark.parametrize("collection", [
    {"type": "FeatureCollection", "features": [feature("210112003", "新街道", NAN_SQUARE)]},
    {"type": "FeatureCollection", "features": ["not a feature", 3, None, []]},
    {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": ["x"], "geometry": None}]},
    {"type": "FeatureCollection", "features": [feature("210112003", "新街道",
                                                       {"type": "Polygon", "coordinates": nested(50)})]},
    b'{"type": "FeatureCollection", "features": ' + b"[" * 100000 + b"]" * 100000 + b"}",
], ids=["nan", "non-objects", "properties-not-object", "deep-coordinates", "deep-json"])
def test_broken_region_geojson_is_a_400(office, collection):
    count = Region.objects.count()
    response = office.post("/api/v1/regions/import/", {"file": region_upload(collection)}, format="multipart")
    assert response.status_code == 400, response.content
    assert Region.objects.count() == count


def test_a_deeply_nested_json_body_is_a_400(world, office):  # noqa: F811
    lng, lat = world["point"]
    deep = "[" * 50000 + "]" * 50000
    body = f'{{"case_class": "E0102", "description": "x", "lat": {lat}, "lng": {lng}, "photo_ids": {deep}}}'
    response = office.post("/api/v1/cases/", body, content_type="application/json")
    assert response.status_code == 400
    assert not Case.objects.exists()


@pytest.fixture
def key(world):  # noqa: F811
    return ApiKey.objects.create(key="test-key", name="门户")


def open311_post(world, **extra):  # noqa: F811
    lng, lat = world["point"]
    data = {"api_key": "test-key", "service_code": "E0102", "lat": lat, "long": lng, "description": "门前垃圾",
            **extra}
    return Client().post("/open311/v2/requests.json", data)


@pytest.mark.parametrize("extra", [
    {"attribute[criterion]": "abc"}, {"attribute[criterion]": "1e30"}, {"attribute[criterion]": "99999999999999999999"},
    {"address_string": "路" * 301}, {"first_name": "名" * 60}, {"last_name": "姓" * 60}, {"email": "a" * 120},
    {"phone": "1" * 120}, {"description": "字" * 4001},
])
def test_open311_input_that_does_not_fit_is_a_400(world, key, extra):  # noqa: F811
    response = open311_post(world, **extra)
    assert response.status_code == 400, response.content
    assert not Case.objects.exists()


def test_an_extension_beyond_the_limit_is_refused_and_the_case_keeps_moving(world):  # noqa: F811
    u = world["users"]
    lng, lat = world["point"]
    case = report_case(u["gridworker"], case_class=world["garbage"], description="测试", lng=lng, lat=lat).case
    perform(u["shift_leader"], case.number, "file")
    perform(u["dispatcher"], case.number, "dispatch")
    response = api(u["handler"]).post(f"/api/v1/cases/{case.number}/actions/request_extension/",
                                      {"amount": 900, "note": "需要很久"}, format="json")
    assert response.status_code == 400 and "amount" in response.json()
    ok = api(u["handler"]).post(f"/api/v1/cases/{case.number}/actions/request_extension/",
                                {"amount": 2, "note": "需要两天"}, format="json")
    assert ok.status_code == 200, ok.content
    assert perform(u["dispatcher"], case.number, "approve_extension").state == "handling"


def test_unknown_open311_keys_do_not_grow_the_process(world, key):  # noqa: F811
    from civicgrid.open311.views import _keys

    for n in range(600):
        assert open311_post(world, api_key=f"guess-{n}").status_code == 403
    assert len(_keys) <= _keys.max_entries


@pytest.mark.parametrize("body", ["[1, 2]", '"admin"', "3", "null", '[{"username": "admin"}]'])
def test_a_token_request_whose_json_is_not_an_object_is_a_400(world, body):  # noqa: F811
    response = APIClient().post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400, response.content
