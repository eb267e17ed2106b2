import datetime as dt
import io
import uuid

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from civicgrid.cases.models import Case, CaseClass, CaseEvent, FilingCriterion, Photo
from civicgrid.cases.rulebook import COLUMNS, HEADERS
from civicgrid.cases.tests.conftest import SH, jpeg, upload
from civicgrid.core import excel

pytestmark = pytest.mark.django_db


def client_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def body(world, **extra):
    lng, lat = world["point"]
    return {"case_class": "E0102", "description": "路边暴露垃圾", "lat": lat, "lng": lng, **extra}


class TestReporting:
    def test_a_json_report_creates_a_case_with_its_first_event(self, world):
        response = client_for(world["users"]["gridworker"]).post("/api/v1/cases/", body(world), format="json")
        assert response.status_code == 201, response.content
        case = response.json()["case"]
        assert case["state"] == "reported" and case["grid"] == "210112001001001"
        assert [e["action"] for e in case["events"]] == ["report"]
        assert response.json()["possible_duplicates"] == []

    def test_photos_can_be_uploaded_first_and_referenced(self, world):
        api = client_for(world["users"]["gridworker"])
        uploaded = api.post("/api/v1/photos/", {"file": upload(jpeg())}, format="multipart")
        assert uploaded.status_code == 201
        photo_id = uploaded.json()["id"]
        response = api.post("/api/v1/cases/", body(world, photo_ids=[photo_id]), format="json")
        event = response.json()["case"]["events"][0]
        assert [p["id"] for p in event["photos"]] == [photo_id] and event["photos"][0]["role"] == "before"

    def test_photos_can_be_sent_inline_as_repeated_multipart_fields(self, world):
        api = client_for(world["users"]["gridworker"])
        data = {**body(world), "photos": [upload(jpeg()), upload(jpeg((0, 0, 200)))]}
        response = api.post("/api/v1/cases/", data, format="multipart")
        assert response.status_code == 201, response.content
        assert len(response.json()["case"]["events"][0]["photos"]) == 2

    def test_a_refused_report_leaves_no_photo_behind_and_keeps_photos_uploaded_before(self, world):
        """The report owns its transaction, so its inline uploads are stored before it: when it is refused they
        are removed again (rows and files); a photo uploaded in an earlier request stays for the next try."""
        api = client_for(world["users"]["gridworker"])
        earlier = api.post("/api/v1/photos/", {"file": upload(jpeg())}, format="multipart").json()["id"]
        data = {**body(world, lat=10.0, lng=10.0), "photo_ids": [earlier],
                "photos": [upload(jpeg((0, 0, 200))), upload(jpeg((0, 200, 0)))]}
        response = api.post("/api/v1/cases/", data, format="multipart")
        assert response.status_code == 400 and "lat" in response.json()
        assert list(Photo.objects.values_list("uid", flat=True)) == [uuid.UUID(earlier)]
        assert Photo.objects.get().file.storage.exists(Photo.objects.get().file.name)

    def test_someone_elses_photo_cannot_be_referenced(self, world):
        photo = client_for(world["users"]["inspector"]).post("/api/v1/photos/", {"file": upload(jpeg())},
                                                             format="multipart").json()["id"]
        response = client_for(world["users"]["gridworker"]).post("/api/v1/cases/", body(world, photo_ids=[photo]),
                                                                  format="json")
        assert response.status_code == 400 and "photo_ids" in response.json()
        assert not Case.objects.exists()

    @pytest.mark.parametrize("data,field", [
        ({"case_class": "E9999"}, "case_class"),
        ({"description": ""}, "description"),
        ({"lat": 95}, "lat"),
        ({"lat": 30.0, "lng": 100.0}, "lat"),
        ({"urgency": "panic"}, "urgency"),
        ({"place": "NOPE-1"}, "place"),
    ])
    def test_bad_reports_are_400_with_field_messages_and_create_nothing(self, world, data, field):
        response = client_for(world["users"]["gridworker"]).post("/api/v1/cases/", body(world, **data), format="json")
        assert response.status_code == 400 and field in response.json()
        assert not Case.objects.exists()

    def test_gcj02_coordinates_are_converted(self, world):
        from civicgrid.territory.crs import wgs84_to_gcj02

        lng, lat = (float(v) for v in wgs84_to_gcj02(*world["point"]))
        response = client_for(world["users"]["gridworker"]).post(
            "/api/v1/cases/", body(world, lng=lng, lat=lat, crs="gcj02"), format="json")
        assert response.json()["case"]["lng"] == pytest.approx(world["point"][0], abs=1e-6)


