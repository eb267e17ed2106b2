"""In a real browser: the dashboard's figures drill down to the cases behind them."""

import pytest

from civicgrid.assessment.tests.test_indicators import Factory
from civicgrid.organizations.choices import Role
from conftest import log_in
from testsupport import build_small_district, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_dashboard_drills_down_to_the_cases(live_server, browser):
    district = build_small_district()
    cases = Factory(district)
    for n in range(6):  # overdue, still being handled
        cases.case(state="handling", due=cases_day(5 + n), deadline=cases_day(5 + n))
    for n in range(4):
        cases.case(due=cases_day(3 + n), handled=cases_day(3 + n), deadline=cases_day(4 + n))
    cases.save()
    make_user("office", Role.ADMIN)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, "office")

    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector("#trend canvas")
    assert page.locator('[data-kpi="overdue"] b').inner_text() == "6"
    page.click('[data-kpi="overdue"]')
    page.wait_for_url("**/cases/?overdue=true")
    assert "共 6 件" in page.locator("main").inner_text()

    page.goto(f"{live_server.url}/dashboard/")
    page.locator("#ranking a").first.click()
    page.wait_for_url("**/cases/?*indicator=on_time_closure_rate*")
    assert "共 10 件" in page.locator("main").inner_text()  # the cases due: the rate's denominator

    page.goto(f"{live_server.url}/dashboard/command/")
    page.wait_for_selector("#case-map canvas")
    assert page.locator("#updated").inner_text()


def cases_day(day: int):
    from civicgrid.assessment.tests.test_indicators import at

    return at(day)


def test_region_names_on_the_dashboard_map_are_text_not_html(live_server, browser):
    from civicgrid.territory.models import Region

    district = build_small_district()
    hostile = '<img src=x onerror="window.__injected=1">'
    Region.objects.filter(level="grid").update(name=hostile)
    cases = Factory(district)
    cases.case(state="handling", due=cases_day(5), deadline=cases_day(5))
    cases.save()
    make_user("office", Role.ADMIN)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, "office")
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector("#case-map canvas")
    page.wait_for_function("() => document.querySelectorAll('#case-map canvas').length > 0")
    box = page.locator("#case-map").bounding_box()
    page.wait_for_timeout(500)  # the grid outlines arrive in a second request
    for dx, dy in ((0.5, 0.5), (0.3, 0.3), (0.7, 0.7), (0.3, 0.7), (0.7, 0.3)):
        page.mouse.move(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
        if page.locator(".leaflet-tooltip").count():
            break
    tooltip = page.wait_for_selector(".leaflet-tooltip")
    assert hostile in tooltip.inner_text()
    assert page.evaluate("window.__injected") is None
    assert page.locator(".leaflet-tooltip img").count() == 0
