"""Every change to a case: reporting, and each action of the loop.

Each action is one function call that (1) runs in a transaction, (2) checks that the actor
holds a role allowed to take it on this case within their scope, (3) checks the current state,
(4) changes the row with a conditional update on its version — two people acting at once:
exactly one wins, the other gets CaseConflict with the current state — (5) appends the event,
and (6) schedules notifications after commit (civicgrid.core.tasks: in-process, or Celery when configured).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.cases import routing
from civicgrid.cases.choices import (
    OPEN_STATES,
    SOURCES_NEEDING_VERIFICATION,
    CloseType,
    PhotoRole,
    Source,
    State,
    Urgency,
)
from civicgrid.cases.models import (
    Case,
    CaseClass,
    CaseCounter,
    CaseEvent,
    EventPhoto,
    FilingCriterion,
    Notification,
    Photo,
)
from civicgrid.cases.photos import MAX_PHOTOS_PER_STEP, review_flags
from civicgrid.cases.workflow import FINDING, PUBLISH, REPORT, TRANSITIONS, allowed, may_take
from civicgrid.core.db import PreparedInsert
from civicgrid.core.exceptions import Conflict
from civicgrid.core.scoping import get_in_scope, require_office
from civicgrid.core.tasks import enqueue
from civicgrid.organizations.access import held_roles, is_public_only, role_scopes
from civicgrid.organizations.choices import Role
from civicgrid.organizations.models import Unit
from civicgrid.territory import locator
from civicgrid.territory.choices import AreaClass
from civicgrid.territory.crs import distance_m
from civicgrid.territory.models import Place
from civicgrid.workcal.calendar import TimeUnit, add_working_time, working_time_between


class CaseConflict(Conflict):
    """Someone else changed the case first, or its state does not allow the action; carries the current state."""

    def __init__(self, case: Case, message: str):
        self.case = case
        super().__init__(message)

    def payload(self) -> dict:
        return {"detail": str(self), "state": self.case.state, "version": self.case.version}


class ReportResult:
    """The new case; nearby open cases of the same class are looked up only when asked for."""

    def __init__(self, case: Case):
        self.case = case

    @cached_property
    def possible_duplicates(self) -> list[Case]:
        return possible_duplicates(self.case)


# -- who may act ------------------------------------------------------------------------------------------
def acting_roles(user, case: Case) -> set[str]:
    """The roles the user holds whose grants cover this case (a region grant its subtree, a unit grant its units)."""
    if user.is_superuser:
        return {Role.ADMIN}
    return {role for role, scope in role_scopes(user).items()
            if scope.covers_region(case.region_code) or case.responsible_unit_id in scope.unit_ids}


def available_actions(user, case: Case) -> list[str]:
    """The actions this user may take on this case now."""
    roles = acting_roles(user, case)
    needs = needs_verification(case)
    return [a for a in TRANSITIONS if allowed(a, State(case.state), needs) and may_take(a, roles)]


def needs_verification(case: Case) -> bool:
    return case.source in SOURCES_NEEDING_VERIFICATION


# Findings are made by inspections (civicgrid.inspections.services), never typed in as a source.
FINDING_SOURCES = frozenset({Source.INSPECTION, Source.UNDERCOVER})


def reportable_sources(user) -> list[str]:
    """The sources this user may give a case reported through the form or the API, the default first.

    Anyone may pass on a citizen's report; the other sources belong to the roles the office allows
    (REPORT_SOURCE_ROLES); a citizen's account reports only as the public.
    """
    if user is None or not user.is_authenticated or is_public_only(user):
        return [Source.PUBLIC_REPORT]
    roles = held_roles(user)
    # REPORT_SOURCE_ROLES never names findings or public reports (cases.checks refuses it at start-up).
    return [*(source for source, allowed in settings.REPORT_SOURCE_ROLES.items() if roles & set(allowed)),
            Source.PUBLIC_REPORT]


def _check_source(actor, source: str | None) -> str:
    allowed_sources = reportable_sources(actor)
    if source is None or source == "":
        return allowed_sources[0]
    if source not in allowed_sources:
        if source in FINDING_SOURCES:
            message = _("检查考评和第三方暗访的问题只能由检查的不合格项生成。")
        else:
            message = _("你的角色不能以“%(source)s”来源上报。") % {"source": Source(source).label}
        raise ValidationError({"source": [message]})
    return source


# -- reporting ---------------------------------------------------------------------------------------------
def report_case(actor, *, case_class: CaseClass, description: str, lng: float, lat: float,
                source: str | None = None, urgency: str = Urgency.NORMAL,
                criterion: FilingCriterion | None = None, address: str = "", place: Place | None = None,
                component_id: str = "", reporter_name: str = "", reporter_contact: str = "",
                photos: list[Photo] = (), now: dt.datetime | None = None) -> ReportResult:
    """Register a new case at a WGS-84 point; offers open cases of the same class nearby as duplicates.

    The source must be one the actor may report under (`reportable_sources`; the actor's default when
    None): inspection and undercover findings are recorded by `record_finding` only.
    """
    source = _check_source(actor, source)
    return _register(actor, case_class=case_class, description=description, lng=lng, lat=lat, source=source,
                     urgency=urgency, criterion=criterion, address=address, place=place,
                     component_id=component_id, reporter_name=reporter_name, reporter_contact=reporter_contact,
                     photos=photos, now=now)


def _register(actor, *, case_class: CaseClass, description: str, lng: float, lat: float, source: str,
              urgency: str = Urgency.NORMAL, criterion: FilingCriterion | None = None, address: str = "",
              place: Place | None = None, component_id: str = "", reporter_name: str = "",
              reporter_contact: str = "", photos: list[Photo] = (), now: dt.datetime | None = None,
              embargoed: bool | None = None, finding_key: str = "") -> ReportResult:
    """Register a case whose source has been decided by its channel.

    Undercover findings are embargoed unless `embargoed` says otherwise (a round already published).
    """
    now = now or timezone.now()
    _check_report(actor, case_class, criterion, description, photos)
    where = locator.locate(lng, lat)
    if not where.inside:
        raise ValidationError({"lat": [_("该位置不在本区任何网格内。")]})
    grid_code = where.grid.code
    area_class = where.grid.area_class or AreaClass.B
    case = Case(
        source=source, case_class=case_class, criterion=criterion,
        description=description.strip(), lng=lng, lat=lat, address=address,
        area_class=area_class, place=place, component_id=component_id, urgency=urgency,
        reporter=actor if actor and actor.is_authenticated else None,
        reporter_name=reporter_name or _display_name(actor), reporter_contact=reporter_contact,
        state=State.REPORTED, version=1, reported_at=now,
        embargoed=source == Source.UNDERCOVER if embargoed is None else embargoed, finding_key=finding_key,
    )
    case.set_region(grid_code)
    # Suggest the route at once (the triage view and Open311's agency_responsible show it); filing re-routes.
    case.responsible_unit, case.routing_note = routing.route(case)
    if case.source in SOURCES_NEEDING_VERIFICATION:
        case.verify_due = now + dt.timedelta(minutes=_check_minutes(area_class))
    else:
        case.file_due = now + dt.timedelta(minutes=_file_minutes(urgency))
    event = _event(case, REPORT, actor, now, "", State.REPORTED, "", {})
    # Everything above runs before the transaction: on SQLite it holds the only write lock, so the locked
    # section is just the number, the two inserts and the photo links. This function owns that transaction:
    # callers store photos beforehand and never wrap it (decision 0008).
    case_insert = PreparedInsert(case, late=("number",))
    with transaction.atomic():
        case_insert.execute(number=next_number(now))
        _save_event(event, photos, PhotoRole.BEFORE)
    return ReportResult(case)


def _check_report(actor, case_class, criterion, description, photos) -> None:
    errors = {}
    if not case_class.active:
        errors["case_class"] = [_("该类别已停用。")]
    if criterion is not None and criterion.case_class_id != case_class.pk:
        errors["criterion"] = [_("立案条件不属于该类别。")]
    if not description or not description.strip():
        errors["description"] = [_("请描述问题。")]
    elif len(description) > 4000:
        errors["description"] = [_("描述不能超过4000字。")]
    if len(photos) > MAX_PHOTOS_PER_STEP:
        errors["photos"] = [_("每一步最多9张照片。")]
    if errors:
        raise ValidationError(errors)


def _display_name(user) -> str:
    if user is None or not user.is_authenticated:
        return ""
    person = getattr(user, "person", None)
    return person.name if person else user.get_username()


NUMBER_DIGITS = 5


def next_number(now: dt.datetime) -> str:
    """District code + local date + the day's sequence, e.g. 210112-20261128-00042 (safe under concurrency)."""
    day = timezone.localtime(now).date()
    with connection.cursor() as cursor:
        cursor.execute(_next_sequence_sql(), [day])
        (sequence,) = cursor.fetchone()
    return f"{_number_prefix(day)}{sequence:0{NUMBER_DIGITS}d}"


