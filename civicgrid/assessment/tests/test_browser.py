"""In a real browser: the dashboard's figures drill down to the cases behind them; the dashboard and the command view
(大屏) are legible on a desktop and a phone and refresh in place; the maps label regions at suitable zooms; the public
map explains an empty state. Screenshots of the dashboard and the 大屏 at both sizes are kept as artifacts of the run
(CIVICGRID_SCREENSHOTS, var/screenshots by default), for people to look at."""

import datetime as dt
import os

import pytest
from django.utils import timezone

from civicgrid.assessment.tests.test_indicators import Factory
from civicgrid.cases.models import Case, CaseClass
from civicgrid.organizations.choices import Role
from conftest import log_in
from testsupport import build_small_district, grid_center, make_unit, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = os.environ.get("CIVICGRID_SCREENSHOTS", "var/screenshots")
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


def as_user(browser, live_server, username, **context):
    page = browser.new_context(locale="zh-CN", **context).new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, username)
    return page


def screenshot(page, name):
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"))


def a_month_of_cases() -> list[Case]:
    """Forty cases over the last weeks in every grid: several classes and sources, some overdue, some closed."""
    now = timezone.now()
    department = make_unit("DEPT-HW")
    classes = list(CaseClass.objects.filter(active=True).order_by("code")[:6])
    sources = ["inspector_patrol", "inspector_patrol", "hotline_12345", "public_report", "leader_assignment", "media"]
    grids = [f"21011200{s}00{c}00{g}" for s in "12" for c in "12" for g in "1234"]
    rows = []
    for n in range(40):
        # Reported over the month so far (at most 27 days back, so they stay in this month's shares).
        reported = max(now - dt.timedelta(hours=5 + 9 * n), now.replace(day=1, hour=1) if now.day > 1 else now)
        closed = n % 5 == 0
        due = now + (dt.timedelta(days=-1) if n % 3 == 0 else dt.timedelta(days=3))
        case = Case(number=f"T-{n + 1:06d}", source=sources[n % len(sources)],
                    case_class=classes[min(n % 9, len(classes) - 1)], description="x", state="closed" if closed else "handling",
                    reported_at=reported, filed_at=reported, dispatched_at=reported, handle_due=due, due_at=due,
                    closed_at=reported + dt.timedelta(hours=4) if closed else None, close_type="normal" if closed else "",
                    responsible_unit=department, lng=0, lat=0)
        case.lng, case.lat = grid_center(grids[n % len(grids)])
        case.set_region(grids[n % len(grids)])
        rows.append(case)
    return Case.objects.bulk_create(rows)


