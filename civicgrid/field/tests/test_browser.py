"""The field app on a phone in a real browser: it opens offline, keeps what is typed on the device, sends it once
when the network returns, explains a conflict, and forgets the device when its session is revoked (issue 17)."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from civicgrid.cases.choices import State
from civicgrid.cases.models import Case, CaseEvent, Photo
from civicgrid.cases.photos import store_photo
from civicgrid.cases.services import perform, report_case
from civicgrid.cases.tests.conftest import (
    jpeg,
    upload,
    world,  # noqa: F401  (the fixture, reused)
)
from civicgrid.field import services as field_services
from civicgrid.field.models import FieldSession
from civicgrid.inspections.choices import InspectionKind, Selection
from civicgrid.inspections.models import Assignment, Inspection, InspectionResult, Standard
from civicgrid.inspections.planning import create_plan
from civicgrid.organizations.choices import Role
from civicgrid.organizations.models import Person
from civicgrid.organizations.services import grant_role
from conftest import log_in
from testsupport import make_place, make_user

# The field screens are kept with the other screenshots of the run (CI keeps them as artifacts).
SHOTS = Path(os.environ.get("CIVICGRID_SCREENSHOTS", "var/screenshots")) / "field"
SHOTS.mkdir(parents=True, exist_ok=True)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "zh-CN",
         "timezone_id": "Asia/Shanghai", "permissions": ["geolocation"]}


@pytest.fixture
def crew(world):  # noqa: F811
    """One field worker who reports in their grid, inspects their assigned market and handles the department's
    cases; a colleague of the same department; two cases waiting to be handled; today's assignment."""
    d, u = world["regions"], world["users"]
    worker = make_user("worker", Role.GRID_WORKER, region=d["210112001001001"])
    grant_role(worker, Role.INSPECTOR, region=d["210112001"])
    grant_role(worker, Role.HANDLER, unit=world["department"])
    person = Person.objects.create(name="张网格", user=worker, unit=world["department"])
    colleague = make_user("colleague", Role.HANDLER, unit=world["department"])
    lng, lat = world["point"]
    market = make_place("market", lng + 0.0005, lat, name="东风农贸市场", code="MKT-1")
    cases = []
    for words in ("路边暴露垃圾约2平方米", "垃圾桶满溢"):
        case = report_case(u["gridworker"], case_class=world["garbage"], description=words, lng=lng, lat=lat,
                           address="幸福路1号").case
        perform(u["shift_leader"], case.number, "file")
        cases.append(perform(u["dispatcher"], case.number, "dispatch"))
    standard = Standard.objects.get(code="wmcs-local", version=1)
    today = timezone.localdate()
    plan = create_plan(u["admin"], name="晨检", kind=InspectionKind.MORNING, standard=standard,
                       region_code="210112001", starts_on=today, selection=Selection.LISTED, places=[market],
                       inspectors=[person])
    start = timezone.make_aware(dt.datetime.combine(today, dt.time(0, 0)))
    assignment = Assignment.objects.create(
        plan=plan, day=today, kind=InspectionKind.MORNING, place=market, point_type_id=standard.items.filter(
            point_type__place_kinds__slug="market").values_list("point_type", flat=True).first(),
        assignee=person, window_start=start, window_end=start + dt.timedelta(hours=23, minutes=59),
        region_code=market.region_code)
    yield {**world, "worker": worker, "colleague": colleague, "cases": cases, "assignment": assignment,
           "market": market}
    # The app keeps syncing while its page is open: close every phone before the database is emptied, or the
    # live server's open read keeps SQLite's tables locked against the flush.
    while OPEN_PHONES:
        OPEN_PHONES.pop().close()


OPEN_PHONES = []


def phone(browser, live_server, crew, username="worker"):
    lng, lat = crew["point"]
    context = browser.new_context(geolocation={"latitude": lat, "longitude": lng}, **PHONE)
    OPEN_PHONES.append(context)
    page = context.new_page()
    page.set_default_timeout(20_000)
    log_in(page, live_server, username)
    page.goto(f"{live_server.url}/field/")
    synced(page)
    return context, page


