"""Questions the case pages ask: work queues per role, the list, notifications."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from civicgrid.cases.choices import HANDLING_STATES, SOURCES_NEEDING_VERIFICATION, State
from civicgrid.cases.models import Case, Notification
from civicgrid.organizations.access import held_roles, role_scopes
from civicgrid.organizations.choices import Role


@dataclass
class Queue:
    key: str
    title: str
    cases: QuerySet
    bulk_action: str = ""  # the action the whole queue may take at once (verify, file, dispatch), if any


def _for_role(user, role: str) -> Q | None:
    """Cases within the grants of one role (the office: everything); None when the user lacks the role."""
    if Role.ADMIN in held_roles(user):
        return Q()
    scope = role_scopes(user).get(role)
    return Case.objects.all().scope_condition(scope) if scope is not None else None


QUEUES = [
    # key, title, role, filter
    ("verify", _("待核实"), Role.INSPECTOR, Q(state=State.REPORTED, source__in=SOURCES_NEEDING_VERIFICATION)),
    ("file", _("待立案"), Role.SHIFT_LEADER,
     Q(state=State.VERIFIED) | (Q(state=State.REPORTED) & ~Q(source__in=SOURCES_NEEDING_VERIFICATION))),
    ("triage", _("待分派（无责任单位）"), Role.DISPATCHER, Q(state__in=[State.FILED, State.RETURNED],
                                                      responsible_unit__isnull=True)),
    ("dispatch", _("待派遣"), Role.DISPATCHER, Q(state__in=[State.FILED, State.RETURNED],
                                            responsible_unit__isnull=False)),
    ("extension", _("延期审批"), Role.DISPATCHER, Q(state=State.EXTENSION_REQUESTED)),
    ("handle", _("待处置"), Role.HANDLER, Q(state=State.HANDLING)),
    ("check", _("待核查"), Role.INSPECTOR, Q(state=State.HANDLED)),
    ("close", _("待结案"), Role.SHIFT_LEADER, Q(state=State.CHECKED)),
]


def work_queues(user) -> list[Queue]:
    """The queues this user works, each restricted to their scope, oldest first."""
    queues = []
    base = Case.objects.restrict(user, "view").select_related("case_class", "responsible_unit")
    for key, title, role, condition in QUEUES:
        scope = _for_role(user, role)
        if scope is None:
            continue
        queues.append(Queue(key, title, base.filter(scope & condition).order_by("reported_at"),
                            BULK_ACTIONS.get(key, "")))
    return queues


# Queues whose one action needs nothing but the case (no photo, note or choice): taken for many cases at once.
BULK_ACTIONS = {"verify": "verify", "file": "file", "dispatch": "dispatch"}


def queue(user, key: str) -> Queue | None:
    return next((q for q in work_queues(user) if q.key == key), None)


def next_in_queue(user, key: str) -> Case | None:
    """The oldest case still waiting in the user's queue `key`: where work goes next."""
    found = queue(user, key)
    return found.cases.first() if found is not None else None


def notifications_by_kind(user, newest: int = 3) -> list[dict]:
    """Unread notifications, one group per kind (dispatched, overdue …): its count and its newest few."""
    from django.db.models import Count

    groups = []
    for row in (Notification.objects.filter(user=user, read_at__isnull=True).values("kind")
                .annotate(count=Count("id")).order_by("-count")):
        latest = list(Notification.objects.filter(user=user, read_at__isnull=True, kind=row["kind"])
                      .select_related("case").order_by("-created_at")[:newest])
        groups.append({"kind": row["kind"], "label": NOTIFICATION_KINDS.get(row["kind"], row["kind"]),
                       "count": row["count"], "latest": latest})
    return groups


NOTIFICATION_KINDS = {
    "dispatched": _("新派遣案件"), "due_soon": _("临期提醒"), "overdue": _("包保街道超期案件"),
    "returned": _("退回的案件"), "review": _("群众不满意待复核"), "reopened": _("复核后重新交办"),
    "deadline_recomputed": _("期限按官方日历重算"),
}


def escalated_for_leader(user):
    """Overdue cases escalated to this leader (their contracted streets)."""
    return (Case.objects.filter(notifications__user=user, notifications__kind="overdue", state__in=HANDLING_STATES)
            .select_related("case_class", "responsible_unit").order_by("handle_due").distinct())

