"""Two-factor login and the lockout message in a real browser."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from civicgrid.accounts.tests.helpers import code_for
from conftest import log_in
from testsupport import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def next_step_code(device: TOTPDevice) -> str:
    """The code of the next 30-second step (within the accepted tolerance): the one used to enrol is spent."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + 1):06d}"


def test_enrol_two_factor_log_out_and_log_in_with_password_and_code(live_server, page):
    user = make_user("street")
    log_in(page, live_server, "street")
    page.click("nav .nav-more > summary")  # settings fold under 更多
    page.click("nav >> text=账号安全")
    assert page.locator(".qr svg").is_visible() and page.inner_text("#otp-secret")
    device = TOTPDevice.objects.get(user=user)
    page.fill("input[name=code]", code_for(device))
    page.click("button.primary")
    page.wait_for_selector("text=两步验证已启用")

    page.click("text=退出")
    page.wait_for_url(f"{live_server.url}/login/")
    page.fill("input[name=username]", "street")
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/login/code/")
    page.fill("input[name=code]", next_step_code(device))
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "工作台" in page.content()


def test_a_locked_account_is_told_to_contact_the_office(live_server, page, settings):
    settings.LOGIN_LOCKOUT_FAILURES = 2
    make_user("street")
    for password in ["wrong", "wrong", "pw"]:
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", "street")
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_selector("[role=alert]")
    assert "请联系创城办解锁" in page.inner_text("[role=alert]")


def test_a_sprayed_login_is_throttled_and_the_office_reads_it_in_the_audit_log(live_server, page, settings):
    from civicgrid.organizations.choices import Role

    settings.LOGIN_THROTTLE_ADDRESS_RATE = "3/min"
    make_user("office", Role.ADMIN)
    for name in ["alice", "bob", "carol", "dave"]:  # one address, many usernames
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", name)
        page.fill("input[name=password]", "guess")
        page.click("button[type=submit]")
        page.wait_for_selector("[role=alert]")
    assert "过于频繁" in page.inner_text("[role=alert]")

    settings.LOGIN_THROTTLE_ADDRESS_RATE = "100/min"
    log_in(page, live_server, "office")
    page.goto(f"{live_server.url}/audit/")
    table = page.inner_text("main")
    assert "登录失败" in table and "alice" in table and "carol" in table
    with page.expect_download() as download:
        page.click("button[value=xlsx]")
    assert download.value.suggested_filename.endswith(".xlsx")
