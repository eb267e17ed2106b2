"""The evaluation indicators of domain.md §2, each defined once as two case sets over a period [begin, finish):
its denominator and its numerator. The same definitions aggregate per unit (one SQL query per level) and give
the list of cases behind any figure (the case list's `indicator` filter).

Who a case counts for: a street or community by where it is; a department by the unit it was dispatched to;
a post (inspector, acceptor, shift leader, dispatcher) by who reported, filed or dispatched it.

- 应结案 (due to close): the case became due in the period — its first handling or its deadline, whichever came
  first (Case.due_at) — and is not parked (挂账 cases are left out of disposal figures).
- 结案率 closed / due; 按期结案率 closed normally (on time) / due; 处置率 handled / due; 按期处置率 handled before the
  deadline / due; 返工率 reworked / due; 超期待处置率 overdue and not handled by the period's end / due;
  延期率 extended / due.
- 准确派遣率: dispatched in the period without a return or a rework / dispatched in the period.
- 按时立案率: filed in the period within the filing limit / filed; 准确立案率: filed and not voided / filed.
- 有效上报率: reported in the period and not rejected, voided or merged / reported.
- 检查得分率: points scored / points possible in inspections of the unit's places submitted in the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Avg, Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.utils.translation import gettext_noop

from civicgrid.cases.choices import State
from civicgrid.cases.models import CaseEvent

LEVELS = ("street", "community", "department", "post")
POST_ROLES = ("inspector", "acceptor", "shift_leader", "dispatcher")
# A post answers for the cases it reported, filed or dispatched.
POST_ACTIONS = {"report": ["valid_report_rate"], "file": ["on_time_filing_rate", "accurate_filing_rate"],
                "dispatch": ["accurate_dispatch_rate"]}
POST_ACTION_OF = {key: action for action, keys in POST_ACTIONS.items() for key in keys}


@dataclass(frozen=True)
class Indicator:
    """An indicator as two case sets: its denominator for the period [begin, finish), and its numerator within
    it — each as of the cut-off, so what happens to a case afterwards (a rework in the next month) changes
    nothing in the period's figure."""

    key: str
    label: str
    denominator: Callable[[dt.datetime, dt.datetime, dt.datetime], Q]
    numerator: Callable[[dt.datetime, dt.datetime, dt.datetime], Q]  # within the denominator


def _events(actions, **when) -> Exists:
    actions = [actions] if isinstance(actions, str) else actions
    return Exists(CaseEvent.objects.filter(case=OuterRef("pk"), action__in=actions, **when))


def as_of(now: Q, actions: str | list[str], cutoff: dt.datetime) -> Q:
    """A condition on today's counters or state (`now`), as it stood at the cut-off: a case that meets it only
    through events after the cut-off (a rework next month) does not. Rows without such events (imported
    history) are taken as they are."""
    only_after = Q(_events(actions, at__gte=cutoff)) & ~Q(_events(actions, at__lt=cutoff))
    return now & ~only_after


def parked_at(cutoff: dt.datetime) -> Q:
    """Parked (挂账) at the cut-off: a park before it that no resume followed before it — or, for a row without
    park or resume events (imported history), parked now."""
    resumed = CaseEvent.objects.filter(case=OuterRef("case"), action="resume", seq__gt=OuterRef("seq"), at__lt=cutoff)
    parked = Exists(CaseEvent.objects.filter(case=OuterRef("pk"), action="park", at__lt=cutoff).filter(~Exists(resumed)))
    return Q(parked) | (Q(state=State.PARKED) & ~Q(_events(["park", "resume"])))


def _due(begin, finish, cutoff) -> Q:
    return Q(due_at__gte=begin, due_at__lt=finish) & ~parked_at(cutoff)


def _filed(begin, finish, cutoff=None) -> Q:
    return Q(filed_at__gte=begin, filed_at__lt=finish)


def _dispatched(begin, finish, cutoff=None) -> Q:
    return Q(dispatched_at__gte=begin, dispatched_at__lt=finish)


def _reported(begin, finish, cutoff=None) -> Q:
    return Q(reported_at__gte=begin, reported_at__lt=finish)


def _rated(begin, finish, cutoff=None) -> Q:
    """Cases whose reporter rated the outcome in the period (civicgrid.citizens: a `feedback` event)."""
    return Q(_events("feedback", at__gte=begin, at__lt=finish))


def _rated_content(begin, finish, cutoff=None) -> Q:
    return Q(_events("feedback", at__gte=begin, at__lt=finish, data__rating__in=["satisfied", "fairly"]))


