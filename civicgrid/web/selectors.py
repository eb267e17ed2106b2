"""Questions the pages ask about the signed-in user."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from civicgrid.core.scoping import is_office
from civicgrid.organizations.access import held_roles, role_scopes
from civicgrid.organizations.choices import Role
from civicgrid.organizations.models import Contract, Grant, Person
from civicgrid.territory.choices import Level
from civicgrid.territory.models import Place, Region


@dataclass
class Workspace:
    """What a home page shows: who you are, where you work, what you can reach."""

    roles: list[str]
    role_labels: list[str]
    person: Person | None
    anchors: list[str]
    region_counts: dict[str, int]
    place_count: int
    contracts: list[Contract]
    led_places: list[Place]


def user_roles(user) -> list[str]:
    """The user's role values, superusers counting as the campaign office."""
    roles = set(role_scopes(user)) | ({Role.ADMIN} if user.is_superuser else set())
    return sorted(roles, key=lambda r: list(Role).index(r))


def workspace(user, today: dt.date | None = None) -> Workspace:
    """Everything the home page needs, counted within the user's scope."""
    today = today or timezone.localdate()
    roles = user_roles(user)
    person = Person.objects.filter(user=user).select_related("unit").first()
    grants = Grant.objects.filter(user=user).select_related("region", "unit")
    anchors = [str(g.region or g.unit) for g in grants if g.region_id or g.unit_id]
    regions = Region.objects.restrict(user, "view")
    counts = {level.label: regions.filter(level=level).count() for level in Level}
    contracts = (
        list(Contract.objects.active_on(today).filter(person=person).select_related("region", "place"))
        if person else []
    )
    led = list(Place.objects.filter(chief=person).select_related("kind")[:50]) if person else []
    return Workspace(
        roles=roles,
        role_labels=[Role(r).label for r in roles],
        person=person,
        anchors=anchors,
        region_counts=counts,
        place_count=Place.objects.restrict(user, "view").count(),
        contracts=contracts,
        led_places=led,
    )



@dataclass
class Attention:
    """One line of "what needs me now": how many cases of the user's reach, and the list behind the number."""

    label: str
    count: int
    url: str
    tone: str  # danger, warn or info


def attention(user, now: dt.datetime | None = None) -> list[Attention]:
    """Overdue, escalated, due today and returned cases within the user's reach, each linking to its list."""
    from urllib.parse import urlencode

    from django.urls import reverse
    from django.utils.translation import gettext as _

    from civicgrid.cases.choices import HANDLING_STATES, State
    from civicgrid.cases.models import Case, due_today_query

    now = now or timezone.now()
    cases = Case.objects.restrict(user, "view")
    url = reverse("case-list")
    narrow = {}
    contracted = contracted_regions(user)
    if contracted and Role.LEADER in held_roles(user) and not is_office(user):
        # A district leader answers for the streets contracted to them: the district's totals are the office's.
        cases = cases.filter(_within(contracted))
        if len(contracted) == 1:
            narrow = {"region": contracted[0].code}

    def link(**query) -> str:
        return f"{url}?{urlencode({**narrow, **query})}"

    lines = [
        (_("超期"), cases.overdue(now), link(overdue="true"), "danger"),
        (_("超期已升级"), cases.filter(state__in=HANDLING_STATES, escalated_at__isnull=False),
         link(escalated="true"), "danger"),
        (_("今日到期"), cases.due_today(now), link(**due_today_query(now)), "warn"),
        (_("已退回"), cases.filter(state=State.RETURNED), link(state="returned"), "warn"),
    ]
    return [Attention(label, rows.count(), href, tone) for label, rows, href, tone in lines]


def contracted_regions(user, today: dt.date | None = None) -> list:
    """The regions (streets, communities) contracted (包保) to the user's person today; read once per request
    (the home page asks three times), kept on the user object as the scopes are."""
    today = today or timezone.localdate()
    cache = user.__dict__.setdefault("_civicgrid_contracted", {})
    if today not in cache:
        person = Person.objects.filter(user=user).first()
        cache[today] = [] if person is None else [
            c.region for c in Contract.objects.active_on(today).filter(person=person, region__isnull=False)
            .select_related("region").order_by("region__code")]
    return cache[today]


def _within(regions) -> Q:
    """Cases in any of the regions, by the indexed street and community columns (CaseQuerySet.region_q)."""
    from civicgrid.cases.models import Case

    cases = Case.objects.all()
    return functools.reduce(operator.or_, (cases.region_q("region_code", r.code) for r in regions), Q(pk__in=[]))


def contracted_overdue(user) -> list[dict]:
    """For each street contracted to the user: its overdue cases grouped by the unit handling them."""
    from civicgrid.cases.models import Case
    from civicgrid.cases.selectors import overdue_by_unit

    visible = Case.objects.restrict(user, "view")
    return [{"region": region, "groups": groups} for region in contracted_regions(user)
            if (groups := overdue_by_unit(visible.filter(_within([region])), region=region.code))]


# The figures a home page sets against the district: on-time closure, closure, overdue pending, satisfaction.
HOME_INDICATORS = ["on_time_closure_rate", "closure_rate", "overdue_pending_rate", "satisfaction_rate"]


@dataclass
class UnitStanding:
    """A street's (or community's) month so far against the whole district, and its rank among its peers."""

    name: str
    rank: int | None
    peers: int
    rows: list[dict]  # {label, value, district, cases}


def standings(user, today: dt.date | None = None) -> list[UnitStanding]:
    """For a leader, the streets contracted to them; for street and community staff, their own unit: this
    month's indicators beside the district's, with the cases behind each figure."""
    from civicgrid.assessment import services as assessment
    from civicgrid.cases.indicators import BY_KEY

    today = today or timezone.localdate()
    wanted: dict[str, set[str]] = {"street": set(), "community": set()}
    for region in contracted_regions(user, today):
        if region.level in wanted:
            wanted[region.level].add(region.code)
    for grant in Grant.objects.filter(user=user, role__in=[Role.STREET_STAFF, Role.COMMUNITY_STAFF],
                                      region__isnull=False).select_related("region"):
        if grant.region.level in wanted:
            wanted[grant.region.level].add(grant.region.code)
    result = []
    for level, codes in wanted.items():
        if not codes:
            continue
        # Ranked among all the district's streets (or communities), set against the whole district: figures,
        # not rows, so a street's staff see them too; only the unit's own figures link to its cases.
        table = assessment.compute(None, level, today.replace(day=1), today)
        units = table["units"]
        for entry in units:
            if entry["unit"]["code"] not in codes:
                continue
            rows = []
            for key in HOME_INDICATORS:
                numerator = sum(u["indicators"][key]["numerator"] for u in units)
                denominator = sum(u["indicators"][key]["denominator"] for u in units)
                figure = entry["indicators"][key]
                rows.append({"label": BY_KEY[key].label, "value": figure["value"], "cases": figure["cases"],
                             "district": round(numerator / denominator, 4) if denominator else None})
            result.append(UnitStanding(entry["unit"]["name"], entry.get("rank"), len(units), rows))
    return result