def synced(page):
    page.wait_for_function("() => document.body.dataset.sync === 'done'")


def offline_reload(context, page, live_server):
    context.set_offline(True)
    page.goto(f"{live_server.url}/field/")
    page.wait_for_function("() => document.body.dataset.queue === 'shown'")


def photo_file(tmp_path, name, pattern=0):
    path = tmp_path / name
    path.write_bytes(jpeg(size=(640, 480), pattern=pattern))
    return str(path)


def outbox(page):
    """What the device keeps in its outbox (read from IndexedDB, as the app does)."""
    return page.evaluate("""async (uid) => {
        const db = await idb.openDB('civicgrid-field-' + uid);
        const items = await db.getAll('outbox');
        db.close();
        return items;
    }""", page.evaluate("JSON.parse(document.getElementById('field-config').textContent).user_id"))


def handle_offline(page, number, note, photo, shot=None):
    page.goto(page.url.split("#")[0] + f"#case/{number}")
    page.locator("#handle-form").wait_for()
    page.fill("#handle-note", note)
    page.set_input_files("#handle-photos", photo)
    page.locator("#handle-previews img").wait_for()
    if shot:
        page.screenshot(path=shot, full_page=True)
    page.click("#handle-form button[type=submit]")
    page.wait_for_url("**#outbox")


def test_offline_report_inspection_and_handling_reach_the_server_once(live_server, browser, crew, tmp_path):
    context, page = phone(browser, live_server, crew)
    first, second = crew["cases"]
    assert page.locator("#queue").get_by_text(first.number).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "queue.png"))

    offline_reload(context, page, live_server)
    assert page.locator("#net").inner_text() == "离线"
    assert page.locator("#queue").get_by_text("东风农贸市场").is_visible()  # today's assignment, from the device
    cases_before = set(Case.objects.values_list("number", flat=True))

    # Report a problem with a photo.
    page.click("#tabs a[data-screen=report]")
    page.wait_for_function("() => document.getElementById('report-position').textContent.includes('已定位')")
    page.fill("#class-search", crew["garbage"].minor_name)
    page.select_option("#report-class", "E0102")
    page.fill("#report-description", "市场门口暴露垃圾")
    page.set_input_files("#report-photos", photo_file(tmp_path, "report.jpg"))
    page.locator("#report-previews img").wait_for()
    page.screenshot(path=str(SHOTS / "report.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("#report-form button[type=submit]")
    page.wait_for_url("**#outbox")

    # Record the assignment's inspection: one failed item with its photo.
    page.click("#tabs a[data-screen=inspect]")
    page.locator("#assignments a", has_text="东风农贸市场").click()
    item = page.locator("fieldset.item[data-item=NM02]")
    item.locator("label.outcome-fail").click()
    item.locator("input[name=findings]").fill("1")
    item.locator("input[name=note]").fill("入口处未设置公平秤")
    item.locator("input[type=file]").set_input_files(photo_file(tmp_path, "scale.jpg", 1))
    item.locator(".previews img").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "inspect.png"), full_page=True)
    page.click("#inspect-form button[type=submit]")
    page.wait_for_url("**#outbox")

    # Handle a case with an after-photo.
    handle_offline(page, first.number, "已清运", photo_file(tmp_path, "after.jpg", 2), str(tmp_path / "case.png"))

    # The outbox is drawn from IndexedDB after the page shows it: wait for the three rows.
    page.wait_for_function("() => document.querySelectorAll('.outbox-item[data-status=waiting]').length === 3")
    assert page.locator("#outbox-count").inner_text() == "3"
    page.screenshot(path=str(SHOTS / "outbox.png"), full_page=True)
    stored = outbox(page)
    captured = {item["kind"]: [p["taken_at"] for p in item["photos"]] for item in stored}
    assert Case.objects.count() == len(cases_before)  # nothing reached the server

    context.set_offline(False)  # the `online` event starts the sync
    try:
        page.wait_for_function("() => document.querySelectorAll('.outbox-item[data-status=sent]').length === 3")
    finally:
        page.screenshot(path=str(SHOTS / "sent.png"), full_page=True)
    synced(page)
    page.click("#sync")  # a second sync sends nothing again
    synced(page)

    new = Case.objects.exclude(number__in=cases_before)
    reported = new.get(source__in=["grid_worker", "inspector_patrol"], description="市场门口暴露垃圾")
    inspection = Inspection.objects.get()
    assert inspection.status == "submitted" and inspection.assignment == crew["assignment"]
    failed = InspectionResult.objects.get(inspection=inspection, outcome="fail")
    assert failed.photos.count() == 1 and failed.case is not None
    assert new.count() == 2 and failed.case in new  # the report, and the case the failed item opened
    handled = CaseEvent.objects.filter(case=first, action="handle")
    assert handled.count() == 1 and Case.objects.get(pk=first.pk).state == State.HANDLED

    def taken(photo):
        return photo.taken_at.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")

    report_photo = reported.events.get(action="report").photos.get().photo
    assert [taken(report_photo)] == captured["report"]
    assert [taken(failed.photos.get())] == captured["inspection"]
    assert [taken(handled.get().photos.get().photo)] == captured["handle"]
    assert report_photo.gps_lat is not None  # the device's position at capture
    assert Photo.objects.count() == 3 + 0  # each photo uploaded once (the world's cases have none)
    assert "已生成案件" in page.locator(".outbox-item[data-kind=report]").inner_text()