def _number_prefix(day: dt.date) -> str:
    return f"{settings.DISTRICT_CODE}-{day:%Y%m%d}-"


def _next_sequence_sql() -> str:
    """One statement takes the day's next sequence on both databases, the day's first included (an upsert
    with RETURNING: SQLite ≥ 3.35, PostgreSQL)."""
    table = connection.ops.quote_name(CaseCounter._meta.db_table)
    return (f'INSERT INTO {table} ("day", "last") VALUES (%s, 1) '
            f'ON CONFLICT ("day") DO UPDATE SET "last" = {table}."last" + 1 RETURNING "last"')


def possible_duplicates(case: Case) -> list[Case]:
    """Open cases of the same class within DUPLICATE_RADIUS_METERS, nearest first."""
    radius = settings.DUPLICATE_RADIUS_METERS
    dlat = radius / 111_320
    dlng = dlat / max(math.cos(math.radians(case.lat)), 0.01)
    nearby = (Case.objects.open().filter(case_class_id=case.case_class_id,
                                  lat__range=(case.lat - dlat, case.lat + dlat),
                                  lng__range=(case.lng - dlng, case.lng + dlng))
              .exclude(pk=case.pk).exclude(state=State.MERGED))
    found = [(float(distance_m(case.lng, case.lat, c.lng, c.lat)), c) for c in nearby[:200]]
    return [c for d, c in sorted(found, key=lambda pair: pair[0]) if d <= radius]


