"""Issue 16 in a real browser: each role's first screen answers "what needs me now", on a desktop and a phone,
and a phone works a queue: a bulk action, then one case after another. The first screens are kept as
screenshots (CIVICGRID_SCREENSHOTS, var/screenshots by default; CI keeps them as artifacts)."""

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicgrid.cases.models import Case
from civicgrid.cases.services import notify, perform, report_case
from civicgrid.cases.tests.conftest import world  # noqa: F401  (the fixture)
from conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = os.path.join(os.environ.get("CIVICGRID_SCREENSHOTS", "var/screenshots"), "first-screens")
SIZES = {"desktop": {"viewport": {"width": 1440, "height": 900}},
         "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}}


@pytest.fixture
def day(world):  # noqa: F811
    """A working day in the first street: cases at every step, two of them overdue and escalated."""
    u = world["users"]
    lng, lat = world["point"]

    def reported(description, dx=0.0):
        return report_case(u["gridworker"], case_class=world["garbage"], description=description, lng=lng + dx,
                           lat=lat).case

    waiting = [reported(f"待立案{i}", dx=0.002 * i) for i in range(2)]
    reported("同一处的重复上报", dx=0.00005)  # a repeat of 待立案0, for the acceptor
    handling = [reported(f"处置中{i}", dx=0.003 + 0.002 * i) for i in range(3)]
    for case in handling:
        perform(u["shift_leader"], case.number, "file")
        perform(u["dispatcher"], case.number, "dispatch")
    late = timezone.now() - dt.timedelta(hours=2)
    Case.objects.filter(pk__in=[c.pk for c in handling[:2]]).update(handle_due=late, due_at=late)
    for case in handling[:2]:
        notify([u["leader"]], case, "overdue", "包保街道案件已超期")
    to_dispatch = [reported(f"待派遣{i}", dx=0.01 + 0.002 * i) for i in range(4)]
    for case in to_dispatch:
        perform(u["shift_leader"], case.number, "file")
    return {**world, "waiting": waiting, "handling": handling, "to_dispatch": to_dispatch}


# What each role's first screen must lead with: (selector, words it holds).
FIRST_SCREENS = {
    "admin": [("#attention", "超期")],
    "leader": [("#standing", "第1街道"), ("#escalated", "第1街道 超期案件"), ("#notifications", "包保街道超期案件")],
    "acceptor": [("#my-queues", "疑似重复待合并")],
    "shift_leader": [("#my-queues", "待立案")],
    "dispatcher": [("#my-queues", "待派遣")],
    "handler": [("#my-queues", "待处置"), ("#attention", "超期")],
    "community": [("#attention", "超期"), ("#standing", "第1街道第1社区")],
    "gridworker": [("#attention", "超期")],
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", FIRST_SCREENS)
def test_each_roles_first_screen_says_what_needs_them(live_server, browser, day, role, size):
    context = browser.new_context(locale="zh-CN", **SIZES[size])
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, role)
    for selector, words in FIRST_SCREENS[role]:
        section = page.locator(selector)
        assert section.is_visible(), selector
        assert words in section.inner_text(), (selector, words)
    if role in ("admin", "handler", "community", "gridworker"):  # the overdue count is there, and it links
        overdue = page.locator("#attention a.stat", has_text="超期").first
        assert int(overdue.locator("b").inner_text()) >= 2
    width = SIZES[size]["viewport"]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if size == "phone":
        assert page.locator("header.topbar").bounding_box()["height"] < 80  # one line (about 65 px)
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, f"{role}-{size}.png"), full_page=True)
    context.close()


def test_a_dispatcher_works_the_queue_on_a_phone(live_server, browser, day):
    """The bulk action on two cases, then case after case: each action opens the next one of the queue."""
    page = browser.new_context(locale="zh-CN", **SIZES["phone"]).new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, "dispatcher")
    page.goto(f"{live_server.url}/cases/queues/")
    queue = page.locator("#queue-dispatch")
    rows = queue.locator("tbody tr")
    assert rows.count() == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first_two = [day["to_dispatch"][0].number, day["to_dispatch"][1].number]
    for number in first_two:
        queue.locator(f"input[name=numbers][value='{number}']").check()
    queue.locator("button.bulk").click()
    page.wait_for_selector(".messages")
    assert f"已派遣 2 件：{'、'.join(first_two)}" in page.locator(".messages").inner_text()

    page.locator(f"#queue-dispatch a[href*='{day['to_dispatch'][2].number}']").click()
    for number, following in ((day["to_dispatch"][2].number, day["to_dispatch"][3].number),
                              (day["to_dispatch"][3].number, None)):
        # The key shown on the action opens it, and its first field takes the focus (once the page's script runs:
        # a key pressed while the page still loads does nothing).
        page.wait_for_load_state()
        key = page.locator('details:has(form[data-action="dispatch"]) > summary kbd').inner_text()
        page.keyboard.press(key)
        expect(page.locator('form[data-action="dispatch"] select[name=unit]')).to_be_focused()
        page.locator('form[data-action="dispatch"] button[type=submit]').click()
        if following:
            page.wait_for_url(f"**/cases/{following}/?queue=dispatch")
        else:
            page.wait_for_url("**/cases/queues/#queue-dispatch")
        assert number in page.locator(".messages").inner_text()
    assert "该队列已处理完" in page.locator(".messages").inner_text()
    assert Case.objects.filter(pk__in=[c.pk for c in day["to_dispatch"]], state="handling").count() == 4
