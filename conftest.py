"""Suite-wide fixtures."""

import os

import pytest
from django.core.cache import cache

from civicgrid.territory import locator
from civicgrid.workcal.calendar import entries as calendar_entries


def pytest_collection_modifyitems(items):
    """Mark tests that use a real transaction (live server, concurrency) as `transactional`.

    Such tests flush every table when they end, including rows that data migrations created;
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
    yield
    locator.invalidate()
    calendar_entries.forget()


@pytest.fixture
def district(db):
    """The small test district (see civicgrid.core.testing)."""
    from civicgrid.core.testing import build_small_district

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
