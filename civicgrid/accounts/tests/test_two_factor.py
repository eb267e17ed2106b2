import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from civicgrid.accounts import services
from civicgrid.accounts.tests.helpers import code_for, enrol
from civicgrid.audit.models import AuditEvent
from civicgrid.organizations.choices import Role
from testsupport import make_user

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_it_enrols_a_device_from_a_qr_code_and_a_first_code(db):
    user = make_user("street")
    client = signed_in(user)
    page = client.get("/account/two-factor/").content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert "<svg" in page and services.secret_text(device) in page and not device.confirmed
    assert client.get("/account/two-factor/").content.decode().count(services.secret_text(device)) == 1  # same secret
    response = client.post("/account/two-factor/", {"code": code_for(device)})
    assert response.status_code == 302 and services.has_device(user)
    assert AuditEvent.objects.filter(kind="otp_enrolled", actor=user).exists()


def test_a_wrong_first_code_does_not_confirm_the_device(db):
    user = make_user("street")
    client = signed_in(user)
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    assert "验证码不正确" in client.post("/account/two-factor/", {"code": wrong}).content.decode()
    assert not services.has_device(user)


def test_it_removes_the_device_given_the_password_and_a_code(db):
    user = make_user("street")
    device = enrol(user)
    client = signed_in(user)
    page = client.get("/account/two-factor/").content.decode()
    assert 'name="password"' in page and 'name="code"' in page
    response = client.post("/account/two-factor/remove/", {"password": "pw", "code": code_for(device)})
    assert response.status_code == 302 and not services.has_device(user)
    assert AuditEvent.objects.filter(kind="otp_removed", actor=user).exists()
    # The form sent again (a second click, Back and resend) is no failed attempt: it is already off.
    again = client.post("/account/two-factor/remove/", {"password": "pw", "code": code_for(device)})
    assert again.status_code == 302 and again["Location"] == "/account/two-factor/"
    assert not AuditEvent.objects.filter(kind__in=["login_failure", "otp_failure"]).exists()


@pytest.mark.parametrize(("answer", "said"), [
    ({}, "该字段是必填项"),
    ({"password": "pw"}, "该字段是必填项"),
    ({"password": "wrong", "code": "current"}, "密码或验证码不正确"),
    ({"password": "pw", "code": "stale"}, "密码或验证码不正确"),
])
def test_an_open_session_alone_cannot_remove_the_device(db, answer, said):
    user = make_user("street")
    device = enrol(user)
    current = code_for(device)
    codes = {"current": current, "stale": f"{(int(current) + 1) % 1_000_000:06d}"}
    answer = {**answer, **({"code": codes[answer["code"]]} if "code" in answer else {})}
    response = signed_in(user).post("/account/two-factor/remove/", answer)
    assert response.status_code == 400 and said in response.content.decode()
    assert services.has_device(user) and not AuditEvent.objects.filter(kind="otp_removed").exists()


