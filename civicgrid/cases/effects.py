"""What each action of the loop changes on the case row, and what its event records.

Each effect takes the case (before the change), the moment and the action's parameters, and returns the
row's updates and the event's data; it raises ValidationError for bad parameters. The state machine
(civicgrid.cases.workflow) names the effect of each transition.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civicgrid.cases import deadlines, routing
from civicgrid.cases.choices import OPEN_STATES, CloseType, PhotoRole, State
from civicgrid.cases.models import Case, FilingCriterion, Photo
from civicgrid.cases.photos import review_flags
from civicgrid.organizations.models import Unit
from civicgrid.workcal.calendar import TimeUnit, working_time_between


def verify(case, now, **unused):
    return {"verified_at": now, "file_due": now + dt.timedelta(minutes=deadlines.file_minutes(case.urgency))}, {}


def file(case, now, criterion: FilingCriterion | None = None, **unused):
    criterion = criterion or case.criterion or case.case_class.criteria.order_by("id").first()
    if criterion is None:
        raise ValidationError({"criterion": [_("该类别尚无立案条件，请先在规则库中设置。")]})
    if criterion.case_class_id != case.case_class_id:
        raise ValidationError({"criterion": [_("立案条件不属于该类别。")]})
    unit, why = routing.route(case)
    updates = {"filed_at": now, "criterion": criterion, "responsible_unit": unit, "routing_note": why,
               "dispatch_due": now + dt.timedelta(minutes=deadlines.file_minutes(case.urgency))}
    return updates, {"criterion": criterion.text, "unit": unit.code if unit else None, "routing": why}


def dispatch(case, now, unit: Unit | None = None, **unused):
    target = unit or case.responsible_unit
    if target is None:
        raise ValidationError({"unit": [_("未找到责任单位，请指定派遣单位。")]})
    updates = {"dispatched_at": now, "responsible_unit": target, **deadlines.handling_deadline(case, now)}
    if unit is not None and unit.pk != case.responsible_unit_id:
        updates["routing_note"] = _("派遣员指定 → %s") % unit.name
    return updates, {"unit": target.code, "unit_name": target.name}


def return_(case, now, **unused):
    return {"return_count": case.return_count + 1}, {"unit": case.responsible_unit.code}


def request_extension(case, now, amount: int | None = None, **unused):
    if not amount or int(amount) <= 0:
        raise ValidationError({"amount": [_("请填写需要延长的时限（按该案件的时限单位）。")]})
    unit = case.criterion.unit
    longest = deadlines.max_extension(unit)
    if int(amount) > longest:
        raise ValidationError({"amount": [_("一次延期最多 %(max)d %(unit)s。") % {
            "max": longest, "unit": TimeUnit(unit).label}]})
    return {}, {"amount": int(amount), "unit": unit}


def approve_extension(case, now, **unused):
    request = case.events.filter(action="request_extension").order_by("-seq").first()
    amount = request.data["amount"]
    unit = case.criterion.unit
    # The window now runs from dispatch to the old deadline plus the extra time; due soon at 80 % of it.
    window = working_time_between(case.dispatched_at, case.handle_due, unit) + amount
    updates = {**deadlines.due_fields(case.dispatched_at, window, unit), "extension_count": case.extension_count + 1}
    return updates, {"amount": amount, "handle_due": updates["handle_due"].isoformat()}


def no_change(case, now, **unused):
    return {}, {}


def park(case, now, **unused):
    remaining = max(working_time_between(now, case.handle_due, case.criterion.unit), 0.0)
    return {"parked_remaining": remaining}, {"remaining": remaining, "unit": case.criterion.unit}


def resume(case, now, **unused):
    updates = {**deadlines.due_fields(now, case.parked_remaining or 0, case.criterion.unit), "parked_remaining": None}
    return updates, {"handle_due": updates["handle_due"].isoformat()}


def handle(case, now, photos=(), **unused):
    if not photos:
        raise ValidationError({"photos": [_("处置完毕须上传至少一张处置后照片。")]})
    before = list(Photo.objects.filter(event_links__event__case=case, event_links__role=PhotoRole.BEFORE))
    flags = [f.as_dict() for f in review_flags(case, list(photos), before)]
    updates = {"handled_at": now, "first_handled_at": case.first_handled_at or now, "check_due": now + dt.timedelta(minutes=deadlines.check_minutes(case.area_class)),
               "review_flags": flags}
    return updates, {"flags": flags}


def check_pass(case, now, **unused):
    return {"checked_at": now}, {}


def check_fail(case, now, **unused):
    return {"rework_count": case.rework_count + 1}, {"rework": case.rework_count + 1}


def close(case, now, **unused):
    on_time = case.handle_due is None or (case.handled_at and case.handled_at <= case.handle_due)
    close_type = CloseType.NORMAL if on_time else CloseType.OVERDUE
    return {"closed_at": now, "close_type": close_type}, {"close_type": close_type}


def reopen(case, now, **unused):
    """The office reopens a closed case after its reporter said 不满意: handled again, within a new limit."""
    updates = {"closed_at": None, "close_type": "", "checked_at": None, "escalated_at": None,
               "due_soon_notified_at": None, "rework_count": case.rework_count + 1,
               **deadlines.handling_deadline(case, now)}
    return updates, {"rework": case.rework_count + 1}


def void(case, now, **unused):
    return {"closed_at": now}, {}


def merge(case, now, target: Case | None = None, **unused):
    if target is None:
        raise ValidationError({"target": [_("请指定要合并到的原案件编号。")]})
    if target.pk == case.pk or target.state not in OPEN_STATES or target.state == State.MERGED:
        raise ValidationError({"target": [_("只能合并到另一个未结案的案件。")]})
    return {"merged_into": target, "closed_at": now}, {"target": target.number}
