"""Cases that inspections find: recorded once per place and item, published after an undercover round,
settled by a recheck."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.cases.choices import OPEN_STATES, Action, PhotoRole, Source, State
from civicgrid.cases.models import Case, CaseClass, FilingCriterion, Photo
from civicgrid.cases.services.intake import register
from civicgrid.cases.services.transitions import apply_action, record_stateless, stateless_event
from civicgrid.core.scoping import require_office
from civicgrid.territory.models import Place


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
            if stateless_event(case, Action.PUBLISH, actor, now, only_if={"embargoed": True},
                               also={"embargoed": False}) is None:
                continue
            published += 1
            if dispatch and case.state == State.REPORTED:
                _file_and_dispatch(case, actor, now)
    return published


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
                result = register(
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
    record_stateless(case, Action.FINDING, actor, note=note, photos=photos, role=PhotoRole.BEFORE, now=now)


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
            apply_action(case, Action.CHECK_PASS, actor, now, note=note or _("复查合格"), photos=photos)
        if case.state == State.CHECKED:
            apply_action(case, Action.CLOSE, actor, now, note=note or _("复查合格，结案"))
            return "closed"
        return "unchanged"
    if case.state == State.HANDLED:
        apply_action(case, Action.CHECK_FAIL, actor, now, note=note or _("复查不合格，返工"), photos=photos)
        return "rework"
    if case.state in OPEN_STATES:
        add_finding(case, actor, note=note or _("复查不合格"), photos=photos, now=now)
        return "found_again"
    return "unchanged"


def _file_and_dispatch(case: Case, actor, now: dt.datetime) -> None:
    """File a finding with its item's criterion and dispatch it to the routed unit; without one it waits
    in the dispatcher's queue."""
    apply_action(case, Action.FILE, actor, now, note=_("检查发现的问题，按检查项自动立案"))
    if case.responsible_unit_id is not None:
        apply_action(case, Action.DISPATCH, actor, now, note=_("按责任对象自动派遣"))
