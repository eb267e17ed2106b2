"""Reporting a case: locate, route, set the first deadline, number it and write its first event."""

from __future__ import annotations

import contextlib
import datetime as dt
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.cases import deadlines, routing
from civicgrid.cases.choices import (
    SOURCES_NEEDING_VERIFICATION,
    PhotoRole,
    Source,
    State,
    Urgency,
)
from civicgrid.cases.models import Case, CaseClass, CaseCounter, FilingCriterion, Photo
from civicgrid.cases.photos import MAX_PHOTOS_PER_STEP
from civicgrid.cases.services import events
from civicgrid.cases.services.permissions import check_source
from civicgrid.core.db import PreparedInsert
from civicgrid.territory import locator
from civicgrid.territory.choices import AreaClass
from civicgrid.territory.models import Place


class ReportResult:
    """The new case; nearby open cases of the same class, among those the reporter may see, are looked up only
    when asked for."""

    def __init__(self, case: Case, actor):
        self.case, self.actor = case, actor

    @cached_property
    def possible_duplicates(self) -> list[Case]:
        return possible_duplicates(self.case, self.actor)


def report_case(actor, *, case_class: CaseClass, description: str, lng: float, lat: float,
                source: str | None = None, urgency: str = Urgency.NORMAL,
                criterion: FilingCriterion | None = None, address: str = "", place: Place | None = None,
                component_id: str = "", reporter_name: str = "", reporter_contact: str = "",
                photos: list[Photo] = (), now: dt.datetime | None = None) -> ReportResult:
    """Register a new case at a WGS-84 point; offers open cases of the same class nearby as duplicates.

    The source must be one the actor may report under (`reportable_sources`; the actor's default when
    None): inspection and undercover findings are recorded by `record_finding` only.
    """
    source = check_source(actor, source)
    return register(actor, case_class=case_class, description=description, lng=lng, lat=lat, source=source,
                     urgency=urgency, criterion=criterion, address=address, place=place,
                     component_id=component_id, reporter_name=reporter_name, reporter_contact=reporter_contact,
                     photos=photos, now=now)


def register(actor, *, case_class: CaseClass, description: str, lng: float, lat: float, source: str,
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
        reporter_name=reporter_name or events.display_name(actor), reporter_contact=reporter_contact,
        state=State.REPORTED, version=1, reported_at=now,
        embargoed=source == Source.UNDERCOVER if embargoed is None else embargoed, finding_key=finding_key,
    )
    case.set_region(grid_code)
    # Suggest the route at once (the triage view and Open311's agency_responsible show it); filing re-routes.
    case.responsible_unit, case.routing_note = routing.route(case)
    if case.source in SOURCES_NEEDING_VERIFICATION:
        case.verify_due = now + dt.timedelta(minutes=deadlines.check_minutes(area_class))
    else:
        case.file_due = now + dt.timedelta(minutes=deadlines.file_minutes(urgency))
    event = events.reported(case, actor=actor, at=now)
    # Everything above runs before the transaction: on SQLite it holds the only write lock, so the locked
    # section is just the number, the two inserts and the photo links. This function owns that transaction:
    # callers store photos beforehand and never wrap it (decision 0008).
    case_insert, event_insert = PreparedInsert(case, late=("number",)), events.prepare(event)
    composed = connection.vendor == "postgresql" and case_insert.plain and event_insert.plain
    # One statement is atomic by itself; separate statements, or photo links after it, need a transaction.
    with transaction.atomic() if photos or not composed else contextlib.nullcontext():
        if composed:
            _insert_report_in_one_statement(case_insert, event_insert, now)
        else:
            case_insert.execute(number=next_number(now))
            event_insert.execute(case=case)
        events.link_photos(event, photos=photos, role=PhotoRole.BEFORE)
    return ReportResult(case, actor)


def _insert_report_in_one_statement(case_insert: PreparedInsert, event_insert: PreparedInsert,
                                    now: dt.datetime) -> None:
    """PostgreSQL: the day's number, the case and its first event in one statement — atomic by itself, and
    one round trip where a transaction of three statements costs five (bench/intake.py: about 565 cases/s
    against 395 for the transaction; docs/benchmarks.md)."""
    quote = connection.ops.quote_name
    number_sql, number_params = _next_number_sql(now)
    case_sql, case_params = case_insert.statement(number=("(SELECT number FROM sequence)", []))
    event_sql, event_params = event_insert.statement(case=(f"(SELECT {quote('id')} FROM new_case)", []))
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH sequence AS ({number_sql} AS number), "
            f"new_case AS ({case_sql} RETURNING {quote('id')}, {quote('number')}), "
            f"new_event AS ({event_sql} RETURNING {quote('id')}) "
            f"SELECT new_case.id, new_case.number, new_event.id FROM new_case, new_event",
            [*number_params, *case_params, *event_params])
        case_id, number, event_id = cursor.fetchone()
    case_insert.saved(case_id, number=number)
    event_insert.saved(event_id, case=case_insert.instance)


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


NUMBER_DIGITS = 5


def next_number(now: dt.datetime) -> str:
    """District code + local date + the day's sequence, e.g. 210112-20261128-00042 (safe under concurrency)."""
    sql, params = _next_number_sql(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (number,) = cursor.fetchone()
    return number


def _next_number_sql(now: dt.datetime) -> tuple[str, list]:
    """One statement takes the day's next sequence, the day's first included (an upsert with RETURNING:
    SQLite ≥ 3.35, PostgreSQL), and returns it formatted as the number — the only place the format is written,
    for `next_number` and for PostgreSQL's one-statement report alike."""
    day = timezone.localtime(now).date()
    table = connection.ops.quote_name(CaseCounter._meta.db_table)
    if connection.vendor == "postgresql":
        digits = f"""lpad("last"::text, greatest({NUMBER_DIGITS}, length("last"::text)), '0')"""
    else:
        digits = f"""printf('%%0{NUMBER_DIGITS}d', "last")"""
    sql = (f'INSERT INTO {table} ("day", "last") VALUES (%s, 1) '
           f'ON CONFLICT ("day") DO UPDATE SET "last" = {table}."last" + 1 RETURNING %s || {digits}')
    return sql, [day, f"{settings.DISTRICT_CODE}-{day:%Y%m%d}-"]


def possible_duplicates(case: Case, user) -> list[Case]:
    """Open cases of the same class within DUPLICATE_RADIUS_METERS, nearest first, among those `user` may see
    (a reporter is shown them in full: another community's or an undercover case must not be among them)."""
    return list(Case.objects.restrict(user, "view").repeating(
        case_class_id=case.case_class_id, lat=case.lat, lng=case.lng).exclude(pk=case.pk)[:200])