def test_guessing_the_password_to_remove_the_device_locks_the_account_and_ends_the_session(db, settings):
    settings.LOGIN_LOCKOUT_FAILURES = 3
    user = make_user("street")
    device = enrol(user)
    client = signed_in(user)
    for _ in range(3):
        response = client.post("/account/two-factor/remove/", {"password": "guess", "code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert services.is_user_locked(user) and services.has_device(user)
    assert "请联系创城办解锁" in client.get("/login/").content.decode()
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(kind="login_failure", actor=user).count() == 3


def test_the_office_resets_a_lost_device_from_the_command_line(db, capsys):
    from django.core.management import call_command

    user = make_user("street")
    enrol(user)
    call_command("reset_two_factor", "street")
    assert not services.has_device(user) and "removed" in capsys.readouterr().out
    assert AuditEvent.objects.get(kind="otp_removed").actor is None
    call_command("reset_two_factor", "street")
    assert "had no two-factor device" in capsys.readouterr().out


def test_only_the_office_resets_someone_elses_device(db, district):
    from django.core.exceptions import PermissionDenied

    user = make_user("street")
    enrol(user)
    with pytest.raises(PermissionDenied):
        services.reset_devices(user, actor=make_user("other", Role.STREET_STAFF, region=district["210112001"]))
    assert services.has_device(user)
    assert services.reset_devices(user, actor=make_user("office", Role.ADMIN))


def test_an_enrolled_user_gives_a_code_after_the_password_before_being_logged_in(db):
    user = make_user("street")
    device = enrol(user)
    client = Client()
    response = client.post("/login/", {"username": "street", "password": "pw", "next": "/places/"})
    assert response.status_code == 302 and response["Location"] == "/login/code/"
    assert client.get("/").status_code == 302  # not logged in yet
    assert not AuditEvent.objects.filter(kind="login_success").exists()
    response = client.post("/login/code/", {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/places/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(kind="login_success", actor=user).count() == 1


def test_the_code_step_without_a_password_goes_back_to_the_login(db):
    assert Client().get("/login/code/")["Location"] == "/login/"


def test_wrong_codes_are_audited_and_count_toward_the_lockout(db, settings):
    settings.LOGIN_LOCKOUT_FAILURES = 3
    user = make_user("street")
    device = enrol(user)
    client = Client()
    client.post("/login/", {"username": "street", "password": "pw"})
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    assert "验证码不正确" in client.post("/login/code/", {"code": wrong}).content.decode()
    client.post("/login/code/", {"code": wrong})
    page = client.post("/login/code/", {"code": wrong}).content.decode()
    assert "已被锁定" in page and services.is_user_locked(user)
    assert AuditEvent.objects.filter(kind="otp_failure", actor=user).count() == 3
    assert client.post("/login/code/", {"code": code_for(device)})["Location"] == "/login/"
    assert client.get("/").status_code == 302


def test_the_token_endpoint_needs_a_valid_otp_from_an_enrolled_user(db):
    user = make_user("street")
    device = enrol(user)
    api = APIClient()
    url = "/api/v1/auth/token/"
    response = api.post(url, {"username": "street", "password": "pw"}, format="json")
    assert response.status_code == 400 and "otp" in response.json()
    response = api.post(url, {"username": "street", "password": "pw", "otp": "000000"}, format="json")
    assert response.status_code == 400 and "otp" in response.json()
    response = api.post(url, {"username": "street", "password": "pw", "otp": code_for(device)}, format="json")
    assert response.status_code == 200 and response.json()["token"]
    assert AuditEvent.objects.filter(kind="otp_failure", actor=user).count() == 2
    assert AuditEvent.objects.filter(kind="login_success", actor=user, detail__via="token").count() == 1


def test_the_office_must_enrol_before_using_any_page_when_required(db, district, settings):
    settings.REQUIRE_2FA_FOR_OFFICE = True
    office = make_user("office", Role.ADMIN)
    make_user("community", Role.COMMUNITY_STAFF, region=district["210112001001"])
    client = Client()
    assert client.post("/login/", {"username": "office", "password": "pw"}).status_code == 302
    for url in ["/", "/places/", "/audit/"]:
        assert client.get(url)["Location"] == "/account/two-factor/", url
    assert client.get("/api/v1/regions/").status_code == 403
    assert "须先启用两步验证" in client.get("/account/two-factor/").content.decode()
    client.post("/account/two-factor/", {"code": code_for(TOTPDevice.objects.get(user=office))})
    assert client.get("/").status_code == 200
    others = Client()
    others.post("/login/", {"username": "community", "password": "pw"})
    assert others.get("/").status_code == 200  # only the office is held to it


def test_the_token_endpoint_refuses_an_unenrolled_office_when_required(db, settings):
    settings.REQUIRE_2FA_FOR_OFFICE = True
    make_user("office", Role.ADMIN)
    response = APIClient().post("/api/v1/auth/token/", {"username": "office", "password": "pw"}, format="json")
    assert response.status_code == 400 and "otp" in response.json()


def test_the_admin_login_goes_through_the_sites_login(db):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/admin/"
