"""Questions the case pages ask: work queues per role, the list, notifications."""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.cases.choices import SOURCES_NEEDING_VERIFICATION, State
from civicgrid.cases.models import Case, Notification, due_today_condition, overdue_condition
from civicgrid.organizations.access import held_roles, role_scopes
from civicgrid.organizations.choices import Role


@dataclass
class Queue:
    key: str
    title: str
    cases: QuerySet
    bulk_action: str = ""  # the action the whole queue may take at once (verify, file, dispatch), if any


def _for_role(user, roles) -> Q | None:
    """Cases within the grants of the roles (the office: everything); None when the user holds none of them."""
    if Role.ADMIN in held_roles(user):
        return Q()
    roles = {roles} if isinstance(roles, str) else roles
    scopes = [scope for role, scope in role_scopes(user).items() if role in roles]
    conditions = [c for c in (Case.objects.all().scope_condition(scope) for scope in scopes) if c is not None]
    return functools.reduce(operator.or_, conditions) if conditions else None


TERRITORIAL_ROLES = frozenset({Role.STREET_STAFF, Role.COMMUNITY_STAFF, Role.GRID_WORKER})
MERGEABLE_STATES = (State.REPORTED, State.VERIFIED, State.FILED)


def earlier_repeats(user, case: Case | None = None) -> QuerySet:
    """The earlier open cases, among those the user sees, that `case` probably repeats (same class, within
    DUPLICATE_RADIUS_METERS), the first reported first: the one to merge into. Without `case`, those of the
    case of an outer query (a subquery; SQLite refuses an outer column in a subquery's ORDER BY, hence not
    nearest first)."""
    field = OuterRef if case is None else functools.partial(getattr, case)
    return Case.objects.restrict(user, "view").repeating(
        case_class_id=field("case_class_id"), lat=field("lat"), lng=field("lng"),
    ).filter(reported_at__lt=field("reported_at")).order_by("reported_at", "pk")


def _merge_candidates(user) -> Q:
    """What the acceptor merges: a case not yet handed out with an earlier one that it probably repeats."""
    return Q(state__in=MERGEABLE_STATES) & Q(Exists(earlier_repeats(user)))


QUEUES = [
    # key, title, role, filter (a Q, or a function of the user making one, when it depends on the user or the time)
    ("merge", _("疑似重复待合并"), Role.ACCEPTOR, _merge_candidates),
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
    # Streets, communities and grid workers take no step of the loop, but they answer for their area's
    # overdue cases (督办): what needs them now is what is late, then what falls due today.
    ("area_overdue", _("本辖区超期案件"), TERRITORIAL_ROLES, lambda user: overdue_condition(
        timezone.now())),
    ("area_due_today", _("本辖区今日到期"), TERRITORIAL_ROLES, lambda user: due_today_condition(
        timezone.now())),
]


def work_queues(user) -> list[Queue]:
    """The queues this user works, each restricted to their scope, oldest first."""
    queues = []
    base = Case.objects.restrict(user, "view").select_related("case_class", "responsible_unit")
    for key, title, role, condition in QUEUES:
        scope = _for_role(user, role)
        if scope is None:
            continue
        condition = condition(user) if callable(condition) else condition
        cases = base.filter(scope & condition).order_by("reported_at")
        if key == "merge":  # the number of the case each probably repeats, for the row (one query per page)
            cases = cases.annotate(repeats_number=Subquery(earlier_repeats(user).values("number")[:1]))
        queues.append(Queue(key, title, cases, BULK_ACTIONS.get(key, "")))
    return queues


# Queues whose one action needs nothing but the case (no photo, note or choice): taken for many cases at once.
BULK_ACTIONS = {"verify": "verify", "file": "file", "dispatch": "dispatch"}


# The deadline of the step each queue waits on (verification 60 min, filing 30 min …).
STEP_DUE = {"verify": "verify_due", "file": "file_due", "triage": "dispatch_due", "dispatch": "dispatch_due",
            "extension": "handle_due", "handle": "handle_due", "check": "check_due", "area_overdue": "handle_due",
            "area_due_today": "handle_due"}


