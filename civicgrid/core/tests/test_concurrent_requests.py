"""One person's browser sends several requests at once (a page and the charts, maps and counts it fetches), and
every request saves the session (SESSION_SAVE_EVERY_REQUEST, for the idle timeout). None of them may fail for
that: on SQLite the writers queue behind each other (WAL, busy timeout, BEGIN IMMEDIATE), as they do when served.

The live-server tests once ran on SQLite's shared in-memory database, where a second writer fails at once with
"database table is locked" instead of waiting; the session middleware turned that into a 400 in the browser."""

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.test import Client

from civicgrid.organizations.choices import Role
from testsupport import build_small_district, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGES = ["/", "/cases/", "/dashboard/", "/cases/queues/", "/api/v1/cases/"]


def test_one_session_many_requests_at_once(live_server):
    build_small_district()
    browser = Client()
    browser.force_login(make_user("office", Role.ADMIN))
    cookie = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"

    def fetch(path):
        request = urllib.request.Request(f"{live_server.url}{path}", headers={"Cookie": cookie})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return path, response.status
        except urllib.error.HTTPError as refused:
            return path, refused.code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(fetch, PAGES * 8))
    assert [s for s in statuses if s[1] != 200] == []