class TestIdempotency:
    def test_a_retried_report_creates_nothing_twice(self, world):
        api = client_for(world["users"]["gridworker"])
        first = api.post("/api/v1/cases/", body(world), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        second = api.post("/api/v1/cases/", body(world), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        assert first.status_code == second.status_code == 201
        assert first.json()["case"]["number"] == second.json()["case"]["number"]
        assert second["Idempotent-Replayed"] == "true"
        assert Case.objects.count() == 1

    def test_a_reused_key_with_another_body_is_refused(self, world):
        api = client_for(world["users"]["gridworker"])
        api.post("/api/v1/cases/", body(world), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        response = api.post("/api/v1/cases/", body(world, description="别的"), format="json",
                            HTTP_IDEMPOTENCY_KEY="k-1")
        assert response.status_code == 422 and Case.objects.count() == 1

    def test_a_retried_action_is_applied_once(self, world):
        number = client_for(world["users"]["gridworker"]).post("/api/v1/cases/", body(world), format="json").json()[
            "case"]["number"]
        api = client_for(world["users"]["shift_leader"])
        url = f"/api/v1/cases/{number}/actions/file/"
        first = api.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="f-1")
        second = api.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="f-1")
        assert first.status_code == second.status_code == 200
        assert CaseEvent.objects.filter(case__number=number, action="file").count() == 1

    def test_keys_are_per_user(self, world):
        client_for(world["users"]["gridworker"]).post("/api/v1/cases/", body(world), format="json",
                                                      HTTP_IDEMPOTENCY_KEY="same")
        client_for(world["users"]["inspector"]).post("/api/v1/cases/", body(world), format="json",
                                                     HTTP_IDEMPOTENCY_KEY="same")
        assert Case.objects.count() == 2


class TestPhotos:
    @pytest.mark.parametrize("taken_at", ["0341-06-01T06:27:38+13:34", "2126-11-20T09:30:00+08:00"])
    def test_a_capture_time_no_device_could_have_is_refused(self, world, taken_at):
        """Schemathesis sent year 341: it was stored and came back in Shanghai's local mean time (+08:05:43),
        which is no RFC 3339 time; a clock a century ahead is as wrong."""
        response = client_for(world["users"]["gridworker"]).post(
            "/api/v1/photos/", {"file": upload(jpeg()), "taken_at": taken_at}, format="multipart")
        assert response.status_code == 400 and "taken_at" in response.json(), response.json()
        assert not Photo.objects.exists()

    def test_a_camera_clock_out_of_range_leaves_the_capture_time_unknown(self, world):
        response = client_for(world["users"]["gridworker"]).post(
            "/api/v1/photos/", {"file": upload(jpeg(taken=dt.datetime(1999, 12, 31, 23, 0)))}, format="multipart")
        assert response.status_code == 201 and response.json()["taken_at"] is None

    def test_a_photo_keeps_its_exif_time_and_position_but_the_public_copy_has_none(self, world):
        taken = dt.datetime(2026, 11, 20, 9, 30, tzinfo=SH)
        response = client_for(world["users"]["gridworker"]).post(
            "/api/v1/photos/", {"file": upload(jpeg(taken=taken, gps=(41.8, 123.4)))}, format="multipart")
        data = response.json()
        assert dt.datetime.fromisoformat(data["taken_at"]) == taken
        assert data["gps_lat"] == pytest.approx(41.8, abs=1e-4) and data["gps_lng"] == pytest.approx(123.4, abs=1e-4)
        photo = Photo.objects.get()
        from PIL import Image

        def stored(field):  # through the storage API: with S3 there is no local path
            with field.open("rb") as handle:
                image = Image.open(handle)
                image.load()
            return image

        assert stored(photo.file).getexif().get_ifd(0x8825)  # the original keeps its GPS
        public = stored(photo.public_file)
        assert not public.getexif() and not public.getexif().get_ifd(0x8825)
        assert max(stored(photo.thumbnail).size) <= 320

    @pytest.mark.parametrize("data,name,reason", [
        (b"not an image at all", "x.jpg", "只接受 JPEG、PNG 或 WebP"),
        (None, "x.gif", "不支持 GIF"),
    ])
    def test_files_are_checked_by_content(self, world, data, name, reason):
        if data is None:
            from PIL import Image

            buffer = io.BytesIO()
            Image.new("RGB", (8, 8)).save(buffer, "GIF")
            data = buffer.getvalue()
        response = client_for(world["users"]["gridworker"]).post(
            "/api/v1/photos/", {"file": upload(data, name)}, format="multipart")
        assert response.status_code == 400 and reason in str(response.json())
        assert not Photo.objects.exists()

    def test_too_large_files_and_images_are_refused(self, world, settings):
        settings.PHOTO_MAX_BYTES = 1000
        api = client_for(world["users"]["gridworker"])
        big = jpeg(size=(400, 400))
        assert api.post("/api/v1/photos/", {"file": upload(big)}, format="multipart").status_code == 400
        settings.PHOTO_MAX_BYTES = 10 * 1024 * 1024
        settings.PHOTO_MAX_PIXELS = 100 * 100
        response = api.post("/api/v1/photos/", {"file": upload(big)}, format="multipart")
        assert response.status_code == 400 and "像素" in str(response.json())

    def test_after_photos_are_flagged_when_far_earlier_or_identical(self, world):
        u = world["users"]
        lng, lat = world["point"]
        before = jpeg(taken=dt.datetime(2026, 11, 20, 9, 0, tzinfo=SH))
        gw = client_for(u["gridworker"])
        number = gw.post("/api/v1/cases/", {**body(world), "photos": [upload(before)]},
                         format="multipart").json()["case"]["number"]
        client_for(u["shift_leader"]).post(f"/api/v1/cases/{number}/actions/file/", {}, format="json")
        client_for(u["dispatcher"]).post(f"/api/v1/cases/{number}/actions/dispatch/", {}, format="json")
        after = jpeg(taken=dt.datetime(2026, 11, 19, 9, 0, tzinfo=SH), gps=(lat + 0.01, lng))  # 1.1 km away, a day earlier
        response = client_for(u["handler"]).post(f"/api/v1/cases/{number}/actions/handle/",
                                                 {"photos": [upload(after)], "note": "已处理"}, format="multipart")
        assert response.status_code == 200, response.content
        assert {f["kind"] for f in response.json()["review_flags"]} == {"far", "earlier", "same"}


class TestActionsOverHttp:
    @pytest.fixture
    def number(self, world):
        return client_for(world["users"]["gridworker"]).post("/api/v1/cases/", body(world), format="json").json()[
            "case"]["number"]

    def test_detail_lists_events_and_the_actions_you_may_take(self, world, number):
        detail = client_for(world["users"]["shift_leader"]).get(f"/api/v1/cases/{number}/").json()
        assert detail["allowed_actions"] == ["file", "reject", "void", "merge"]
        assert client_for(world["users"]["inspector"]).get(f"/api/v1/cases/{number}/").json()["allowed_actions"] == []

    def test_the_wrong_role_gets_403_and_nothing_changes(self, world, number):
        response = client_for(world["users"]["dispatcher"]).post(f"/api/v1/cases/{number}/actions/file/", {},
                                                                 format="json")
        assert response.status_code == 403
        assert Case.objects.get(number=number).state == "reported"

    def test_the_wrong_state_gets_409_with_the_current_state(self, world, number):
        response = client_for(world["users"]["inspector"]).post(f"/api/v1/cases/{number}/actions/check_pass/", {},
                                                                format="json")
        assert response.status_code == 409
        assert response.json()["state"] == "reported" and response.json()["version"] == 1

    def test_out_of_scope_is_404(self, world, number):
        api = client_for(world["users"]["other_community"])
        assert api.get(f"/api/v1/cases/{number}/").status_code == 404
        assert api.post(f"/api/v1/cases/{number}/actions/file/", {}, format="json").status_code == 404

    def test_an_unknown_action_is_404(self, world, number):
        response = client_for(world["users"]["admin"]).post(f"/api/v1/cases/{number}/actions/explode/", {},
                                                            format="json")
        assert response.status_code == 404

    def test_a_missing_reason_is_400(self, world, number):
        response = client_for(world["users"]["shift_leader"]).post(f"/api/v1/cases/{number}/actions/reject/", {},
                                                                   format="json")
        assert response.status_code == 400 and "note" in response.json()

    def test_list_filters(self, world, number):
        api = client_for(world["users"]["admin"])
        client_for(world["users"]["gridworker"]).post("/api/v1/cases/", body(world, urgency="urgent"), format="json")
        assert api.get("/api/v1/cases/").json()["count"] == 2
        assert api.get("/api/v1/cases/", {"urgency": "urgent"}).json()["count"] == 1
        assert api.get("/api/v1/cases/", {"state": "reported", "case_class": "E0102"}).json()["count"] == 2
        assert api.get("/api/v1/cases/", {"case_class": "E0101"}).json()["count"] == 0
        assert api.get("/api/v1/cases/", {"region": "210112002"}).json()["count"] == 0
        assert api.get("/api/v1/cases/", {"overdue": "true"}).json()["count"] == 0
        assert api.get("/api/v1/cases/", {"created_after": "2000-01-01T00:00:00Z"}).json()["count"] == 2
        assert api.get("/api/v1/cases/", {"state": "dreaming"}).status_code == 400


class TestRulebook:
    def test_export_has_the_contract_headers_and_every_criterion(self, world):
        response = client_for(world["users"]["admin"]).get("/api/v1/rulebook/export.xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == HEADERS == ["类型", "大类代码", "大类名称", "小类代码", "小类名称", "立案条件",
                                            "处置时限A", "处置时限B", "处置时限C", "时限单位", "结案条件", "责任部门"]
        assert len(rows) - 1 == FilingCriterion.objects.count()

    def test_an_exported_rulebook_imports_back_unchanged(self, world):
        api = client_for(world["users"]["admin"])
        exported = api.get("/api/v1/rulebook/export.xlsx").content
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = api.post("/api/v1/rulebook/import/", {"file": SimpleUploadedFile("r.xlsx", exported)},
                            format="multipart")
        assert response.status_code == 200, response.content
        assert response.json()["criteria"] == FilingCriterion.objects.count()

    def test_bad_rows_are_each_reported_and_nothing_is_imported(self, world):
        from django.core.files.uploadedfile import SimpleUploadedFile

        rows = [
            ("事件", "07", "新大类", "01", "新小类", "新条件", 1, 2, 3, "工作日", "处理完毕", ""),
            ("事件", "07", "新大类", "02", "另一小类", "条件", "x", 2, 3, "工作日", "完毕", ""),
            ("物件", "07", "新大类", "03", "小类", "条件", 1, 2, 3, "年", "完毕", "不存在的部门"),
        ]
        data = excel.write(COLUMNS, rows)
        response = client_for(world["users"]["admin"]).post(
            "/api/v1/rulebook/import/", {"file": SimpleUploadedFile("r.xlsx", data)}, format="multipart")
        assert response.status_code == 400
        problems = {(p["row"], p["column"]) for p in response.json()["problems"]}
        assert problems == {(3, "处置时限A"), (4, "类型"), (4, "时限单位"), (4, "责任部门")}
        assert not CaseClass.objects.filter(major_code="07").exists()

    def test_only_the_office_imports(self, world):
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = client_for(world["users"]["dispatcher"]).post(
            "/api/v1/rulebook/import/", {"file": SimpleUploadedFile("r.xlsx", b"x")}, format="multipart")
        assert response.status_code == 403


def test_the_rulebook_service_refuses_anyone_but_the_office(world):
    from django.core.exceptions import PermissionDenied

    from civicgrid.cases import rulebook

    with pytest.raises(PermissionDenied):
        rulebook.import_file(io.BytesIO(rulebook.export()), actor=world["users"]["dispatcher"])
    assert rulebook.import_file(io.BytesIO(rulebook.export()), actor=world["users"]["admin"]).problems == []
