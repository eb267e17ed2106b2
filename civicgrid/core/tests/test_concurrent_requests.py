"""One person's browser sends several requests at once (a page and the charts, maps and counts it fetches), and
every request saves the session (SESSION_SAVE_EVERY_REQUEST, for the idle timeout). None of them may fail for
that: on SQLite the writers queue behind each other (WAL, busy timeout, BEGIN IMMEDIATE), as they do when served.

The live-server tests once ran on SQLite's shared in-memory database, where a second writer fails at once with
"database table is locked" instead of waiting; the session middleware turned that into a 400 in the browser."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from civicgrid.organizations.choices import Role
from testsupport import build_small_district, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGES = ["/", "/cases/", "/dashboard/", "/cases/queues/", "/api/v1/cases/"]


def test_one_session_many_requests_at_once(live_server):
    build_small_district()
    make_user("office", Role.ADMIN)
    session = requests.Session()
    login = f"{live_server.url}/login/"
    session.get(login, timeout=30)
    answer = session.post(login, data={"username": "office", "password": "pw",
                                       "csrfmiddlewaretoken": session.cookies["csrftoken"]},
                          headers={"Referer": login}, timeout=30)
    assert answer.url == f"{live_server.url}/", answer.url
    cookies = session.cookies.get_dict()

    def fetch(path):
        return path, requests.get(f"{live_server.url}{path}", cookies=cookies, timeout=60,
                                  allow_redirects=False).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(fetch, PAGES * 8))
    assert [s for s in statuses if s[1] != 200] == []
