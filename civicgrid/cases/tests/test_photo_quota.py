"""Each account may upload a limited number of photos in 24 hours; the public fewer than staff."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from civicgrid.cases.models import Case, Photo
from civicgrid.cases.photos import store_photo
from civicgrid.cases.tests.conftest import jpeg, upload

pytestmark = pytest.mark.django_db


def api_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_api_answers_429_once_the_public_quota_is_used(world, settings):
    settings.PHOTO_DAILY_QUOTA_PUBLIC = 2
    api = api_for(world["users"]["public"])
    answers = [api.post("/api/v1/photos/", {"file": upload(jpeg())}, format="multipart").status_code
               for _ in range(3)]
    assert answers == [201, 201, 429]
    refused = api.post("/api/v1/photos/", {"file": upload(jpeg())}, format="multipart")
    assert "24小时内最多上传 2 张照片" in refused.json()["photos"][0]
    assert Photo.objects.filter(uploaded_by=world["users"]["public"]).count() == 2
    # Staff have their own, larger allowance; the public's use does not touch it.
    assert api_for(world["users"]["gridworker"]).post(
        "/api/v1/photos/", {"file": upload(jpeg())}, format="multipart").status_code == 201


def test_uploads_older_than_a_day_no_longer_count(world, settings):
    settings.PHOTO_DAILY_QUOTA = 1
    user = world["users"]["gridworker"]
    old = store_photo(upload(jpeg()), user)
    Photo.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - dt.timedelta(hours=25))
    store_photo(upload(jpeg()), user)
    with pytest.raises(Exception, match="24小时内最多上传 1 张照片"):
        store_photo(upload(jpeg()), user)


def test_a_step_whose_photos_would_pass_the_quota_stores_none_of_them(world, settings):
    settings.PHOTO_DAILY_QUOTA = 2
    lng, lat = world["point"]
    api = api_for(world["users"]["gridworker"])
    data = {"case_class": "E0102", "description": "路边暴露垃圾", "lat": lat, "lng": lng,
            "photos": [upload(jpeg()), upload(jpeg((0, 0, 200))), upload(jpeg((0, 200, 0)))]}
    response = api.post("/api/v1/cases/", data, format="multipart")
    assert response.status_code == 429 and "photos" in response.json()
    assert not Photo.objects.exists() and not Case.objects.exists()


def test_the_report_page_explains_the_quota(world, settings):
    settings.PHOTO_DAILY_QUOTA = 1
    client = Client()
    client.force_login(world["users"]["gridworker"])
    lng, lat = world["point"]
    response = client.post("/cases/report/", {
        "case_class": "E0102", "description": "垃圾", "lat": lat, "lng": lng, "urgency": "normal",
        "source": "inspector_patrol", "photos": [upload(jpeg()), upload(jpeg((0, 0, 200)))]})
    assert response.status_code == 200 and "24小时内最多上传 1 张照片" in response.content.decode()
    assert not Case.objects.exists() and not Photo.objects.exists()


def test_the_servers_own_photos_are_not_counted(settings):
    settings.PHOTO_DAILY_QUOTA = 1
    assert store_photo(upload(jpeg()), None).pk and store_photo(upload(jpeg()), None).pk
