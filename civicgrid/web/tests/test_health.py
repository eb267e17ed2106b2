"""The load balancer's probe: every part answers, or the instance says which does not."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_health_answers_ok_with_each_part(settings):
    response = Client().get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "queue"}
    assert body["checks"]["queue"]["mode"] == "in-process"
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_failing_part_makes_it_503_and_names_the_part(monkeypatch):
    from civicgrid.web import health

    def broken():
        raise ConnectionError("storage down")

    monkeypatch.setitem(health.CHECKS, "storage", broken)
    response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == {"ok": False, "error": "ConnectionError"}


def test_an_unreachable_broker_is_reported(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    response = Client().get("/health/")
    assert response.status_code == 503 and not response.json()["checks"]["queue"]["ok"]
