"""Notifications and escalation: who hears of a dispatched case, the due-soon warning and the overdue escalation
to the leader contracted to the street (the periodic `tick`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.cases import signals
from civicgrid.cases.models import Case, Notification


def unit_users(unit_id: int | None):
    if unit_id is None:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(grants__unit_id=unit_id).distinct()


def notify(users, case: Case, kind: str, message: str) -> int:
    """In-app rows, once per user, case and kind; the other channels each user chose hear of it through
    `staff_notified` (civicgrid.notifications)."""
    users = list(users)
    rows = [Notification(user=u, case=case, kind=kind, message=message) for u in users]
    created = len(Notification.objects.bulk_create(rows, ignore_conflicts=True))
    if users:
        signals.staff_notified.send(sender=Case, users=users, case=case, kind=kind, message=message)
    return created


def mark_read(user, kind: str | None = None) -> int:
    """Mark the user's unread notifications (of one kind, or all) read; how many were."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    return (unread.filter(kind=kind) if kind else unread).update(read_at=timezone.now())


def notify_dispatched(case: Case) -> None:
    """Tell the department's users that a case reached it (inside the dispatch's transaction)."""
    notify(unit_users(case.responsible_unit_id), case, "dispatched",
           _("新派遣案件 %(n)s：%(cls)s") % {"n": case.number, "cls": case.case_class.minor_name})


def office_users():
    """The campaign office's people (and superusers): who reviews, and who hears of what concerns everyone."""
    from django.db.models import Q

    return get_user_model().objects.filter(Q(is_superuser=True) | Q(grants__role="admin"), is_active=True).distinct()


def dispatchers_of(case: Case):
    """The dispatchers whose region covers the case (a returned case is theirs to send on again)."""
    from django.db.models import Q

    from civicgrid.organizations.choices import Role

    prefixes = [case.region_code[:n] for n in range(1, len(case.region_code) + 1)]
    return get_user_model().objects.filter(
        Q(grants__region__code__in=prefixes) | Q(grants__region__isnull=True, grants__unit__isnull=True),
        grants__role=Role.DISPATCHER, is_active=True).distinct()


def notify_returned(case: Case, reason: str) -> None:
    """Tell the dispatchers that a department sent a case back (inside the return's transaction)."""
    notify(dispatchers_of(case), case, "returned",
           _("案件 %(n)s 被退回：%(why)s") % {"n": case.number, "why": reason[:200]})


@dataclass
class TickResult:
    due_soon: int = 0
    escalated: int = 0


def tick(now: dt.datetime | None = None) -> TickResult:
    """Periodic job: warn departments at 80 % of a limit and escalate overdue cases to the leader contracted
    to the case's street. Idempotent: each case is warned and escalated once (a conditional update claims it)."""
    from civicgrid.organizations.services import contracted_leader

    now = now or timezone.now()
    result = TickResult()
    for case in Case.objects.due_soon(now).filter(due_soon_notified_at__isnull=True).select_related("case_class"):
        if Case.objects.filter(pk=case.pk, due_soon_notified_at__isnull=True).update(due_soon_notified_at=now):
            notify(unit_users(case.responsible_unit_id), case, "due_soon",
                   _("案件 %(n)s 即将到期（%(due)s）") % {"n": case.number, "due": f"{timezone.localtime(case.handle_due):%m-%d %H:%M}"})
            result.due_soon += 1
    today = timezone.localtime(now).date()
    leaders: dict[str, object] = {}  # street code → contracted person, looked up once per street per run
    for case in Case.objects.overdue(now).filter(escalated_at__isnull=True).select_related("case_class"):
        if not Case.objects.filter(pk=case.pk, escalated_at__isnull=True).update(escalated_at=now):
            continue
        result.escalated += 1
        if case.street_code not in leaders:
            leaders[case.street_code] = contracted_leader(case.street_code, today)
        leader = leaders[case.street_code]
        if leader is not None and leader.user_id:
            notify([leader.user], case, "overdue",
                   _("包保街道案件 %(n)s 已超期：%(cls)s") % {"n": case.number, "cls": case.case_class.minor_name})
    return result
