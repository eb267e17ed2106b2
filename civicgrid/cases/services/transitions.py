"""The actions of the loop (civicgrid.cases.workflow): each one call that (1) runs in a transaction, (2) checks
that the actor holds a role allowed to take it on this case within their scope, (3) checks the current state,
(4) changes the row with a conditional update on its version — two people acting at once: exactly one wins,
the other gets CaseConflict with the current state — (5) appends the event, and (6) notifies the department
a case is dispatched to, with rows in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.cases import deadlines, signals
from civicgrid.cases.choices import Action, PhotoRole, State
from civicgrid.cases.models import Case, CaseEvent, FilingCriterion, Photo
from civicgrid.cases.photos import MAX_PHOTOS_PER_STEP
from civicgrid.cases.services import events
from civicgrid.cases.services.escalation import notify, notify_dispatched, notify_returned, unit_users
from civicgrid.cases.services.permissions import acting_roles, needs_verification
from civicgrid.cases.workflow import STATELESS_ACTIONS, TRANSITIONS, allowed, may_take
from civicgrid.core.exceptions import Conflict
from civicgrid.core.scoping import get_in_scope
from civicgrid.organizations.models import Unit


class CaseConflict(Conflict):
    """Someone else changed the case first, or its state does not allow the action; carries the current state."""

    def __init__(self, case: Case, message: str):
        self.case = case
        super().__init__(message)

    def payload(self) -> dict:
        return {"detail": str(self), "state": self.case.state, "version": self.case.version}


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
        apply_action(case, action, actor, now, note=note, photos=photos, **params)
    return case


def perform_by_codes(actor, number: str, action: str, *, note: str = "", photos: list[Photo] = (),
                     unit: str = "", target: str = "", amount: int | None = None,
                     criterion: FilingCriterion | None = None, public_note: str = "") -> Case:
    """`perform` for pages and the API, where the unit and the target case arrive as codes."""
    params = {"public_note": public_note} if public_note else {}
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


def apply_action(case: Case, action: str, actor, now: dt.datetime, *, note: str = "", photos=(), **params) -> None:
    """Change the row and append the event (the caller has checked scope, role and state); refreshes `case`."""
    transition = TRANSITIONS[action]
    public_note = params.pop("public_note", "").strip()
    updates, data = transition.effect(case, now=now, photos=list(photos), **params)
    if public_note:  # words written for the reporter and the public face; the note stays internal
        data = {**data, "public_note": public_note}
    if "handle_due" in updates or "first_handled_at" in updates:
        updates["due_at"] = deadlines.due_moment(updates.get("first_handled_at", case.first_handled_at),
                                       updates.get("handle_due", case.handle_due))
    _conditional_update(case, transition.target, updates)
    role = PhotoRole.AFTER if action == Action.HANDLE else PhotoRole.EVIDENCE
    event = events.transitioned(case, action=action, actor=actor, at=now, to_state=transition.target, note=note,
                                data=data, photos=photos, role=role)
    case.refresh_from_db()
    signals.case_changed.send(sender=Case, case=case, event=event)
    if action == Action.DISPATCH:
        # A row in the same transaction, not a task: the department hears of the case exactly when it is theirs.
        notify_dispatched(case)
    elif action == Action.RETURN:
        notify_returned(case, note)
    elif action == Action.REOPEN:
        notify(unit_users(case.responsible_unit_id), case, "reopened",
               _("案件 %(n)s 经复核重新交办：%(why)s") % {"n": case.number, "why": note[:200]})


def _conditional_update(case: Case, target: State, updates: dict) -> None:
    changed = (Case.objects.filter(pk=case.pk, version=case.version, state=case.state)
               .update(state=target, version=case.version + 1, **updates))
    if not changed:
        current = Case.objects.get(pk=case.pk)
        raise CaseConflict(current, _("案件已被他人处理，当前状态为“%s”。") % current.get_state_display())


def record_stateless(case: Case, action: str, actor, *, note: str = "", data: dict | None = None, photos=(),
                     role: str = PhotoRole.EVIDENCE, now: dt.datetime | None = None) -> CaseEvent:
    """Append an event that changes no state (a finding again, a citizen's update or rating, the office's review
    or moderation), retrying when someone else acts on the case at the same moment."""
    now = now or timezone.now()
    with transaction.atomic():
        for _attempt in range(5):
            event = stateless_event(case, action, actor, now, note=note, data=data, photos=photos, role=role)
            if event is not None:
                return event
            case.refresh_from_db()
    raise CaseConflict(case, _("案件正被频繁修改，请稍后重试。"))


def stateless_event(case: Case, action: str, actor, now: dt.datetime, *, note: str = "", data: dict | None = None,
                    photos=(), role: str = PhotoRole.EVIDENCE, only_if: dict | None = None,
                    also: dict | None = None) -> CaseEvent | None:
    """One try at an event that changes no state, under the case's version like a transition: None when the case
    moved on (or no longer matches `only_if`); otherwise the event, with `case` refreshed and the change announced."""
    if action not in STATELESS_ACTIONS:
        raise ValueError(f"{action} changes the state: use perform()")
    if not Case.objects.filter(pk=case.pk, version=case.version, **(only_if or {})).update(
            version=case.version + 1, **(also or {})):
        return None
    event = events.noted(case, action=action, actor=actor, at=now, note=note, data=data, photos=photos, role=role)
    case.refresh_from_db()
    signals.case_changed.send(sender=Case, case=case, event=event)
    return event
