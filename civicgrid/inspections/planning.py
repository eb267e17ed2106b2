"""Plans produce dated assignments: which place, on which day, in which window, by whom.

Places: the plan's listed places; or every place of the plan's point types in its region; or a random
draw of N places of each type in the region (as the national test draws its points) — drawn again for
each day from the plan's seed and the date, so a draw can be reproduced and checked.
Who: the place's chief (self-checks and the chiefs' daily patrol); the leaders and departments
contracted to the place's street, in turn; or the plan's inspectors and teams, in turn.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicgrid.core.scoping import prefix_q, require_office
from civicgrid.inspections.choices import DEFAULT_WINDOWS, InspectionKind, Recurrence, Selection
from civicgrid.inspections.models import Assignment, Plan, PointType
from civicgrid.organizations.models import Contract
from civicgrid.territory.choices import Level
from civicgrid.territory.codes import code_length
from civicgrid.territory.models import Place
from civicgrid.workcal.calendar import is_workday, tz

MAX_DAYS = 366


def plan_days(plan: Plan, start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """The plan's dates within [start, end] (inclusive)."""
    first = max(start, plan.starts_on)
    last = min(end, plan.ends_on) if plan.ends_on else end
    if plan.recurrence == Recurrence.ONCE:
        if first <= plan.starts_on <= last:
            yield plan.starts_on
        return
    day = first
    while day <= last:
        if plan.recurrence == Recurrence.DAILY or plan.recurrence == Recurrence.WORKING_DAYS and is_workday(day)[0] or plan.recurrence == Recurrence.WEEKLY and day.weekday() == (plan.weekday or 0):
            yield day
        day += dt.timedelta(days=1)


def _candidates(plan: Plan) -> dict[int, list[Place]]:
    """Places the plan covers, by point type id (before any random draw)."""
    by_type: dict[int, list[Place]] = defaultdict(list)
    kinds_to_type: dict[int, PointType] = {}
    types = list(plan.point_types.prefetch_related("place_kinds")) or list(
        PointType.objects.prefetch_related("place_kinds"))
    for point_type in types:
        for kind in point_type.place_kinds.all():
            kinds_to_type.setdefault(kind.pk, point_type)
    if plan.selection == Selection.LISTED:
        places = plan.places.all()
    else:
        places = Place.objects.filter(prefix_q("region_code", plan.region_code), kind_id__in=list(kinds_to_type))
    for place in places.select_related("kind").order_by("code"):
        point_type = kinds_to_type.get(place.kind_id)
        if point_type is not None:
            by_type[point_type.pk].append(place)
    return by_type


def _draw(plan: Plan, by_type: dict[int, list[Place]], day: dt.date) -> list[tuple[int, Place]]:
    if plan.selection != Selection.RANDOM_DRAW:
        return [(t, p) for t, places in sorted(by_type.items()) for p in places]
    rng = random.Random(plan.draw_seed * 1_000_003 + plan.pk * 7919 + day.toordinal())
    chosen = []
    for type_id, places in sorted(by_type.items()):
        count = min(plan.draw_per_type, len(places))
        chosen += [(type_id, p) for p in rng.sample(places, count)]
    return chosen


class _Assignees:
    """Who inspects a place on a day."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.inspectors = list(plan.inspectors.order_by("id"))
        self.teams = list(plan.teams.order_by("id"))
        self.contracts: dict[str, list[Contract]] = defaultdict(list)
        if plan.contracted:
            for contract in Contract.objects.filter(region__isnull=False).select_related("region").order_by("id"):
                self.contracts[contract.region.code].append(contract)

    def pick(self, place: Place, day: dt.date, turn: int) -> tuple[object | None, object | None]:
        """(person, unit) for this place on this day."""
        if self.plan.chiefs:
            return place.chief, None
        if self.plan.contracted:
            street = place.region_code[:code_length(Level.STREET)]
            active = [c for c in self.contracts.get(street, [])
                      if c.starts_on <= day and (c.ends_on is None or c.ends_on >= day)]
            if active:
                contract = active[(day.toordinal() + turn) % len(active)]
                return contract.person, contract.unit
        pool = [(p, None) for p in self.inspectors] + [(None, u) for u in self.teams]
        if pool:
            return pool[(day.toordinal() + turn) % len(pool)]
        return None, None


def window(plan: Plan, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The plan's local time window on `day`, as aware datetimes (a window past midnight ends the next day)."""
    start = dt.datetime.combine(day, plan.window_start, tzinfo=tz())
    end = dt.datetime.combine(day, plan.window_end, tzinfo=tz())
    if end <= start:
        end += dt.timedelta(days=1)
    return start, end