def test_a_handling_step_overtaken_on_the_server_is_shown_as_a_conflict(live_server, browser, crew, tmp_path):
    context, page = phone(browser, live_server, crew)
    first = crew["cases"][0]
    offline_reload(context, page, live_server)
    handle_offline(page, first.number, "已清运", photo_file(tmp_path, "after.jpg", 2))

    # Meanwhile another handler of the department handles it from their own device.
    perform(crew["colleague"], first.number, "handle", note="同事已处理",
            photos=[store_photo(upload(jpeg(pattern=3)), crew["colleague"])])

    context.set_offline(False)
    item = page.locator(".outbox-item[data-kind=handle]")
    page.wait_for_function("() => document.querySelector('.outbox-item[data-kind=handle]').dataset.status === 'conflict'")
    text = item.inner_text()
    assert "该案件已被他人处置：现状态 已处置，您的处置未提交" in text
    page.screenshot(path=str(SHOTS / "conflict.png"), full_page=True)
    assert CaseEvent.objects.filter(case=first, action="handle").count() == 1  # the colleague's only
    # Nothing is lost silently: the item stays on the device until the worker discards it.
    page.reload()
    page.locator(".outbox-item[data-kind=handle][data-status=conflict]").wait_for()


def test_a_revoked_session_clears_the_device_and_asks_to_sign_in(live_server, browser, crew):
    context, page = phone(browser, live_server, crew)
    session = FieldSession.objects.get(user=crew["worker"])
    field_services.revoke(crew["users"]["admin"], session)
    page.click("#sync")
    page.locator("#screen-signin").wait_for()
    assert "外勤会话已结束" in page.locator("#signin-text").inner_text()
    assert page.locator("#signin-link").get_attribute("href").startswith("/login/")
    names = page.evaluate("async () => (await indexedDB.databases()).map((d) => d.name)")
    assert not [n for n in names if n.startswith("civicgrid-field-")]
    assert not page.evaluate("async () => (await caches.keys()).filter((n) => n.startsWith('civicgrid-field-'))")
    page.goto(f"{live_server.url}/field/")  # the web session ended too
    page.wait_for_url("**/login/**")
