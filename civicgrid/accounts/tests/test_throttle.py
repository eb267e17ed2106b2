import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from civicgrid.accounts.models import LoginThrottle
from testsupport import make_user

pytestmark = pytest.mark.django_db


def attempt(client, username, password="wrong", address="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_it_counts_padded_and_differently_cased_usernames_as_one(db):
    make_user("community")
    client = Client()
    names = ["community", " community", "community ", "\tCommunity", "COMMUNITY  "] * 2
    assert [attempt(client, name).status_code for name in names] == [200] * 10
    response = attempt(client, "  community  ", password="pw")
    assert response.status_code == 429 and "过于频繁" in response.content.decode()


def test_it_authenticates_the_stripped_username(db):
    make_user("community")
    response = Client().post("/login/", {"username": "  community ", "password": "pw"})
    assert response.status_code == 302


def test_it_limits_one_address_trying_many_usernames(db, settings):
    settings.LOGIN_THROTTLE_ADDRESS_RATE = "5/min"
    client = Client()
    codes = [attempt(client, f"user{i}").status_code for i in range(6)]
    assert codes == [200] * 5 + [429]
    assert attempt(client, "someone", address="10.0.0.2").status_code == 200  # another address is not held back


def test_it_keeps_the_counts_in_the_database_for_every_worker(db):
    make_user("community")
    client = Client()
    for _ in range(5):
        attempt(client, "community")
    cache.clear()  # a per-process cache would have forgotten them here
    assert LoginThrottle.objects.get(key="account:10.0.0.1:community").attempts == 5
    assert LoginThrottle.objects.get(key="address:10.0.0.1").attempts == 5
    codes = [attempt(client, "community").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]


def test_it_lets_the_address_try_again_in_the_next_window(db, settings):
    settings.LOGIN_LOCKOUT_FAILURES = 100
    make_user("community")
    client = Client()
    with time_machine.travel("2026-11-29 10:00:00 +0800", tick=False) as clock:
        for _ in range(10):
            attempt(client, "community")
        refused = attempt(client, "community")
        assert refused.status_code == 429 and refused["Retry-After"] == "60"
        clock.shift(61)
        assert attempt(client, "community", password="pw").status_code == 302


def test_the_token_endpoint_answers_429_in_json_with_retry_after(db):
    make_user("street")
    api = APIClient()
    for _ in range(10):
        api.post("/api/v1/auth/token/", {"username": "street ", "password": "nope"}, format="json")
    response = api.post("/api/v1/auth/token/", {"username": "STREET", "password": "pw"}, format="json")
    assert response.status_code == 429
    assert "detail" in response.json() and int(response["Retry-After"]) > 0