def publish_findings(actor, cases, *, dispatch: bool = False, now: dt.datetime | None = None) -> int:
    """Make undercover findings visible to the inspected (the campaign office publishes an assessment).

    Publishing is recorded as an event on each case. With `dispatch`, findings still waiting are filed and
    dispatched at once, so their handling deadlines start now. Returns how many were published.
    """
    require_office(actor, _("发布暗访发现"))
    now = now or timezone.now()
    published = 0
    with transaction.atomic():
        for case in cases:
            if not _stateless_event(case, PUBLISH, actor, now, only_if={"embargoed": True},
                                    also={"embargoed": False}):
                continue
            published += 1
            if dispatch and case.state == State.REPORTED:
                _file_and_dispatch(case, actor, now)
    return published


# -- findings of inspections -------------------------------------------------------------------------------
@dataclass
class FindingOutcome:
    case: Case
    opened: bool  # False: the finding was added to the place's open case for the same item


def record_finding(actor, *, place: Place, case_class: CaseClass, criterion: FilingCriterion | None,
                   finding_key: str, description: str, photos: list[Photo] = (), source: str = Source.INSPECTION,
                   embargoed: bool = False, now: dt.datetime | None = None) -> FindingOutcome:
    """A failed checklist item at a place.

    Opens a case at the place, filed and dispatched at once to the unit responsible (an embargoed
    finding waits for publication instead) — or, when the place already has an open case for the same
    item, adds the finding to that case. The database allows one open case per place and item, so
    two submissions racing each other also end with one case.
    """
    now = now or timezone.now()
    existing = Case.objects.filter(place=place, finding_key=finding_key, state__in=OPEN_STATES).first()
    if existing is None:
        try:
            with transaction.atomic():
                result = _register(
                    actor, case_class=case_class, criterion=criterion, description=description, lng=place.lng,
                    lat=place.lat, address=place.address or place.name, place=place, source=source,
                    photos=photos, now=now, embargoed=embargoed, finding_key=finding_key)
        except IntegrityError:
            existing = Case.objects.get(place=place, finding_key=finding_key, state__in=OPEN_STATES)
        else:
            if not embargoed:
                _file_and_dispatch(result.case, actor, now)
            return FindingOutcome(result.case, True)
    add_finding(existing, actor, note=description, photos=photos, now=now)
    return FindingOutcome(existing, False)


