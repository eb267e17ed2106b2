"""Field sessions: a device key that works offline-first for FIELD_SESSION_DAYS, is refused once expired or
revoked, is revoked by the office or its user only, and signing out clears the device."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from civicgrid.cases.tests.conftest import jpeg
from civicgrid.field.models import FieldSession
from civicgrid.organizations.choices import Role
from testsupport import make_user

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def device_key(user) -> str:
    response = signed_in(user).post("/field/session/", HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) 测试手机")
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["username"] == user.get_username()
    return body["key"]


def api(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Field {key}")
    return client


def test_a_device_key_reaches_the_api_as_its_user_for_seven_days(district, settings):
    worker = make_user("worker", Role.GRID_WORKER, region=district["210112001001001"])
    key = device_key(worker)
    session = FieldSession.objects.get()
    assert session.key_digest != key and key not in session.key_digest  # only the digest is kept
    assert abs(session.expires_at - timezone.now() - dt.timedelta(days=settings.FIELD_SESSION_DAYS)) < dt.timedelta(
        minutes=1)
    assert api(key).get("/api/v1/cases/").status_code == 200
    FieldSession.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    refused = api(key).get("/api/v1/cases/")
    assert refused.status_code == 401
    assert refused.json() == {"detail": "外勤会话已过期或已被撤销，请重新登录。"}
    assert api("not-a-key").get("/api/v1/cases/").status_code == 401


def test_the_office_revokes_a_device_and_its_next_call_is_refused(district):
    worker = make_user("worker", Role.GRID_WORKER, region=district["210112001001001"])
    office = make_user("office", Role.ADMIN)
    key = device_key(worker)
    session = FieldSession.objects.get()
    other = make_user("other", Role.GRID_WORKER, region=district["210112002001001"])
    assert "worker" not in signed_in(other).get("/field/sessions/").content.decode()
    assert signed_in(other).post(f"/field/sessions/{session.pk}/revoke/").status_code == 404
    page = signed_in(office).get("/field/sessions/").content.decode()
    assert "worker" in page and "测试手机" in page
    response = signed_in(office).post(f"/field/sessions/{session.pk}/revoke/", follow=True)
    assert "已撤销 worker 的外勤设备会话" in response.content.decode()
    assert api(key).get("/api/v1/cases/").status_code == 401
    from civicgrid.audit.models import AuditEvent

    assert AuditEvent.objects.filter(kind="field_session_revoked", target="worker").exists()


def test_a_worker_revokes_their_own_lost_phone(district):
    worker = make_user("worker", Role.GRID_WORKER, region=district["210112001001001"])
    key = device_key(worker)
    session = FieldSession.objects.get()
    assert "测试手机" in signed_in(worker).get("/field/sessions/").content.decode()
    signed_in(worker).post(f"/field/sessions/{session.pk}/revoke/")
    assert api(key).get("/api/v1/cases/").status_code == 401


def test_signing_out_clears_the_devices_storage(district):
    worker = make_user("worker", Role.GRID_WORKER, region=district["210112001001001"])
    response = signed_in(worker).post("/logout/")
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_the_manifest_makes_the_field_app_installable(db):
    body = Client().get("/manifest.webmanifest").json()
    assert body["display"] == "standalone" and body["start_url"] == "/field/" and body["short_name"] == "创城外勤"
    assert {icon["sizes"] for icon in body["icons"]} == {"192x192", "512x512"}


def test_a_changed_asset_changes_the_worker_so_phones_fetch_it_again(db, tmp_path, settings):
    """Under `make run` static names are not hashed: a worker keeping /static/ CacheFirst served an old field.js
    after an upgrade. The worker now names its cache after the shell's assets, so a changed file changes it."""
    import shutil

    from django.contrib.staticfiles import finders

    def worker():
        response = Client().get("/sw.js")
        assert response.status_code == 200 and response["Service-Worker-Allowed"] == "/"
        return response.content.decode()

    first = worker()
    assert first.startswith('const ASSETS_VERSION = "')
    assert worker() == first
    copy = tmp_path / "field"
    copy.mkdir()
    shutil.copy(finders.find("field/field.js"), copy / "field.js")
    with open(copy / "field.js", "a") as script:
        script.write("\n// a new release\n")
    settings.STATICFILES_DIRS = [str(tmp_path)]  # searched before the apps' static folders
    finders.get_finder.cache_clear()
    try:
        assert worker() != first
    finally:
        finders.get_finder.cache_clear()


def test_a_photo_keeps_the_capture_time_and_place_the_device_recorded(district):
    """The field app resizes photos in the browser, which drops their EXIF; the device's record stands in."""
    worker = make_user("worker", Role.GRID_WORKER, region=district["210112001001001"])
    plain = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 10)).save(plain, "JPEG")
    plain.seek(0)
    plain.name = "resized.jpg"
    client = APIClient()
    client.force_authenticate(worker)
    body = client.post("/api/v1/photos/", {"file": plain, "taken_at": "2026-11-20T21:15:00+08:00",
                                           "lat": 41.80, "lng": 123.40}, format="multipart")
    assert body.status_code == 201
    from civicgrid.cases.models import Photo

    photo = Photo.objects.get()
    assert timezone.localtime(photo.taken_at).strftime("%Y-%m-%d %H:%M") == "2026-11-20 21:15"
    assert (photo.gps_lat, photo.gps_lng) == (41.80, 123.40)
    # A photo's own EXIF wins over what the device says.
    exif = io.BytesIO(jpeg(taken=dt.datetime(2026, 11, 1, 8, 0)))
    exif.name = "camera.jpg"
    client.post("/api/v1/photos/", {"file": exif, "taken_at": "2026-11-20T21:15:00+08:00"}, format="multipart")
    assert timezone.localtime(Photo.objects.latest("id").taken_at).strftime("%Y-%m-%d %H:%M") == "2026-11-01 08:00"
    half = client.post("/api/v1/photos/", {"file": io.BytesIO(b"x"), "lat": 41.8}, format="multipart")
    assert half.status_code == 400
