"""Suite-wide fixtures."""

import os
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import translation

from civicgrid.territory import locator
from civicgrid.workcal.calendar import entries as calendar_entries


def pytest_collection_modifyitems(items):
    """Mark tests that use a real transaction (live server, concurrency) as `transactional`.

    Such tests flush every table when they end, including the default rows that `migrate` loaded (decision 0009);
    `make test` therefore runs them in a second phase, after all other tests.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") or "live_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.transactional)


@pytest.fixture(autouse=True)
def _fresh_state(settings):
    """Every test sees boundary changes at once and starts with empty caches."""
    settings.LOCATOR_VERSION_CHECK_SECONDS = 0
    # PBKDF2 at production strength costs ~0.3 s per user; tests create hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    locator.invalidate()
    calendar_entries.forget()
    # A page request leaves its language active in the thread (web.middleware, like Django's own): start Chinese.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    locator.invalidate()
    calendar_entries.forget()


S3_ENDPOINT = "CIVICGRID_TEST_S3_ENDPOINT"
NO_S3 = f"no S3 server: {S3_ENDPOINT} is not set (.ci/s3.sh starts one)"


class Media:
    """Where this test's media goes: files on this machine, or a real S3-compatible server.

    With CIVICGRID_TEST_S3_ENDPOINT (and CIVICGRID_TEST_S3_BUCKET, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) set,
    every test stores its media in that bucket under a prefix of its own, through the same STORAGE_URL parser
    production uses, and the photo view answers with redirects to signed URLs.
    """

    def __init__(self, endpoint: str = "", bucket: str = "", region: str = "", prefix: str = ""):
        self.s3 = bool(endpoint)
        self.endpoint, self.bucket, self.region, self.prefix = endpoint, bucket, region, prefix

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, region_name=self.region)

    def object_keys(self) -> set[str]:
        """The object keys in this test's part of the bucket, as the store lists them (not as Django says)."""
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def served(self, response) -> bytes:
        """The bytes a client gets for a photo response: streamed by Django, or (S3) fetched from the signed
        URL the view redirected to, with a plain HTTP client as a browser would."""
        if not self.s3:
            assert response.status_code == 200, response.status_code
            return b"".join(response.streaming_content) if response.streaming else response.content
        import requests

        assert response.status_code == 302, response.status_code
        location = response["Location"]
        query = parse_qs(urlsplit(location).query)
        assert query.get("X-Amz-Signature") and query.get("X-Amz-Expires") == ["300"], location
        fetched = requests.get(location, timeout=10)
        assert fetched.status_code == 200, (fetched.status_code, fetched.text[:200])
        return fetched.content


@pytest.fixture(autouse=True)
def media(request, settings, monkeypatch):
    """The test's media storage; see Media. Marks: `s3` needs the server, `filesystem` checks local serving."""
    endpoint = os.environ.get(S3_ENDPOINT, "")
    if not endpoint:
        if request.node.get_closest_marker("s3"):
            pytest.skip(NO_S3)
        yield Media()
        return
    if request.node.get_closest_marker("filesystem"):
        pytest.skip("checks how files on this machine are served; the tests run against S3")
    from civicgrid.env import env_storage

    store = Media(endpoint, os.environ["CIVICGRID_TEST_S3_BUCKET"],
                  os.environ.get("CIVICGRID_TEST_S3_REGION", "us-east-1"), f"tests/{uuid.uuid4().hex}/")
    monkeypatch.setenv("CIVICGRID_TEST_STORAGE_URL", f"s3://{store.bucket}?endpoint={endpoint}"
                       f"&region={store.region}&prefix={store.prefix}&addressing=path")
    # Overriding STORAGES makes Django drop its cached backends and default_storage's wrapped instance
    # (django.test.signals.storages_changed); FileFields hold default_storage itself, so Photo follows.
    settings.STORAGES = {**settings.STORAGES, "default": env_storage("CIVICGRID_TEST_STORAGE_URL")}
    yield store
    client = store.client()
    for key in store.object_keys():
        client.delete_object(Bucket=store.bucket, Key=key)


@pytest.fixture
def district(db):
    """The small test district (see testsupport)."""
    from testsupport import build_small_district

    return build_small_district()


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. In CI a missing browser fails the run; locally it skips."""
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def log_in(page, live_server, username: str, password: str = "pw") -> None:
    """Log in through the real login form."""
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the tests' database is a file, opened as the product opens its own (WAL, busy timeout).

    Django's default for tests, a shared in-memory database, makes a second writer fail at once ("database table
    is locked") where a served product waits its turn; live-server tests, whose browser sends several requests at
    once, then failed at random (test_concurrent_requests)."""
    database = django_settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and not database.get("TEST", {}).get("NAME"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")
