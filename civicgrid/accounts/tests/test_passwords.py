import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from civicgrid.audit.models import AuditEvent
from testsupport import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password,reason", [
    ("Xq7#vB2", "too short"),
    ("password123", "common"),
    ("84736251903", "only digits"),
    ("zhangwei2026", "like the username"),
])
def test_it_refuses_weak_passwords(db, password, reason):
    user = make_user("zhangwei2026")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_the_minimum_length_comes_from_the_setting(settings):
    from django.contrib.auth.password_validation import get_default_password_validators

    [length] = [v for v in get_default_password_validators() if hasattr(v, "min_length")]
    assert length.min_length == 10


def test_it_accepts_a_long_uncommon_password(db):
    validate_password("绿荫-巷口-7路公交", make_user("street"))


def test_the_change_password_page_applies_the_rules_and_audits_the_change(db):
    user = make_user("street")
    client = Client()
    client.force_login(user)
    response = client.post("/account/password/", {
        "old_password": "pw", "new_password1": "12345678901", "new_password2": "12345678901"})
    assert response.status_code == 200 and not AuditEvent.objects.filter(kind="password_changed").exists()
    response = client.post("/account/password/", {
        "old_password": "pw", "new_password1": "绿荫-巷口-7路公交", "new_password2": "绿荫-巷口-7路公交"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("绿荫-巷口-7路公交")
    assert client.get("/").status_code == 200  # still signed in after the change
    assert AuditEvent.objects.filter(kind="password_changed", actor=user).count() == 1
