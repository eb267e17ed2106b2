"""When the office enters a year's official holiday schedule, the provisional deadlines of that year become real.

A deadline reaching into a year without official data is provisional (workcal: Monday–Friday less the statutory
holidays). Once the year is entered, every case still being handled whose deadline was provisional for it gets
the deadline the official calendar yields for the same window — the rulebook's limit plus the extensions
approved — with an event recording the old and the new deadline; the office is told which cases moved.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.cases import deadlines
from civicgrid.cases.choices import HANDLING_STATES, Action
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.cases.services.escalation import notify, office_users
from civicgrid.cases.services.transitions import stateless_event
from civicgrid.workcal.calendar import entries


@dataclass
class Recomputed:
    case: Case
    old: dt.datetime
    new: dt.datetime | None  # None: left as it was (a parked case gets its deadline again when resumed)


def recompute_provisional_deadlines(year: int, now: dt.datetime | None = None) -> list[Recomputed]:
    """Recompute the provisional deadlines that reach into `year` (a background task after the entry commits)."""
    now = now or timezone.now()
    entries.reload()  # this process reads the year as entered, whatever its cache held
    done = []
    provisional = (Case.objects.filter(state__in=HANDLING_STATES, dispatched_at__isnull=False,
                                       calendar_warning__contains=str(year))
                   .select_related("criterion").order_by("id"))
    cases = list(provisional)
    history: dict[int, list[tuple[str, dict]]] = defaultdict(list)  # one query for all cases' parks and extensions
    for case_id, action, data in CaseEvent.objects.filter(
            case__in=cases, action__in=[Action.PARK, Action.APPROVE_EXTENSION]).values_list("case_id", "action", "data"):
        history[case_id].append((action, data))
    for case in cases:
        actions = history[case.pk]
        if any(action == Action.PARK for action, _data in actions):
            done.append(Recomputed(case, case.handle_due, None))
            continue
        window = deadlines.handling_limit(case) + sum(data.get("amount", 0) for _a, data in actions)
        updates = deadlines.due_fields(case.dispatched_at, window, case.criterion.unit)
        updates["due_at"] = deadlines.due_moment(case.first_handled_at, updates["handle_due"])
        old_due = case.handle_due
        with transaction.atomic():
            if stateless_event(case, Action.DEADLINE, None, now, also=updates,
                               note=_("%d 年官方放假安排已录入，按其重算处置期限。") % year,
                               data={"old": old_due.isoformat(), "new": updates["handle_due"].isoformat()}) is None:
                continue  # someone acted on it meanwhile: the next entry or the next action sets it again
        done.append(Recomputed(case, old_due, updates["handle_due"]))
    _tell_the_office(done, year)
    return done


def _tell_the_office(done: list[Recomputed], year: int) -> None:
    office = office_users()
    for item in done:
        if item.new is None:
            message = _("案件 %(n)s 处于挂账，%(year)d 年官方放假安排录入后请在恢复处置时核对期限。") % {
                "n": item.case.number, "year": year}
        elif item.new != item.old:
            message = _("案件 %(n)s 的处置期限按 %(year)d 年官方放假安排重算：%(old)s → %(new)s") % {
                "n": item.case.number, "year": year, "old": f"{timezone.localtime(item.old):%m-%d %H:%M}",
                "new": f"{timezone.localtime(item.new):%m-%d %H:%M}"}
        else:
            continue
        notify(office, item.case, "deadline_recomputed", message)
