"""Writing and reading the audit trail."""

from __future__ import annotations

import json

from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.audit.models import AuditEvent, AuditKind
from civicgrid.core import excel


def client_address(request) -> str | None:
    """The client address as Django sees it (no proxy header is trusted by default)."""
    return (request.META.get("REMOTE_ADDR") or None) if request is not None else None


def record(kind: AuditKind | str, *, actor=None, request=None, target: str = "", **detail) -> AuditEvent:
    """Append one event. `actor` defaults to the request's signed-in user; `detail` must be JSON-serialisable.

    For events about an account that may not exist (a failed login), pass `username=` in `detail`:
    it becomes the event's username when there is no actor.
    """
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is not None and not actor.is_authenticated:
        actor = None
    username = actor.get_username() if actor is not None else str(detail.get("username", ""))[:150]
    return AuditEvent.objects.create(
        kind=AuditKind(kind), actor=actor, actor_username=username, address=client_address(request),
        target=str(target)[:255], detail=detail,
    )


def export_workbook(events) -> bytes:
    """The events as an .xlsx; usernames, targets and details are typed by anyone who reaches the login page,
    and core.excel writes every text cell as text (never a formula)."""
    rows = (
        [timezone.localtime(e.at).replace(tzinfo=None), e.get_kind_display(), e.actor_username,
         e.address or "", e.target, json.dumps(e.detail, ensure_ascii=False) if e.detail else ""]
        for e in events.iterator()
    )
    columns = [excel.Column(_("时间"), "at"), excel.Column(_("类型"), "kind"), excel.Column(_("用户名"), "username"),
               excel.Column(_("地址"), "address"), excel.Column(_("对象"), "target"), excel.Column(_("详情"), "detail")]
    return excel.write(columns, rows, title=_("审计事件"))