def generate_assignments(plan: Plan, start: dt.date, end: dt.date, actor=None) -> int:
    """Create the plan's assignments for the dates in [start, end]; existing ones are kept (idempotent).
    Returns how many were created."""
    require_office(actor, _("生成检查任务"))
    if end < start:
        raise ValidationError({"end": [_("结束日期不能早于开始日期。")]})
    if (end - start).days >= MAX_DAYS:
        raise ValidationError({"end": [_("一次最多生成366天的任务。")]})
    by_type = _candidates(plan)
    assignees = _Assignees(plan)
    rows = []
    for day in plan_days(plan, start, end):
        window_start, window_end = window(plan, day)
        for turn, (type_id, place) in enumerate(_draw(plan, by_type, day)):
            person, unit = assignees.pick(place, day, turn)
            rows.append(Assignment(
                plan=plan, day=day, kind=plan.kind, place=place, point_type_id=type_id, assignee=person,
                assignee_unit=unit, window_start=window_start, window_end=window_end,
                region_code=place.region_code, embargoed=plan.embargoed))
    with transaction.atomic():
        before = Assignment.objects.filter(plan=plan).count()
        Assignment.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        return Assignment.objects.filter(plan=plan).count() - before


def generate_upcoming(days: int = 1, today: dt.date | None = None) -> int:
    """Produce every active plan's assignments from today through `days` days ahead (idempotent: run hourly
    by `civicgrid plan_assignments`, the in-process scheduler or Celery beat). Returns how many were created."""
    from django.db.models import Q
    from django.utils import timezone

    today = today or timezone.localdate()
    end = today + dt.timedelta(days=days)
    plans = Plan.objects.filter(active=True, starts_on__lte=end).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return sum(generate_assignments(plan, today, end) for plan in plans)


def create_plan(actor, *, name: str, kind: str, standard, region_code: str, starts_on: dt.date,
                selection: str = Selection.TYPE_IN_REGION, round_=None, ends_on: dt.date | None = None,
                recurrence: str = Recurrence.DAILY, weekday: int | None = None, window_start=None, window_end=None,
                inspectors=(), teams=(), contracted: bool = False, chiefs: bool = False, places=(),
                point_types=(), draw_per_type: int = 0, draw_seed: int = 0) -> Plan:
    """The office makes a plan; morning and night checks default to their windows (06–09, 19–23)."""
    require_office(actor, _("制定检查计划"))
    default_start, default_end = DEFAULT_WINDOWS.get(kind, (dt.time(8, 30), dt.time(17, 30)))
    errors = {}
    if kind == InspectionKind.UNDERCOVER and round_ is None:
        errors["round"] = [_("暗访计划须属于一个暗访轮次。")]
    if selection == Selection.LISTED and not places:
        errors["places"] = [_("请列出要检查的点位。")]
    if selection == Selection.RANDOM_DRAW and draw_per_type < 1:
        errors["draw_per_type"] = [_("随机抽取时每类至少抽取1个点位。")]
    if recurrence == Recurrence.WEEKLY and weekday is None:
        errors["weekday"] = [_("每周检查须指定星期几。")]
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("结束日期不能早于开始日期。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan = Plan.objects.create(
            name=name.strip(), kind=kind, standard=standard, round=round_, region_code=region_code,
            selection=selection, starts_on=starts_on, ends_on=ends_on, recurrence=recurrence, weekday=weekday,
            window_start=window_start or default_start, window_end=window_end or default_end,
            contracted=contracted, chiefs=chiefs or kind in (InspectionKind.SELF_CHECK, InspectionKind.CHIEF_PATROL),
            draw_per_type=draw_per_type, draw_seed=draw_seed,
            embargoed=round_ is not None and not round_.published)
        plan.inspectors.set(inspectors)
        plan.teams.set(teams)
        plan.places.set(places)
        plan.point_types.set(point_types)
    return plan