def add_finding(case: Case, actor, *, note: str, photos: list[Photo] = (), now: dt.datetime | None = None) -> None:
    """Record that the problem was found again; the state does not change, the history grows."""
    now = now or timezone.now()
    with transaction.atomic():
        for _attempt in range(5):  # someone else may be acting on the case: take its new version and retry
            if _stateless_event(case, FINDING, actor, now, note=note, photos=photos, role=PhotoRole.BEFORE):
                return
            case.refresh_from_db()
        raise CaseConflict(case, _("案件正被频繁修改，请稍后重试。"))


def _stateless_event(case: Case, action: str, actor, now: dt.datetime, *, note: str = "", photos=(),
                     role: str = PhotoRole.EVIDENCE, only_if: dict | None = None, also: dict | None = None) -> bool:
    """Append an event that changes no state (publish, finding) under the case's version, like a transition:
    False when the case moved on (or no longer matches `only_if`); refreshes `case` when it succeeds."""
    if not Case.objects.filter(pk=case.pk, version=case.version, **(only_if or {})).update(
            version=case.version + 1, **(also or {})):
        return False
    _append_event(case, action, actor, now, case.state, case.state, note, {}, photos, role)
    case.refresh_from_db()
    return True


def settle_by_recheck(case: Case, actor, *, passed: bool, note: str = "", photos: list[Photo] = (),
                      now: dt.datetime | None = None) -> str:
    """Apply a recheck's verdict to a case found by an earlier inspection, through the normal check step.

    Handled cases: pass → checked and closed, fail → rework. Cases not yet handled are left alone on a pass
    and get the finding added on a fail. Returns what happened: closed, rework, found_again or unchanged.
    """
    now = now or timezone.now()
    case.refresh_from_db()
    if passed:
        if case.state == State.HANDLED:
            _apply(case, "check_pass", actor, now, note=note or _("复查合格"), photos=photos)
        if case.state == State.CHECKED:
            _apply(case, "close", actor, now, note=note or _("复查合格，结案"))
            return "closed"
        return "unchanged"
    if case.state == State.HANDLED:
        _apply(case, "check_fail", actor, now, note=note or _("复查不合格，返工"), photos=photos)
        return "rework"
    if case.state in OPEN_STATES:
        add_finding(case, actor, note=note or _("复查不合格"), photos=photos, now=now)
        return "found_again"
    return "unchanged"


def _file_and_dispatch(case: Case, actor, now: dt.datetime) -> None:
    """File a finding with its item's criterion and dispatch it to the routed unit; without one it waits
    in the dispatcher's queue."""
    _apply(case, "file", actor, now, note=_("检查发现的问题，按检查项自动立案"))
    if case.responsible_unit_id is not None:
        _apply(case, "dispatch", actor, now, note=_("按责任对象自动派遣"))


