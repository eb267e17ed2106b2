import datetime as dt

import pytest
import time_machine
from django.test import Client

from testsupport import make_user

pytestmark = pytest.mark.django_db


def test_a_session_ends_after_the_idle_time_but_not_while_in_use(db, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    make_user("street")
    client = Client()
    start = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        assert client.post("/login/", {"username": "street", "password": "pw"}).status_code == 302
        for _ in range(3):  # an hour of work, a request every 20 minutes
            clock.shift(dt.timedelta(minutes=20))
            assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        assert client.get("/")["Location"].startswith("/login/")
