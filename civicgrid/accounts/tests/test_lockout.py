import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from civicgrid.accounts import services
from civicgrid.accounts.models import AccountLockout
from civicgrid.audit.models import AuditEvent
from civicgrid.organizations.choices import Role
from testsupport import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _lockout_before_throttle(settings):
    settings.LOGIN_LOCKOUT_FAILURES = 3
    settings.LOGIN_THROTTLE_RATE = settings.LOGIN_THROTTLE_ADDRESS_RATE = "100/min"


def fail(username, address):
    return Client().post("/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=address)


def lock(username="street"):
    for i in range(3):
        fail(username, f"10.0.0.{i + 1}")


def test_it_locks_an_account_after_consecutive_failures_from_any_address(db):
    user = make_user("street")
    lock()
    assert AccountLockout.objects.get(user=user).locked_at is not None
    response = Client().post("/login/", {"username": "street", "password": "pw"})
    page = response.content.decode()
    assert response.status_code == 200 and "已被锁定" in page and "联系创城办" in page
    assert AuditEvent.objects.filter(kind="login_locked", actor_username="street").count() == 1


def test_a_wrong_password_for_a_locked_account_gets_the_same_message(db):
    make_user("street")
    lock()
    assert "已被锁定" in fail("street", "10.0.0.9").content.decode()


def test_a_successful_login_resets_the_failure_count(db):
    user = make_user("street")
    fail("street", "10.0.0.1")
    fail("street", "10.0.0.2")
    assert Client().post("/login/", {"username": "street", "password": "pw"}).status_code == 302
    fail("street", "10.0.0.3")
    assert AccountLockout.objects.get(user=user).failures == 1 and not services.is_user_locked(user)


def test_locking_ends_the_accounts_open_sessions(db):
    user = make_user("street")
    client = Client()
    client.force_login(user)
    lock()
    assert client.get("/").status_code == 302


def test_the_token_endpoint_refuses_a_locked_account(db):
    make_user("street")
    lock()
    response = APIClient().post("/api/v1/auth/token/", {"username": "street", "password": "pw"}, format="json")
    assert response.status_code == 400 and "已被锁定" in str(response.json())


def test_a_name_that_is_no_account_answers_as_a_locked_account_would(db):
    """Otherwise the lock message would tell a guesser which usernames exist."""
    make_user("street")
    lock("street")
    lock("nobody")
    assert fail("street", "10.0.0.9").content.decode().count("已被锁定") == 1
    assert fail("nobody", "10.0.0.9").content.decode().count("已被锁定") == 1
    for username in ("street", "nobody"):
        response = APIClient().post("/api/v1/auth/token/", {"username": username, "password": "x"}, format="json")
        assert response.status_code == 400 and "已被锁定" in str(response.json()), username


def test_a_name_in_other_letters_does_not_tell_whether_an_account_exists(db):
    """Accounts are named exactly: 'STREET' is no account even when 'street' is. Had the names that are no account
    shared a counter across letter case, two failures as 'NOBODY' and one as 'nobody' would lock, while the same
    as 'STREET' and 'street' would not (the account counts its own name): a guesser would learn which exists."""
    make_user("street")
    for username in ("STREET", "NOBODY"):
        fail(username, "10.0.0.1")
        fail(username, "10.0.0.2")
    answers = {name: "已被锁定" in fail(name, "10.0.0.3").content.decode() for name in ("street", "nobody")}
    assert answers == {"street": False, "nobody": False}


def test_fewer_failures_under_a_name_that_is_no_account_say_wrong_password(db):
    fail("nobody", "10.0.0.1")
    page = fail("nobody", "10.0.0.2").content.decode()
    assert "已被锁定" not in page and "用户名" in page


def test_the_office_lists_and_unlocks_locked_accounts(db, district):
    user = make_user("street")
    lock()
    office = Client()
    office.force_login(make_user("office", Role.ADMIN))
    assert "street" in office.get("/accounts/locked/").content.decode()
    assert office.post(f"/accounts/locked/{user.pk}/unlock/").status_code == 302
    assert not services.is_user_locked(user)
    assert Client().post("/login/", {"username": "street", "password": "pw"}).status_code == 302
    event = AuditEvent.objects.get(kind="account_unlocked")
    assert event.actor_username == "office" and event.target == "street"


def test_others_do_not_see_the_locked_accounts_page(db, district):
    user = make_user("street")
    lock()
    client = Client()
    client.force_login(make_user("community", Role.COMMUNITY_STAFF, region=district["210112001001"]))
    assert client.get("/accounts/locked/").status_code == 404
    assert client.post(f"/accounts/locked/{user.pk}/unlock/").status_code == 404
    assert services.is_user_locked(user)


def test_the_admin_action_unlocks(db):
    user = make_user("street")
    lock()
    admin = Client()
    admin.force_login(make_user("root", superuser=True))
    response = admin.post("/admin/accounts/accountlockout/", {
        "action": "unlock_selected", "_selected_action": [user.pk]})
    assert response.status_code == 302 and not services.is_user_locked(user)
    assert AuditEvent.objects.filter(kind="account_unlocked", target="street").exists()


def test_the_command_unlocks(db, capsys):
    user = make_user("street")
    lock()
    call_command("unlock_account", "street")
    assert not services.is_user_locked(user) and "unlocked" in capsys.readouterr().out
    assert AuditEvent.objects.get(kind="account_unlocked").actor is None


def test_the_failures_of_names_that_are_no_account_are_forgotten_after_months(db):
    import datetime as dt

    from django.utils import timezone

    from civicgrid.accounts.models import LoginThrottle

    lock("nobody")
    key = f"{services.UNKNOWN_ACCOUNT_PREFIX}nobody"
    LoginThrottle.objects.filter(key=key).update(window_start=timezone.now() - dt.timedelta(days=2))
    Client().post("/login/", {"username": "someone", "password": "x"}, REMOTE_ADDR="10.0.1.1")  # sweeps
    assert services.is_locked("nobody")  # a day-old window of the throttle is swept, this is not
    LoginThrottle.objects.filter(key=key).update(
        window_start=timezone.now() - dt.timedelta(days=services.UNKNOWN_ACCOUNT_DAYS + 1))
    Client().post("/login/", {"username": "someone", "password": "x"}, REMOTE_ADDR="10.0.1.2")
    assert not services.is_locked("nobody")


def test_a_locked_accounts_api_token_and_field_device_stop_working_until_unlocked(db):
    """Locking ended the web sessions only: a token issued before, or the field app's device key, went on."""
    from rest_framework.authtoken.models import Token

    from civicgrid.field.services import start_session

    user = make_user("street")
    token = Token.objects.create(user=user)
    _session, device = start_session(user, "测试手机")
    by_token, by_device = APIClient(), APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    by_device.credentials(HTTP_AUTHORIZATION=f"Field {device}")
    assert by_token.get("/api/v1/cases/").status_code == by_device.get("/api/v1/cases/").status_code == 200
    lock()
    refused = by_token.get("/api/v1/cases/")
    assert refused.status_code == 401 and "已被锁定" in refused.json()["detail"]
    assert by_device.get("/api/v1/cases/").status_code == 401  # the app then clears the phone and signs out
    services.unlock(user)
    assert by_token.get("/api/v1/cases/").status_code == 200