# -- actions -----------------------------------------------------------------------------------------------
def perform(actor, number: str, action: str, *, note: str = "", photos: list[Photo] = (),
            now: dt.datetime | None = None, **params) -> Case:
    """Take `action` on case `number` as `actor`. Raises Http404 (out of scope), PermissionDenied (role),
    CaseConflict (state moved on), ValidationError (bad parameters)."""
    if action not in TRANSITIONS:
        raise ValidationError({"action": [_("未知动作：%s") % action]})
    transition = TRANSITIONS[action]
    now = now or timezone.now()
    with transaction.atomic():
        case = get_in_scope(Case.objects.select_related("case_class", "criterion", "place"), actor, "view",
                            number=number)
        if not may_take(action, acting_roles(actor, case)):
            raise PermissionDenied(_("您的角色不能对该案件执行“%s”。") % transition.label)
        if not allowed(action, State(case.state), needs_verification(case)):
            raise CaseConflict(case, _("案件当前状态为“%(state)s”，不能“%(action)s”。") % {
                "state": case.get_state_display(), "action": transition.label})
        if transition.note_required and not note.strip():
            raise ValidationError({"note": [_("“%s”需要填写说明。") % transition.label]})
        if len(photos) > MAX_PHOTOS_PER_STEP:
            raise ValidationError({"photos": [_("每一步最多9张照片。")]})
        _apply(case, action, actor, now, note=note, photos=photos, **params)
    return case


def perform_by_codes(actor, number: str, action: str, *, note: str = "", photos: list[Photo] = (),
                     unit: str = "", target: str = "", amount: int | None = None,
                     criterion: FilingCriterion | None = None) -> Case:
    """`perform` for pages and the API, where the unit and the target case arrive as codes."""
    params = {}
    if unit:
        params["unit"] = Unit.objects.filter(code=unit).first()
        if params["unit"] is None:
            raise ValidationError({"unit": [_("未知单位 %s") % unit]})
    if target:
        params["target"] = get_in_scope(Case.objects, actor, "view", number=target)
    if amount is not None:
        params["amount"] = amount
    if criterion is not None:
        params["criterion"] = criterion
    return perform(actor, number, action, note=note, photos=photos, **params)


def _apply(case: Case, action: str, actor, now: dt.datetime, *, note: str = "", photos=(), **params) -> None:
    """Change the row and append the event (the caller has checked scope, role and state); refreshes `case`."""
    transition = TRANSITIONS[action]
    updates, data = EFFECTS[action](case, now=now, photos=list(photos), **params)
    if "handle_due" in updates or "handled_at" in updates:
        updates["due_at"] = due_moment(case.handled_at or updates.get("handled_at"),
                                       updates.get("handle_due", case.handle_due))
    _conditional_update(case, transition.target, updates)
    role = PhotoRole.AFTER if action == "handle" else PhotoRole.EVIDENCE
    _append_event(case, action, actor, now, case.state, transition.target, note, data, photos, role)
    case.refresh_from_db()
    if action == "dispatch":
        enqueue("civicgrid.cases.services.notify_dispatched", case.pk)


def due_moment(first_handled: dt.datetime | None, handle_due: dt.datetime | None) -> dt.datetime | None:
    """When a case becomes "due to close" (应结案): the first time disposal is finished, or its deadline if that
    comes first (domain.md §2). A later rework does not move it."""
    moments = [m for m in (first_handled, handle_due) if m is not None]
    return min(moments) if moments else None


def _conditional_update(case: Case, target: State, updates: dict) -> None:
    changed = (Case.objects.filter(pk=case.pk, version=case.version, state=case.state)
               .update(state=target, version=case.version + 1, **updates))
    if not changed:
        current = Case.objects.get(pk=case.pk)
        raise CaseConflict(current, _("案件已被他人处理，当前状态为“%s”。") % current.get_state_display())


def _append_event(case, action, actor, now, from_state, to_state, note, data, photos, role) -> CaseEvent:
    return _save_event(_event(case, action, actor, now, from_state, to_state, note, data), photos, role)


def _save_event(event: CaseEvent, photos, role) -> CaseEvent:
    """Every event, a report's first one included, is inserted here (CaseEvent.save keeps them append-only)."""
    event.save()
    _link_photos(event, photos, role)
    return event


def _event(case, action, actor, now, from_state, to_state, note, data) -> CaseEvent:
    """The next event of a case, unsaved (a report is the case's first event, an action the one after its version)."""
    return CaseEvent(
        case=case, seq=case.version if action == REPORT else case.version + 1, action=action,
        actor=actor if actor and actor.is_authenticated else None, actor_name=_display_name(actor), at=now,
        from_state=from_state, to_state=to_state, note=note.strip(), data=data,
    )


