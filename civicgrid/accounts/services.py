"""Login protection: throttling, lockout and two-factor devices. Views, the token endpoint, the admin and
commands call these; nothing here reads a form or writes a response."""

from __future__ import annotations

import datetime as dt
import math
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.throttling import SimpleRateThrottle

from civicgrid import audit
from civicgrid.accounts.models import AccountLockout, LoginThrottle
from civicgrid.audit.models import AuditKind
from civicgrid.audit.services import client_address
from civicgrid.core.scoping import is_office, require_office

# Said when the account is locked, whatever the password: it never tells whether the password was right.
LOCKED_MESSAGE = _("该账号因连续登录失败已被锁定，请联系创城办解锁。")
THROTTLED_MESSAGE = _("登录尝试过于频繁，请稍后再试。")


def normalize_username(raw) -> str:
    """The username as authentication uses it: surrounding whitespace removed (Django compares exactly)."""
    return str(raw or "").strip()


def _throttle_name(username) -> str:
    # Casefolded so 'Admin' and 'admin' share one counter; truncated because no real username is longer.
    return normalize_username(username).casefold()[:150]


def _count_attempt(key: str, rate: str, now: dt.datetime) -> int | None:
    """Count one attempt in `key`'s fixed window; None while within `rate`, else the seconds left to wait."""
    limit, window = SimpleRateThrottle.parse_rate(None, rate)
    with transaction.atomic():
        row = LoginThrottle.objects.select_for_update().filter(key=key).first()
        if row is None or (now - row.window_start).total_seconds() >= window:
            LoginThrottle.objects.update_or_create(key=key, defaults={"window_start": now, "attempts": 1})
            return None if limit >= 1 else window
        LoginThrottle.objects.filter(key=key).update(attempts=F("attempts") + 1)
    if row.attempts + 1 <= limit:
        return None
    return max(1, math.ceil(window - (now - row.window_start).total_seconds()))


def check_login_allowed(request, username) -> int | None:
    """Count one login attempt for the client's address and for (address, username).

    Returns None when both are within their rates (`LOGIN_THROTTLE_ADDRESS_RATE`, `LOGIN_THROTTLE_RATE`),
    otherwise the seconds until the caller may try again (for Retry-After). Counters live in the database,
    so every worker process sees the same counts.
    """
    now = timezone.now()
    address = client_address(request) or "-"
    waits = [
        _count_attempt(f"address:{address}", settings.LOGIN_THROTTLE_ADDRESS_RATE, now),
        _count_attempt(f"account:{address}:{_throttle_name(username)}", settings.LOGIN_THROTTLE_RATE, now),
    ]
    waits = [w for w in waits if w is not None]
    if not waits:
        # Old windows are swept when a new one starts, so the table holds about a day of keys; the failures of
        # names that are no account are kept as long as UNKNOWN_ACCOUNT_DAYS (see record_failure).
        LoginThrottle.objects.filter(window_start__lt=now - dt.timedelta(days=1)).exclude(
            key__startswith=UNKNOWN_ACCOUNT_PREFIX).delete()
        LoginThrottle.objects.filter(key__startswith=UNKNOWN_ACCOUNT_PREFIX,
                                     window_start__lt=now - dt.timedelta(days=UNKNOWN_ACCOUNT_DAYS)).delete()
        return None
    return max(waits)


# Failed logins under names that are no account: counted like an account's, remembered this many days.
UNKNOWN_ACCOUNT_PREFIX = "unknown-account:"
UNKNOWN_ACCOUNT_DAYS = 90


def _unknown_account_key(username) -> str:
    # The exact name, as accounts are looked up: were 'ZHANGSAN' and 'zhangsan' one counter here while the
    # account counts only its own name, failing as the one and then the other would tell whether it exists.
    return f"{UNKNOWN_ACCOUNT_PREFIX}{normalize_username(username)[:150]}"


def account_named(username):
    User = get_user_model()
    return User.objects.filter(**{User.USERNAME_FIELD: normalize_username(username)}).first()


def is_locked(username) -> bool:
    """Whether a login as `username` is answered with LOCKED_MESSAGE.

    A name that is no account is "locked" after as many failures as an account would be, so the answer never
    tells a guesser which usernames exist.
    """
    user = account_named(username)
    if user is None:
        return LoginThrottle.objects.filter(key=_unknown_account_key(username),
                                            attempts__gte=settings.LOGIN_LOCKOUT_FAILURES).exists()
    return is_user_locked(user)


def is_user_locked(user) -> bool:
    return AccountLockout.objects.filter(user=user, locked_at__isnull=False).exists()


