"""In a real browser: the dashboard's figures drill down to the cases behind them."""

import pytest

from civicgrid.assessment.tests.test_indicators import Factory
from civicgrid.core.testing import build_small_district, make_user
from civicgrid.organizations.choices import Role
from conftest import log_in

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
