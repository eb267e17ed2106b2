"""On a phone-sized screen in a real browser: find a place, inspect it, fail an item, see the case it opened."""

import pytest

from civicgrid.cases.models import Case
from civicgrid.cases.tests.conftest import jpeg
from civicgrid.organizations.choices import Role, UnitKind
from conftest import log_in
from testsupport import build_small_district, grid_center, make_place, make_unit, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_inspection_on_a_phone_opens_a_case(live_server, browser, tmp_path):
    regions = build_small_district()
    operator = make_unit("MKT-OP", UnitKind.MARKET_OPERATOR, regions["210112001001"])
    lng, lat = grid_center("210112001001001")
    make_place("market", lng, lat, name="东风农贸市场", unit=operator, code="MKT-1")
    make_user("inspector", Role.INSPECTOR, region=regions["210112"])
    photo = tmp_path / "scale.jpg"
    photo.write_bytes(jpeg())
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  geolocation={"latitude": lat, "longitude": lng + 0.0003},
                                  permissions=["geolocation"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, "inspector")

    # Once located, the places nearby are offered without typing (issue 16).
    page.goto(f"{live_server.url}/inspections/start/")
    nearby = page.locator("#nearby button", has_text="东风农贸市场")
    nearby.wait_for()
    assert "约" in nearby.inner_text() and "米" in nearby.inner_text()
    page.goto(f"{live_server.url}/inspections/start/?q=东风")
    page.wait_for_function("() => document.getElementById('id_lat').value !== ''")
    page.select_option("select[name=kind]", "morning")
    page.locator("#nearby button", has_text="东风农贸市场").click()  # the nearby offer starts it too
    page.wait_for_url("**/inspections/*/")
    assert page.locator("fieldset.item").count() == 10
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone

    for item in page.locator("fieldset.item").all():
        code = item.get_attribute("data-item")
        if code == "NM02":
            item.locator("label.outcome-fail").click()
            assert item.locator(f"input[name=findings_{code}]").is_visible()  # shown only for a failure
            item.locator(f"input[name=findings_{code}]").fill("1")
            item.locator(f"input[name=photos_{code}]").set_input_files(str(photo))
            item.locator(f"input[name=note_{code}]").fill("入口处未设置公平秤")
        else:
            item.locator("label.outcome-pass").click()
            assert not item.locator(f"input[name=findings_{code}]").is_visible()
    page.get_by_role("button", name="提交检查").click()
    page.wait_for_selector("#score")
    assert "95.00" in page.locator("#score").inner_text()  # NM02: 10 points, 5 per finding
    assert "开始时距点位" in page.content()

    case = Case.objects.get()
    page.locator("a.case-link").click()
    page.wait_for_url(f"**/cases/{case.number}/")
    body = page.locator("main").inner_text()
    assert case.number in body and "入口处未设置公平秤" in body and "处置中" in body
    assert case.responsible_unit == operator
