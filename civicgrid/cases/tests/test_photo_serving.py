"""Photos are evidence, served after the same permission rule as their case, inspection or ledger record.

Run against the filesystem they are streamed; run against S3 (.ci/s3.sh) the view redirects to a signed URL,
and `media.served` follows it as a browser would.
"""

import pytest
from django.test import Client

from civicgrid.cases.models import Photo
from civicgrid.cases.photos import store_photo
from civicgrid.cases.services import report_case
from civicgrid.cases.tests.conftest import jpeg, upload
from civicgrid.cases.tests.test_embargo import undercover_finding
from civicgrid.organizations.choices import Role
from testsupport import make_user

pytestmark = pytest.mark.django_db

GPS = (41.035, 123.005)


@pytest.fixture
def evidence(world):
    """A case in the first community with a GPS-tagged photo."""
    photo = store_photo(upload(jpeg(gps=GPS)), world["users"]["gridworker"])
    lng, lat = world["point"]
    case = report_case(world["users"]["gridworker"], case_class=world["garbage"], description="门前垃圾",
                       lng=lng, lat=lat, photos=[photo]).case
    return case, photo


def get(user, photo, variant, **headers):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(f"/photos/{photo.uid}/{variant}/", **headers)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("persona", ["admin", "gridworker", "community", "inspector", "handler"])
def test_staff_who_may_see_the_case_get_every_variant(world, evidence, persona, media):
    _case, photo = evidence
    for variant in ("thumb", "public", "original"):
        response = get(world["users"][persona], photo, variant)
        assert media.served(response), (persona, variant)
        assert response["Cache-Control"].startswith("private")
        assert media.s3 or response["ETag"]


def test_the_original_keeps_its_gps_and_the_public_copy_does_not(world, evidence, media):
    from io import BytesIO

    from PIL import Image

    _case, photo = evidence
    original = Image.open(BytesIO(media.served(get(world["users"]["admin"], photo, "original"))))
    public = Image.open(BytesIO(media.served(get(world["users"]["admin"], photo, "public"))))
    assert original.getexif().get_ifd(0x8825) and not public.getexif()


def test_another_communitys_worker_gets_404_for_every_variant(world, evidence):
    _case, photo = evidence
    for variant in ("thumb", "public", "original"):
        assert get(world["users"]["other_community"], photo, variant).status_code == 404


def test_citizens_and_anonymous_readers_get_the_public_copy_never_the_original(world, evidence, media):
    _case, photo = evidence
    for user in (None, world["users"]["public"]):
        assert media.served(get(user, photo, "public"))
        assert media.served(get(user, photo, "thumb"))
        assert get(user, photo, "original").status_code == 404


def test_an_undercover_findings_photos_are_hidden_from_the_inspected_and_the_public(world, media):
    assessor = make_user("assessor", Role.ASSESSOR, region=world["regions"]["210112"])
    photo = store_photo(upload(jpeg()), assessor)
    case = undercover_finding(world, assessor)
    from civicgrid.cases.services import add_finding

    add_finding(case, assessor, note="再次发现", photos=[photo])
    assert media.served(get(assessor, photo, "original"))
    for user in (None, world["users"]["public"], world["users"]["gridworker"], world["users"]["community"]):
        assert get(user, photo, "public").status_code == 404


def test_an_unattached_photo_is_its_uploaders_alone(world, media):
    photo = store_photo(upload(jpeg()), world["users"]["gridworker"])
    assert media.served(get(world["users"]["gridworker"], photo, "original"))
    assert get(world["users"]["community"], photo, "public").status_code == 404
    assert get(None, photo, "thumb").status_code == 404


def test_unknown_photos_and_variants_are_404(world, evidence):
    _case, photo = evidence
    assert get(world["users"]["admin"], photo, "exif").status_code == 404
    assert Client().get("/photos/00000000-0000-0000-0000-000000000000/public/").status_code == 404


def test_the_original_is_stored_under_a_name_the_public_copy_does_not_reveal(evidence):
    _case, photo = evidence
    assert photo.uid.hex in photo.public_file.name
    assert photo.uid.hex not in photo.file.name
    assert photo.file.name.rsplit("/", 1)[-1].split(".")[0] != photo.public_file.name.rsplit("/", 1)[-1].split(".")[0]