def _link_photos(event: CaseEvent, photos, role) -> None:
    if photos:
        EventPhoto.objects.bulk_create([EventPhoto(event=event, photo=p, role=role) for p in photos])


# -- what each action changes -------------------------------------------------------------------------------
def _verify(case, now, **unused):
    return {"verified_at": now, "file_due": now + dt.timedelta(minutes=_file_minutes(case.urgency))}, {}


def _file(case, now, criterion: FilingCriterion | None = None, **unused):
    criterion = criterion or case.criterion or case.case_class.criteria.order_by("id").first()
    if criterion is None:
        raise ValidationError({"criterion": [_("该类别尚无立案条件，请先在规则库中设置。")]})
    if criterion.case_class_id != case.case_class_id:
        raise ValidationError({"criterion": [_("立案条件不属于该类别。")]})
    unit, why = routing.route(case)
    updates = {"filed_at": now, "criterion": criterion, "responsible_unit": unit, "routing_note": why,
               "dispatch_due": now + dt.timedelta(minutes=_file_minutes(case.urgency))}
    return updates, {"criterion": criterion.text, "unit": unit.code if unit else None, "routing": why}


def _dispatch(case, now, unit: Unit | None = None, **unused):
    target = unit or case.responsible_unit
    if target is None:
        raise ValidationError({"unit": [_("未找到责任单位，请指定派遣单位。")]})
    updates = {"dispatched_at": now, "responsible_unit": target, **_handling_deadline(case, now)}
    if unit is not None and unit.pk != case.responsible_unit_id:
        updates["routing_note"] = _("派遣员指定 → %s") % unit.name
    return updates, {"unit": target.code, "unit_name": target.name}


def _return(case, now, **unused):
    return {"return_count": case.return_count + 1}, {"unit": case.responsible_unit.code}


def _request_extension(case, now, amount: int | None = None, **unused):
    if not amount or int(amount) <= 0:
        raise ValidationError({"amount": [_("请填写需要延长的时限（按该案件的时限单位）。")]})
    unit = case.criterion.unit
    longest = max_extension(unit)
    if int(amount) > longest:
        raise ValidationError({"amount": [_("一次延期最多 %(max)d %(unit)s。") % {
            "max": longest, "unit": TimeUnit(unit).label}]})
    return {}, {"amount": int(amount), "unit": unit}


def max_extension(unit: str) -> int:
    """The longest extension one request may ask for, in the case's limit unit (EXTENSION_MAX_WORKING_DAYS)."""
    days = settings.EXTENSION_MAX_WORKING_DAYS
    return {TimeUnit.WORKING_DAYS: days, TimeUnit.WORKING_HOURS: days * 8}.get(unit, days * 24 * 60)


def _approve_extension(case, now, **unused):
    request = case.events.filter(action="request_extension").order_by("-seq").first()
    amount = request.data["amount"]
    unit = case.criterion.unit
    # The window now runs from dispatch to the old deadline plus the extra time; due soon at 80 % of it.
    window = working_time_between(case.dispatched_at, case.handle_due, unit) + amount
    updates = {**_due_fields(case.dispatched_at, window, unit), "extension_count": case.extension_count + 1}
    return updates, {"amount": amount, "handle_due": updates["handle_due"].isoformat()}


def _no_change(case, now, **unused):
    return {}, {}


def _park(case, now, **unused):
    remaining = max(working_time_between(now, case.handle_due, case.criterion.unit), 0.0)
    return {"parked_remaining": remaining}, {"remaining": remaining, "unit": case.criterion.unit}


def _resume(case, now, **unused):
    updates = {**_due_fields(now, case.parked_remaining or 0, case.criterion.unit), "parked_remaining": None}
    return updates, {"handle_due": updates["handle_due"].isoformat()}