INDICATORS: list[Indicator] = [
    Indicator("closure_rate", gettext_noop("结案率"), _due, lambda b, f, c: Q(state=State.CLOSED, closed_at__lt=c)),
    Indicator("on_time_closure_rate", gettext_noop("按期结案率"), _due,
              lambda b, f, c: Q(state=State.CLOSED, closed_at__lt=c, close_type="normal")),
    # Handled by the cut-off (the first handling counts, even if a rework followed).
    Indicator("disposal_rate", gettext_noop("处置率"), _due,
              lambda b, f, c: Q(first_handled_at__isnull=False)
              & (Q(due_at__lt=F("handle_due")) | Q(first_handled_at__lt=c))),
    Indicator("on_time_disposal_rate", gettext_noop("按期处置率"), _due,
              lambda b, f, c: Q(first_handled_at__isnull=False, due_at__lt=F("handle_due"))),
    Indicator("rework_rate", gettext_noop("返工率"), _due, lambda b, f, c: as_of(Q(rework_count__gt=0), "check_fail", c)),
    # The deadline came first and the case was still not handled at the cut-off.
    Indicator("overdue_pending_rate", gettext_noop("超期待处置率"), _due,
              lambda b, f, c: Q(due_at=F("handle_due")) & (Q(first_handled_at__isnull=True) | Q(first_handled_at__gte=c))),
    Indicator("extension_rate", gettext_noop("延期率"), _due,
              lambda b, f, c: as_of(Q(extension_count__gt=0), "approve_extension", c)),
    Indicator("accurate_dispatch_rate", gettext_noop("准确派遣率"), _dispatched,
              lambda b, f, c: ~as_of(Q(return_count__gt=0) | Q(rework_count__gt=0), ["return", "check_fail"], c)),
    Indicator("on_time_filing_rate", gettext_noop("按时立案率"), _filed, lambda b, f, c: Q(filed_at__lte=F("file_due"))),
    Indicator("accurate_filing_rate", gettext_noop("准确立案率"), _filed, lambda b, f, c: ~as_of(Q(state=State.VOIDED), "void", c)),
    Indicator("valid_report_rate", gettext_noop("有效上报率"), _reported,
              lambda b, f, c: ~as_of(Q(state__in=[State.REJECTED, State.VOIDED, State.MERGED]),
                                     ["reject", "void", "merge"], c)),
    # 满意率: reporters who answered 满意 or 基本满意, of those who rated in the period.
    Indicator("satisfaction_rate", gettext_noop("满意率"), _rated, _rated_content),
]
BY_KEY = {i.key: i for i in INDICATORS}


def cutoff_for(finish: dt.datetime, grace_days: int = 0) -> dt.datetime:
    """The moment a period's indicators are taken at: its end, plus the grace (days) a scheme may declare."""
    return finish + dt.timedelta(days=grace_days)


def cases_behind(key: str, part: str, begin: dt.datetime, finish: dt.datetime, cutoff: dt.datetime | None = None) -> Q:
    """The cases counted in an indicator's numerator or denominator (as of `cutoff`, the period's end by default)."""
    indicator = BY_KEY[key]
    cutoff = cutoff or finish
    denominator = indicator.denominator(begin, finish, cutoff)
    return denominator & indicator.numerator(begin, finish, cutoff) if part == "numerator" else denominator


def case_aggregates(begin: dt.datetime, finish: dt.datetime, cutoff: dt.datetime | None = None) -> dict:
    """Conditional counts of every indicator's parts, for `.values(key).annotate(**case_aggregates(...))`."""
    cutoff = cutoff or finish
    aggregates = {}
    for indicator in INDICATORS:
        denominator = indicator.denominator(begin, finish, cutoff)
        aggregates[f"{indicator.key}__d"] = Count("id", filter=denominator)
        aggregates[f"{indicator.key}__n"] = Count("id", filter=denominator & indicator.numerator(begin, finish, cutoff))
    handled = _due(begin, finish, cutoff) & Q(handled_at__isnull=False, handled_at__lt=cutoff)
    aggregates["handling__avg"] = Avg(ExpressionWrapper(F("handled_at") - F("dispatched_at"),
                                                        output_field=DurationField()), filter=handled)
    aggregates["undercover__n"] = Count("id", filter=_reported(begin, finish) & Q(source="undercover"))
    return aggregates


def in_period(begin: dt.datetime, finish: dt.datetime) -> Q:
    """Every case any indicator of the period can count (each part has its own index)."""
    return (Q(due_at__gte=begin, due_at__lt=finish) | _filed(begin, finish) | _dispatched(begin, finish)
            | _reported(begin, finish) | _rated(begin, finish))
