"""Issue 15's walk on a phone: an anonymous citizen reports with a photo and a dragged pin, follows the link,
sees the case dispatched and closed, answers 不满意, and sees the office's review; each step's notification
is recorded."""

import pytest

from civicgrid.cases.models import Case, CaseClass
from civicgrid.cases.services import perform
from civicgrid.cases.tests.conftest import jpeg
from civicgrid.citizens.models import PublicReport
from civicgrid.notifications.models import Delivery
from civicgrid.organizations.choices import Role, UnitKind
from conftest import log_in
from testsupport import build_small_district, grid_center, make_unit, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}


def test_an_anonymous_citizen_reports_follows_rates_and_sees_the_review(live_server, browser, tmp_path):
    regions = build_small_district()
    department = make_unit("DEPT-HW", UnitKind.DEPARTMENT)
    department.name = "区城管局"
    department.save()
    CaseClass.objects.filter(code="E0102").update(default_department=department)
    staff = {role: make_user(role, getattr(Role, role.upper()), region=regions["210112"])
             for role in ("inspector", "shift_leader", "dispatcher")}
    staff["handler"] = make_user("handler", Role.HANDLER, unit=department)
    make_user("admin", Role.ADMIN)
    lng, lat = grid_center("210112001001001")
    photo = tmp_path / "rubbish.jpg"
    photo.write_bytes(jpeg(size=(2400, 1800)))

    context = browser.new_context(**PHONE, geolocation={"latitude": lat, "longitude": lng},
                                  permissions=["geolocation"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/public/report/")
    assert page.locator("nav.nav").count() == 0  # no staff navigation on the public side
    page.locator("#photo-input").set_input_files(str(photo))
    page.wait_for_selector("#photo-list img")
    # The photo was resized on the phone before upload: at most 1,600 px on its long side.
    assert page.evaluate("""() => new Promise((resolve) => { const img = new Image();
        img.onload = () => resolve(Math.max(img.naturalWidth, img.naturalHeight));
        img.src = document.querySelector('#photo-list img').src; })""") == 1600
    page.wait_for_function("() => document.getElementById('id_lat').value !== ''")  # GPS as the start
    page.wait_for_function("() => document.getElementById('where-words').textContent.includes('网格')")
    # Drag the pin a little (to the problem across the road).
    start_lat = float(page.input_value("#id_lat"))
    pin = page.locator(".leaflet-marker-icon").bounding_box()
    x, y = pin["x"] + pin["width"] / 2, pin["y"] + pin["height"] - 4
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 10, y - 20, steps=5)
    page.mouse.up()
    page.wait_for_function(f"() => Number(document.getElementById('id_lat').value) !== {start_lat}")
    dragged = (float(page.input_value("#id_lat")), float(page.input_value("#id_lng")))
    assert dragged[0] > start_lat
    # Searching offers choices; nothing is picked until the citizen picks.
    page.fill("#class-search", "垃圾")
    page.wait_for_selector("#class-results button")
    assert page.locator("#class-results button").count() > 2 and page.input_value("#id_case_class") == ""
    page.locator("#class-results button", has_text="暴露垃圾").click()
    page.fill("#id_description", "小区门口垃圾两天没人清")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    page.get_by_role("button", name="提交").click()
    page.wait_for_url("**/public/r/**")

    case = Case.objects.get()
    assert (round(case.lat, 5), round(case.lng, 5)) == (round(dragged[0], 5), round(dragged[1], 5))
    assert case.events.get().photos.count() == 1 and case.source == "public_report"
    track = page.url
    assert "已收到您的反映" in page.locator("#timeline").inner_text()

    perform(staff["inspector"], case.number, "verify")
    perform(staff["shift_leader"], case.number, "file")
    perform(staff["dispatcher"], case.number, "dispatch")
    page.goto(track)
    assert "已派至区城管局处理" in page.locator("#timeline").inner_text()
    assert Delivery.objects.filter(case_number=case.number, kind="dispatched", user=staff["handler"]).exists()

    after = tmp_path / "clean.jpg"
    after.write_bytes(jpeg(color=(30, 160, 30)))
    from django.core.files.uploadedfile import SimpleUploadedFile

    from civicgrid.cases.photos import store_photo

    cleaned = store_photo(SimpleUploadedFile("clean.jpg", after.read_bytes(), content_type="image/jpeg"),
                          staff["handler"])
    perform(staff["handler"], case.number, "handle", photos=[cleaned], note="保洁员李四已清运",
            public_note="垃圾已全部清运")
    perform(staff["inspector"], case.number, "check_pass")
    perform(staff["shift_leader"], case.number, "close")
    page.goto(track)
    timeline = page.locator("#timeline").inner_text()
    assert "已办结" in timeline and "垃圾已全部清运" in timeline and "李四" not in timeline
    assert page.locator("#timeline img").count() == 2  # before and after, their public copies
    page.locator("#rating-form label", has_text="不满意").click()
    page.fill("#rating-form textarea", "第二天又堆满了")
    page.screenshot(path=str(tmp_path / "rate.png"), full_page=True)
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_selector("#rating-done")
    assert "已转创城办复核" in page.locator("#rating-done").inner_text()
    assert Delivery.objects.filter(case_number=case.number, kind="review").exists()

    office = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800}).new_page()
    office.set_default_timeout(15_000)
    log_in(office, live_server, "admin")
    office.goto(f"{live_server.url}/public/office/")
    row = office.locator("#pending-reviews tr", has_text=case.number)
    row.locator("select[name=decision]").select_option("reopen")
    row.locator("textarea[name=note]").fill("复查属实，重新交办")
    row.get_by_role("button", name="提交复核").click()
    office.wait_for_selector(".messages")
    assert Case.objects.get(pk=case.pk).state == "handling"
    assert Delivery.objects.filter(case_number=case.number, kind="reopened", user=staff["handler"]).exists()

    page.goto(track)
    assert "重新处理" in page.locator("#timeline").inner_text()
    assert "已重新交办处理" in page.locator("#rating-done").inner_text()
    assert PublicReport.objects.get(case=case).review == "reopened"
    page.screenshot(path=str(tmp_path / "reviewed.png"), full_page=True)


def test_a_phone_outside_the_district_is_told_at_once_and_keeps_what_it_typed(live_server, browser, tmp_path):
    build_small_district()
    photo = tmp_path / "p.jpg"
    photo.write_bytes(jpeg())
    context = browser.new_context(**PHONE, geolocation={"latitude": 39.9, "longitude": 116.4},
                                  permissions=["geolocation"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/public/report/")
    error = page.locator('[data-error="location"]')
    error.wait_for(state="visible")  # as soon as the position is known, before anything is submitted
    assert "不在本区范围内" in error.inner_text()
    page.locator("#photo-input").set_input_files(str(photo))
    page.fill("#id_description", "路边垃圾")
    page.locator(".class-choice[data-code=E0102]").first.dispatch_event("click")
    page.get_by_role("button", name="提交").click()
    page.wait_for_selector("#submit-status:has-text('提交失败')")
    assert page.locator("#photo-list img").count() == 1 and page.input_value("#id_description") == "路边垃圾"
    assert page.input_value("#id_case_class") == "E0102" and not Case.objects.exists()