@pytest.mark.filesystem  # an object store answers ranges and revalidation itself
def test_a_repeated_request_answers_304_and_ranges_are_served(world, evidence):
    _case, photo = evidence
    first = get(world["users"]["admin"], photo, "public")
    assert get(world["users"]["admin"], photo, "public", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    whole = body(first)
    part = get(world["users"]["admin"], photo, "public", HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206 and body(part) == whole[10:20]
    assert part["Content-Range"] == f"bytes 10-19/{len(whole)}"
    tail = get(world["users"]["admin"], photo, "public", HTTP_RANGE="bytes=-5")
    assert body(tail) == whole[-5:]
    assert get(world["users"]["admin"], photo, "public", HTTP_RANGE=f"bytes={len(whole)}-").status_code == 416


@pytest.mark.filesystem  # with an object store nginx has no files to send
def test_behind_nginx_the_view_answers_with_an_internal_redirect(world, evidence, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    _case, photo = evidence
    response = get(world["users"]["admin"], photo, "original")
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.file.name}"
    assert get(world["users"]["other_community"], photo, "original").status_code == 404


def test_the_api_and_open311_point_at_the_photo_view(world, evidence, media):
    from rest_framework.test import APIClient

    from civicgrid.open311.models import ApiKey

    case, photo = evidence
    api = APIClient()
    api.force_authenticate(world["users"]["admin"])
    listed = api.get(f"/api/v1/cases/{case.number}/").json()["events"][0]["photos"][0]
    assert listed["url"].endswith(f"/photos/{photo.uid}/public/")
    assert listed["thumbnail_url"].endswith(f"/photos/{photo.uid}/thumb/")
    ApiKey.objects.create(key="k", name="门户")
    media_url = Client().get(f"/open311/v2/requests/{case.number}.json").json()[0]["media_url"]
    assert media_url.endswith(f"/photos/{photo.uid}/public/")
    assert media.served(Client().get(media_url.split("testserver", 1)[1]))


def test_the_case_page_shows_before_and_after_side_by_side(world, evidence):
    from civicgrid.cases.services import perform
    from civicgrid.cases.tests.test_loop import after_photo

    case, photo = evidence
    u = world["users"]
    perform(u["shift_leader"], case.number, "file")
    perform(u["dispatcher"], case.number, "dispatch")
    after = after_photo(world)
    perform(u["handler"], case.number, "handle", photos=[after], note="已清理")
    client = Client()
    client.force_login(u["admin"])
    page = client.get(f"/cases/{case.number}/").content.decode()
    compare = page[page.index('id="before-after"'):page.index('id="actions"') if 'id="actions"' in page else None]
    assert f"/photos/{photo.uid}/thumb/" in compare and f"/photos/{after.uid}/thumb/" in compare
    assert Photo.objects.count() == 2


def test_an_api_client_follows_photo_links_with_its_token(world, evidence, media):
    from rest_framework.authtoken.models import Token

    _case, photo = evidence
    token = Token.objects.create(user=world["users"]["admin"])
    url = f"/photos/{photo.uid}/original/"
    assert Client().get(url).status_code == 404
    assert media.served(Client().get(url, HTTP_AUTHORIZATION=f"Token {token.key}"))
    assert Client().get(url, HTTP_AUTHORIZATION="Token wrong").status_code == 404


def test_the_field_app_follows_photo_links_with_its_device_key(world, evidence, media):
    """The field app keeps its device session for days while the web session ends after 30 idle minutes: photos
    that are not public once answered 404 to the device key (only API tokens were read here)."""
    from civicgrid.field.models import FieldSession
    from civicgrid.field.services import start_session
    from civicgrid.territory.models import Region

    _case, photo = evidence
    url = f"/photos/{photo.uid}/original/"  # the thumbnail of a publicly listed case is public: take what is not
    assert Client().get(url).status_code == 404
    _session, key = start_session(world["users"]["gridworker"], "测试手机")
    assert media.served(Client().get(url, HTTP_AUTHORIZATION=f"Field {key}"))
    elsewhere = make_user("elsewhere", Role.GRID_WORKER, region=Region.objects.get(code="210112002001001"))
    _other, other_key = start_session(elsewhere, "测试手机")
    assert Client().get(url, HTTP_AUTHORIZATION=f"Field {other_key}").status_code == 404
    FieldSession.objects.filter(user=world["users"]["gridworker"]).update(revoked_at=FieldSession.objects.get(
        user=world["users"]["gridworker"]).created_at)
    assert Client().get(url, HTTP_AUTHORIZATION=f"Field {key}").status_code == 404


def test_a_refused_request_is_404_before_any_url_is_signed(world, evidence, media, monkeypatch):
    from django.core.files.storage import storages

    _case, photo = evidence
    signed = []
    backend = storages["default"]  # the instance default_storage, and so every Photo field, wraps
    sign = backend.url
    monkeypatch.setattr(backend, "url", lambda name, *args, **kwargs: signed.append(name) or sign(name, *args, **kwargs))
    for user, variant in ((world["users"]["other_community"], "original"), (world["users"]["public"], "original"),
                          (None, "original"), (world["users"]["handler"], "exif")):
        response = get(user, photo, variant)
        assert response.status_code == 404 and "Location" not in response, (user, variant)
    assert signed == []
    media.served(get(world["users"]["admin"], photo, "original"))
    assert signed == ([photo.file.name] if media.s3 else [])


@pytest.mark.s3
def test_with_object_storage_photos_land_in_the_bucket_and_links_expire(world, evidence, media):
    _case, photo = evidence
    stored = {f"{media.prefix}{field.name}" for field in (photo.file, photo.public_file, photo.thumbnail)}
    assert stored <= media.object_keys()  # listed by boto3 itself: the objects really are in the bucket
    response = get(world["users"]["admin"], photo, "original")
    assert response.status_code == 302 and "X-Amz-Expires=300" in response["Location"]
    assert response["Cache-Control"].startswith("private")
    with photo.file.open("rb") as stored_original:
        assert media.served(response) == stored_original.read()
