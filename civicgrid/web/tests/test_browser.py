"""Real-browser tests: Debian's Chromium through Playwright."""

import pytest

from civicgrid.organizations.choices import Role
from conftest import log_in
from testsupport import build_small_district, make_user

# serialized_rollback reloads the default rows that migrate loaded (place kinds) before each test;
# `make test` runs these after all other tests because the flush at their end empties those tables.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_log_in_open_the_map_and_see_the_grids(live_server, page):
    build_small_district()
    make_user("office", Role.ADMIN)
    log_in(page, live_server, "office")
    assert "工作台" in page.content()

    page.click("nav >> text=网格地图")
    page.wait_for_selector("#map[data-region-count]")
    assert page.get_attribute("#map", "data-region-count") == "16"
    assert page.locator("#map path.leaflet-interactive").count() == 16
    assert page.inner_text("#map-status") == "16 个区域"

    page.select_option("#level", "street")
    page.wait_for_function("() => document.querySelector('#map').dataset.regionCount === '2'")
    assert page.locator("#map path.leaflet-interactive").count() == 2


def test_a_community_worker_sees_only_their_communitys_grids(live_server, page):
    regions = build_small_district()
    make_user("community", Role.COMMUNITY_STAFF, region=regions["210112002001"])
    log_in(page, live_server, "community")
    page.goto(f"{live_server.url}/map/")
    page.wait_for_selector("#map[data-region-count]")
    assert page.get_attribute("#map", "data-region-count") == "4"


def test_a_wrong_password_shows_an_error(live_server, page):
    build_small_district()
    make_user("office", Role.ADMIN)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    assert page.locator("[role=alert]").is_visible()


def test_on_a_phone_the_header_takes_one_line_and_the_menu_holds_the_rest(live_server, browser):
    """Issue 16: the header took three lines of a phone (brand, account, language)."""
    make_user("office", Role.ADMIN)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server, "office")
    header = page.locator("header.topbar").bounding_box()
    assert header["height"] < 80  # one line (about 65 px); the three lines it took were about 140 px
    assert not page.locator("header .lang select").is_visible() and not page.locator("header .account").is_visible()
    page.click("label.nav-toggle-label")
    assert page.locator("header .lang select").is_visible() and page.locator("header .account").is_visible()
    context.close()