def chart_option(page, element_id, key):
    return page.evaluate(f"() => echarts.getInstanceByDom(document.getElementById('{element_id}')).getOption().{key}")


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
    hover = ".leaflet-tooltip:not(.region-label)"  # the grid's tooltip, not the permanent name labels
    for dx, dy in ((0.5, 0.5), (0.3, 0.3), (0.7, 0.7), (0.3, 0.7), (0.7, 0.3)):
        page.mouse.move(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
        if page.locator(hover).count():
            break
    tooltip = page.wait_for_selector(hover)
    assert hostile in tooltip.inner_text()
    page.set_viewport_size({"width": 1280, "height": 901})  # labels, if the zoom shows any, are text too
    assert page.evaluate("window.__injected") is None
    assert page.locator(".leaflet-tooltip img").count() == 0


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_dashboard_is_legible_on_a_desktop_and_a_phone(live_server, browser, size):
    build_small_district()
    a_month_of_cases()
    make_user("office", Role.ADMIN)
    page = as_user(browser, live_server, "office", viewport=DESKTOP if size == "desktop" else PHONE)
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector("#classes canvas")
    page.wait_for_function("() => Number(document.getElementById('case-map').dataset.labels) >= 0")
    for element_id in ("trend", "sources", "classes"):
        legend = chart_option(page, element_id, "legend")
        assert legend and legend[0]["show"] is not False, element_id
    assert chart_option(page, "trend", "yAxis")[0]["name"] == "件"
    assert [s["name"] for s in chart_option(page, "trend", "series")] == ["上报", "结案"]
    # The pies' labels are never cut short with "…": the legend names every slice in full.
    assert chart_option(page, "classes", "series")[0]["label"]["overflow"] == "break"
    assert page.locator("#map-legend").is_visible()
    assert "6+" in page.locator("#map-legend").inner_text()
    assert page.locator("#ranking-rows tr").count() == 2
    if size == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        width = page.locator("#classes").bounding_box()["width"]
        assert width >= PHONE["width"] - 60  # the charts take the phone's width
    page.wait_for_timeout(600)  # animations of the charts settle
    screenshot(page, f"dashboard-{size}")
    page.screenshot(path=os.path.join(SCREENSHOTS, f"dashboard-{size}-full.png"), full_page=True)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_command_view_has_titled_panels_a_map_legend_the_ranking_and_the_latest_cases(live_server, browser, size):
    build_small_district()
    cases = a_month_of_cases()
    make_user("office", Role.ADMIN)
    page = as_user(browser, live_server, "office", viewport=DESKTOP if size == "desktop" else PHONE)
    page.goto(f"{live_server.url}/dashboard/command/")
    page.wait_for_selector("#classes canvas")
    titles = page.locator(".panel h2").all_inner_texts()
    for title in ("近30天上报与结案", "本月来源", "本月高发问题", "未结案件与超期网格", "街道排名", "最新案件"):
        assert any(t.startswith(title) for t in titles), (title, titles)
    legend = page.locator("#map-legend").inner_text()
    assert "未结案件" in legend and "超期案件" in legend and "网格内超期案件数" in legend and "6+" in legend
    assert page.evaluate("getComputedStyle(document.getElementById('case-map')).backgroundColor") == "rgb(15, 34, 54)"
    assert {row.split("\t")[1].strip() for row in page.locator("#ranking-rows tr").all_inner_texts()} == {"第1街道", "第2街道"}
    newest = max(cases, key=lambda c: c.reported_at)
    first = page.locator("#latest li").first
    assert first.locator(".latest-number").inner_text() == newest.number
    assert first.locator(".latest-state").inner_text() in ("处置中", "已结案")
    assert page.locator("#latest li").count() == 20
    assert page.locator("#latest li.is-overdue .latest-overdue").first.inner_text() == "超期"
    if size == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    else:
        # A real district has more streets than this one: a wall screen, which nobody scrolls, shows all ten.
        page.evaluate("""() => { const rows = document.getElementById('ranking-rows');
                                 while (rows.rows.length < 10) rows.appendChild(rows.rows[0].cloneNode(true)); }""")
        assert page.evaluate("""() => { const body = document.querySelector('#ranking .panel-body');
                                        return body.scrollHeight <= body.clientHeight; }""")
    page.wait_for_timeout(600)
    screenshot(page, f"command-{size}")


def test_the_command_view_refreshes_in_place(live_server, browser):
    from civicgrid.cases.services.intake import report_case

    regions = build_small_district()
    a_month_of_cases()
    make_user("office", Role.ADMIN)
    worker = make_user("gridworker", Role.GRID_WORKER, region=regions["210112002002004"])
    page = as_user(browser, live_server, "office", viewport=DESKTOP)
    page.goto(f"{live_server.url}/dashboard/command/?refresh=2")
    page.wait_for_selector("#trend canvas")
    page.wait_for_function("() => Number(document.getElementById('case-map').dataset.labels) > 0")
    page.evaluate("""() => {
        window.__before = {trend: echarts.getInstanceByDom(document.getElementById('trend')),
                           kpis: document.getElementById('kpis'), first: document.querySelector('#latest li')};
    }""")
    page.mouse.move(720, 450)
    zoom_in = page.locator(".leaflet-control-zoom-in")
    zoom_in.click()
    page.wait_for_timeout(400)
    transform = page.evaluate("document.querySelector('#case-map .leaflet-map-pane').style.transform")
    open_before = int(page.locator('[data-kpi="open"] b').inner_text())

    lng, lat = grid_center("210112002002004")
    number = report_case(worker, case_class=CaseClass.objects.get(code="E0102"), description="新的暴露垃圾",
                         lng=lng, lat=lat).case.number
    page.wait_for_function(f"() => document.querySelector('#latest .latest-number').textContent === '{number}'",
                           timeout=10_000)
    assert page.locator("#latest li").first.locator(".latest-region_name").inner_text() == "210112002002网格4"
    assert int(page.locator('[data-kpi="open"] b').inner_text()) == open_before + 1
    same = page.evaluate("""() => ({
        trend: echarts.getInstanceByDom(document.getElementById('trend')) === window.__before.trend,
        kpis: document.getElementById('kpis') === window.__before.kpis,
        first: document.querySelector('#latest li') === window.__before.first})""")
    assert same == {"trend": True, "kpis": True, "first": True}
    # The map was not fitted again: the user's zoom and position stay.
    assert page.evaluate("document.querySelector('#case-map .leaflet-map-pane').style.transform") == transform
    assert page.locator("#updated").inner_text().startswith("更新于")


def test_the_grid_map_labels_grids_only_when_zoomed_in(live_server, browser):
    build_small_district()
    make_user("office", Role.ADMIN)
    page = as_user(browser, live_server, "office", viewport=DESKTOP)
    page.goto(f"{live_server.url}/map/")
    page.wait_for_function("() => document.getElementById('map').dataset.regionCount === '16'")
    page.wait_for_selector(".region-label")
    labels = lambda level: page.locator(f".region-label-{level}").all_inner_texts()  # noqa: E731
    # Fitted to the district (~6.7 km wide): every grid holds its name.
    assert sorted(labels("grid")) == sorted(f"210112{s}{c}网格{g}" for s in ("001", "002") for c in ("001", "002")
                                           for g in "1234")
    screenshot(page, "map-grids")
    for _ in range(3):
        page.locator(".leaflet-control-zoom-out").click()
        page.wait_for_timeout(350)
    assert labels("grid") == []
    page.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(350)
    assert labels("grid") == [] and sorted(labels("street")) == ["第1街道", "第2街道"]  # streets hold their names
    # Zoomed in as far as it goes, the map is not blank: the ground and the outlines are still drawn.
    for _ in range(12):  # Leaflet's button ignores clicks once the last zoom is reached
        page.evaluate("() => document.querySelector('.leaflet-control-zoom-in').click()")
        page.wait_for_timeout(150)
    page.wait_for_selector(".leaflet-control-zoom-in.leaflet-disabled")  # a last zoom exists (18, offline)
    screenshot(page, "map-zoomed-in")
    assert len(labels("grid")) == 4  # the grids around the middle, named where they are on screen
    assert page.evaluate("getComputedStyle(document.getElementById('map')).backgroundColor") != "rgba(0, 0, 0, 0)"


def test_the_public_map_says_when_there_is_nothing_to_show(live_server, browser):
    build_small_district()
    page = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/public/")
    note = page.locator("#see-note")
    note.wait_for(state="visible")
    assert "近90天此范围内没有公开的问题" in note.inner_text()
    assert note.locator("a").get_attribute("href") == "/public/report/"
    page.wait_for_selector("#see-map .leaflet-interactive")  # the streets are drawn under the note
    assert note.is_visible()
    screenshot(page, "public-empty-phone")


def test_the_dashboard_page_refreshes_in_place_too(live_server, browser):
    from civicgrid.cases.services.intake import report_case

    regions = build_small_district()
    a_month_of_cases()
    make_user("office", Role.ADMIN)
    worker = make_user("gridworker", Role.GRID_WORKER, region=regions["210112001001001"])
    page = as_user(browser, live_server, "office", viewport=DESKTOP)
    page.goto(f"{live_server.url}/dashboard/?refresh=2")
    page.wait_for_selector("#classes canvas")
    page.evaluate("() => { window.__classes = echarts.getInstanceByDom(document.getElementById('classes')); }")
    open_before = int(page.locator('[data-kpi="open"] b').inner_text())
    lng, lat = grid_center("210112001001001")
    report_case(worker, case_class=CaseClass.objects.get(code="E0102"), description="新的暴露垃圾", lng=lng, lat=lat)
    page.wait_for_function(f"() => document.querySelector('[data-kpi=\"open\"] b').textContent === '{open_before + 1}'",
                           timeout=10_000)
    assert page.evaluate("() => echarts.getInstanceByDom(document.getElementById('classes')) === window.__classes")


def test_the_command_view_in_english_shows_no_internal_codes(live_server, browser):
    from django.conf import settings

    build_small_district()
    a_month_of_cases()
    make_user("office", Role.ADMIN)
    page = as_user(browser, live_server, "office", viewport=DESKTOP)
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/dashboard/command/")
    page.wait_for_selector("#classes canvas")
    assert page.locator("html").get_attribute("lang") == "en"
    from civicgrid.cases.choices import State

    states = set(page.locator("#latest .latest-state").all_inner_texts())
    assert states and not states & {s.value for s in State}, states
    assert "处置中" not in states  # the catalogue's English
    body = page.locator("body").inner_text()
    for code in ("inspector_patrol", "hotline_12345", "on_time_closure_rate", "_"):
        assert code not in body, code
    page.wait_for_timeout(600)
    screenshot(page, "command-desktop-en")