def describe_queue_rows(pages: dict, now) -> None:
    """Give each case shown in a queue (`pages`: queue key → its cases on this page) what its row says: the
    deadline of the step it waits on and whether that has passed (`step_due`, `step_late`), the case it probably
    repeats (`repeats`, merge queue) and its grid's name (`grid_name`: what places a case without a place or an
    address). A fixed number of queries, whatever is shown."""
    from civicgrid.territory.models import Region

    shown = [(key, case) for key, cases in pages.items() for case in cases]
    repeated = {c.number: c for c in Case.objects.filter(
        number__in={getattr(c, "repeats_number", None) for _key, c in shown} - {None}).only("number", "state")}
    grids = dict(Region.objects.filter(code__in={c.region_code for _key, c in shown}).values_list("code", "name"))
    for key, case in shown:
        case.step_due = getattr(case, STEP_DUE[key]) if key in STEP_DUE else None
        case.step_late = case.step_due is not None and case.step_due < now
        case.repeats = [repeated[case.repeats_number]] if getattr(case, "repeats_number", None) else []
        case.grid_name = grids.get(case.region_code, case.region_code)


QUEUE_SORTS = {"oldest": _("等待最久在前"), "newest": _("最新在前"), "due": _("本环节期限最近在前")}


def sorted_queue(cases: QuerySet, key: str, sort: str) -> QuerySet:
    """A queue in the order asked for; oldest first unless told otherwise (a queue without a step deadline sorts
    `due` as oldest first)."""
    if sort == "newest":
        return cases.order_by("-reported_at", "-pk")
    if sort == "due" and key in STEP_DUE:
        return cases.order_by(F(STEP_DUE[key]).asc(nulls_last=True), "reported_at", "pk")
    return cases.order_by("reported_at", "pk")


def filter_menus(user) -> dict:
    """The region, class and unit menus of case filters: names, never codes, within the user's reach."""
    from civicgrid.cases.models import CaseClass
    from civicgrid.organizations.choices import UnitKind
    from civicgrid.organizations.models import Unit
    from civicgrid.territory.models import Region

    handling_kinds = (UnitKind.DEPARTMENT, UnitKind.STREET_OFFICE, UnitKind.COMMUNITY_COMMITTEE)

    return {
        "regions": Region.objects.restrict(user, "view").filter(level__in=["street", "community"])
        .order_by("code").values_list("code", "name", "level"),
        "classes": CaseClass.objects.filter(active=True).order_by("code").values_list("code", "minor_name",
                                                                                     "major_name"),
        # Units that handle cases (not the shops and markets that are places' owners).
        "units": Unit.objects.restrict(user, "view").filter(kind__in=handling_kinds).order_by("kind", "code")
        .values_list("code", "name"),
    }


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


def overdue_by_unit(cases: QuerySet, newest: int = 3, **link_query) -> list[dict]:
    """Overdue cases grouped by the unit handling them: its count, how many were escalated to the leader, its
    most overdue few and a link to all of them (a street with 46 overdue cases reads as a few lines, not 46
    numbers). `link_query`: what narrows the link to the same cases (the street)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    groups: dict = {}
    overdue = cases.overdue().select_related("case_class", "responsible_unit").order_by("handle_due")
    for case in overdue:
        unit = case.responsible_unit
        group = groups.setdefault(unit.pk if unit else None, {"unit": unit, "count": 0, "escalated": 0, "cases": []})
        group["count"] += 1
        group["escalated"] += case.escalated_at is not None
        if len(group["cases"]) < newest:
            group["cases"].append(case)
    for group in groups.values():
        query = {"overdue": "true", **link_query, **({"unit": group["unit"].code} if group["unit"] else {})}
        group["link"] = f"{reverse('case-list')}?{urlencode(query)}"
    return sorted(groups.values(), key=lambda g: -g["count"])