def record_failure(username, request, *, reason: str = "password") -> bool:
    """Record a failed password or code for `username`; lock the account at `LOGIN_LOCKOUT_FAILURES`.

    Returns whether the account is now locked. A name that is no account has nothing to lock, but its failures
    are counted all the same, so that it answers as an account would (see is_locked).
    """
    username = normalize_username(username)
    user = account_named(username)
    kind = AuditKind.OTP_FAILURE if reason == "otp" else AuditKind.LOGIN_FAILURE
    audit.record(kind, actor=user, request=request, target=username, username=username, reason=reason)
    now = timezone.now()
    if user is None:
        key = _unknown_account_key(username)
        LoginThrottle.objects.get_or_create(key=key, defaults={"window_start": now, "attempts": 0})
        LoginThrottle.objects.filter(key=key).update(attempts=F("attempts") + 1, window_start=now)
        return is_locked(username)
    AccountLockout.objects.get_or_create(user=user)
    AccountLockout.objects.filter(user=user).update(
        failures=F("failures") + 1, last_failure_at=now, last_failure_address=client_address(request))
    # A conditional update: of two workers crossing the limit together, only one records the lock.
    newly_locked = AccountLockout.objects.filter(
        user=user, locked_at__isnull=True, failures__gte=settings.LOGIN_LOCKOUT_FAILURES).update(locked_at=now)
    if newly_locked:
        audit.record(AuditKind.LOGIN_LOCKED, actor=user, request=request, target=username,
                     failures=settings.LOGIN_LOCKOUT_FAILURES)
    return is_user_locked(user)


def record_success(user, request, *, via: str = "page") -> None:
    """A complete login (password and, when enrolled, code): the failure count starts again."""
    AccountLockout.objects.filter(user=user, locked_at__isnull=True).update(failures=0)
    audit.record(AuditKind.LOGIN_SUCCESS, actor=user, request=request, target=user.get_username(), via=via)


def locked_accounts():
    return AccountLockout.objects.filter(locked_at__isnull=False).select_related("user").order_by("-locked_at")


def unlock(user, *, actor=None, request=None) -> bool:
    """The office unlocks an account (`actor` None: the server's operator, e.g. the management command).

    Returns False when the account was not locked.
    """
    require_office(actor, _("解锁账号"))
    changed = AccountLockout.objects.filter(user=user, locked_at__isnull=False).update(locked_at=None, failures=0)
    if changed:
        audit.record(AuditKind.ACCOUNT_UNLOCKED, actor=actor, request=request, target=user.get_username())
    return bool(changed)


# --- Two-factor devices (TOTP) -------------------------------------------------------------------


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user) -> TOTPDevice:
    """The device being enrolled: its secret stays the same until confirmed, so a reload keeps the QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an inline SVG QR code (drawn here: nothing is sent to a QR service)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an authenticator app."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _clean_code(code) -> str:
    return "".join(str(code or "").split())


def confirm_device(user, device: TOTPDevice, code, request=None) -> bool:
    """Confirm enrolment with a first code from the app; only then does login ask for codes."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(_clean_code(code)):
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    audit.record(AuditKind.OTP_ENROLLED, actor=user, request=request, target=user.get_username())
    return True


def remove_devices(user, *, password, code, request=None) -> bool:
    """The user turns two-factor off, which only their password and a current code from the device allow: a
    session left open, or taken, must not be enough to weaken the account. A wrong answer counts toward the
    account's lockout as a wrong login does, and locking ends the session.

    Returns whether two-factor is now off: already so when there is no device (the form sent twice), which is
    no failed attempt.
    """
    if not has_device(user):
        return True
    if not user.check_password(password or ""):
        record_failure(user.get_username(), request, reason="password")
        return False
    if verify_code(user, code) is None:
        record_failure(user.get_username(), request, reason="otp")
        return False
    _delete_devices(user, actor=user, request=request)
    AccountLockout.objects.filter(user=user, locked_at__isnull=True).update(failures=0)  # as a login does
    return True


def reset_devices(user, *, actor=None, request=None) -> bool:
    """The office removes the two-factor device of someone who lost it (`actor` None: the server's operator);
    they log in with their password alone and enrol a new one. Returns False when there was none."""
    require_office(actor, _("重置两步验证"))
    return _delete_devices(user, actor=actor, request=request)


def _delete_devices(user, *, actor, request) -> bool:
    removed, _counts = TOTPDevice.objects.filter(user=user).delete()
    if removed:
        audit.record(AuditKind.OTP_REMOVED, actor=actor, request=request, target=user.get_username())
    return bool(removed)


def verify_code(user, code) -> TOTPDevice | None:
    """The confirmed device that accepts `code` (each code is accepted once), or None."""
    code = _clean_code(code)
    if not code.isdigit():
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


def must_enrol(user) -> bool:
    """Whether REQUIRE_2FA_FOR_OFFICE holds this user back until they enrol a device."""
    return settings.REQUIRE_2FA_FOR_OFFICE and is_office(user) and not has_device(user)