def _handle(case, now, photos=(), **unused):
    if not photos:
        raise ValidationError({"photos": [_("处置完毕须上传至少一张处置后照片。")]})
    before = list(Photo.objects.filter(event_links__event__case=case, event_links__role=PhotoRole.BEFORE))
    flags = [f.as_dict() for f in review_flags(case, list(photos), before)]
    updates = {"handled_at": now, "check_due": now + dt.timedelta(minutes=_check_minutes(case.area_class)),
               "review_flags": flags}
    return updates, {"flags": flags}


def _check_pass(case, now, **unused):
    return {"checked_at": now}, {}


def _check_fail(case, now, **unused):
    return {"rework_count": case.rework_count + 1}, {"rework": case.rework_count + 1}


def _close(case, now, **unused):
    on_time = case.handle_due is None or (case.handled_at and case.handled_at <= case.handle_due)
    close_type = CloseType.NORMAL if on_time else CloseType.OVERDUE
    return {"closed_at": now, "close_type": close_type}, {"close_type": close_type}


def _void(case, now, **unused):
    return {"closed_at": now}, {}


def _merge(case, now, target: Case | None = None, **unused):
    if target is None:
        raise ValidationError({"target": [_("请指定要合并到的原案件编号。")]})
    if target.pk == case.pk or target.state not in OPEN_STATES or target.state == State.MERGED:
        raise ValidationError({"target": [_("只能合并到另一个未结案的案件。")]})
    return {"merged_into": target, "closed_at": now}, {"target": target.number}


EFFECTS = {
    "verify": _verify, "file": _file, "reject": _void, "dispatch": _dispatch, "return": _return,
    "request_extension": _request_extension, "approve_extension": _approve_extension,
    "refuse_extension": _no_change, "park": _park, "resume": _resume, "handle": _handle,
    "check_pass": _check_pass, "check_fail": _check_fail, "close": _close, "void": _void, "merge": _merge,
}


# -- deadlines ----------------------------------------------------------------------------------------------
def _handling_deadline(case: Case, start: dt.datetime) -> dict:
    limit = case.criterion.limit_for(case.area_class)
    if case.urgency == Urgency.URGENT:
        limit = limit * settings.URGENT_LIMIT_FACTOR
    return _due_fields(start, limit, case.criterion.unit)


def _due_fields(start: dt.datetime, amount: float, unit: str) -> dict:
    """Deadline, due-soon point (DUE_SOON_SHARE of the window) and calendar warning for a handling window.

    Clears the due-soon stamp, so `tick` warns again when the new point is reached.
    """
    deadline = add_working_time(start, amount, unit)
    warn = add_working_time(start, amount * settings.DUE_SOON_SHARE, unit)
    return {"handle_due": deadline.at, "handle_warn_at": warn.at, "due_soon_notified_at": None, **_warning(deadline)}


def _warning(deadline) -> dict:
    if not deadline.calendar_missing:
        return {"calendar_warning": ""}
    years = "、".join(str(y) for y in sorted(deadline.calendar_missing))
    return {"calendar_warning": _("%s 年的官方节假日尚未录入，期限按周一至周五计算。") % years}


def _file_minutes(urgency: str) -> int:
    return settings.FILE_DISPATCH_URGENT_MINUTES if urgency == Urgency.URGENT else settings.FILE_DISPATCH_MINUTES


def _check_minutes(area_class: str) -> int:
    return settings.CHECK_MINUTES_OUTER if area_class == AreaClass.C else settings.CHECK_MINUTES_URBAN


# -- notifications and escalation ---------------------------------------------------------------------------
def unit_users(unit_id: int | None):
    if unit_id is None:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(grants__unit_id=unit_id).distinct()


def notify(users, case: Case, kind: str, message: str) -> int:
    rows = [Notification(user=u, case=case, kind=kind, message=message) for u in users]
    return len(Notification.objects.bulk_create(rows, ignore_conflicts=True))


def notify_dispatched(case_id: int) -> None:
    """Tell the department's users that a case reached it (a background task)."""
    case = Case.objects.select_related("case_class").get(pk=case_id)
    notify(unit_users(case.responsible_unit_id), case, "dispatched",
           _("新派遣案件 %(n)s：%(cls)s") % {"n": case.number, "cls": case.case_class.minor_name})


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
