"""Field sessions: start one on a signed-in device, authenticate its calls, revoke it from the office."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid import audit
from civicgrid.accounts.services import is_user_locked
from civicgrid.audit.models import AuditKind
from civicgrid.core.scoping import is_office
from civicgrid.field.models import FieldSession, digest

# How often a session's last sync is written (every call would make each read a write).
SEEN_EVERY = dt.timedelta(minutes=5)


def start_session(user, device: str = "") -> tuple[FieldSession, str]:
    """A new session for this device; returns it and the key, which is never stored and never shown again."""
    key = secrets.token_urlsafe(32)
    session = FieldSession.objects.create(
        user=user, key_digest=digest(key), device=device[:200],
        expires_at=timezone.now() + dt.timedelta(days=settings.FIELD_SESSION_DAYS))
    audit.record(AuditKind.LOGIN_SUCCESS, actor=user, target=user.get_username(), via="field")
    return session, key


def authenticate(key: str) -> FieldSession | None:
    """The live session holding `key`, its last sync noted; None for an unknown, expired or revoked key, or an
    account that is inactive or locked."""
    session = FieldSession.objects.live().select_related("user").filter(key_digest=digest(key)).first()
    # A locked account's phone is signed out too, as its web sessions and tokens are, until the office unlocks it.
    if session is None or not session.user.is_active or is_user_locked(session.user):
        return None
    now = timezone.now()
    if session.last_seen_at is None or now - session.last_seen_at > SEEN_EVERY:
        FieldSession.objects.filter(pk=session.pk).update(last_seen_at=now)
    return session


def revoke(actor, session: FieldSession) -> FieldSession:
    """End a session now (the office for anyone's; a user for their own): the device's next call is refused."""
    if not (is_office(actor) or session.user_id == actor.pk):
        raise PermissionDenied(_("只有创城办或本人可以撤销外勤设备会话。"))
    revoked = FieldSession.objects.filter(pk=session.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor)
    if revoked:  # revoking twice (two office tabs) records it once
        audit.record(AuditKind.FIELD_SESSION_REVOKED, actor=actor, target=session.user.get_username(),
                     device=session.device[:80])
    session.refresh_from_db()
    return session
