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

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q

from civicgrid.cases.choices import State

LEVELS = ("street", "community", "department", "post")
POST_ROLES = ("inspector", "acceptor", "shift_leader", "dispatcher")
# A post answers for the cases it reported, filed or dispatched.
POST_ACTIONS = {"report": ["valid_report_rate"], "file": ["on_time_filing_rate", "accurate_filing_rate"],
                "dispatch": ["accurate_dispatch_rate"]}
POST_ACTION_OF = {key: action for action, keys in POST_ACTIONS.items() for key in keys}


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    denominator: Callable[[dt.datetime, dt.datetime], Q]
    numerator: Callable[[dt.datetime, dt.datetime], Q]  # within the denominator


def _due(begin, finish) -> Q:
    return Q(due_at__gte=begin, due_at__lt=finish) & ~Q(state=State.PARKED)


def _filed(begin, finish) -> Q:
    return Q(filed_at__gte=begin, filed_at__lt=finish)


def _dispatched(begin, finish) -> Q:
    return Q(dispatched_at__gte=begin, dispatched_at__lt=finish)


def _reported(begin, finish) -> Q:
    return Q(reported_at__gte=begin, reported_at__lt=finish)


INDICATORS: list[Indicator] = [
    Indicator("closure_rate", "结案率", _due, lambda b, f: Q(state=State.CLOSED, closed_at__lt=f)),
    Indicator("on_time_closure_rate", "按期结案率", _due,
              lambda b, f: Q(state=State.CLOSED, closed_at__lt=f, close_type="normal")),
    # Handled by the period's end (the first handling counts, even if a rework followed).
    Indicator("disposal_rate", "处置率", _due,
              lambda b, f: Q(first_handled_at__isnull=False)
              & (Q(due_at__lt=F("handle_due")) | Q(first_handled_at__lt=f))),
    Indicator("on_time_disposal_rate", "按期处置率", _due,
              lambda b, f: Q(first_handled_at__isnull=False, due_at__lt=F("handle_due"))),
    Indicator("rework_rate", "返工率", _due, lambda b, f: Q(rework_count__gt=0)),
    # The deadline came first and the case was still not handled when the period ended.
    Indicator("overdue_pending_rate", "超期待处置率", _due,
              lambda b, f: Q(due_at=F("handle_due")) & (Q(first_handled_at__isnull=True) | Q(first_handled_at__gte=f))),
    Indicator("extension_rate", "延期率", _due, lambda b, f: Q(extension_count__gt=0)),
    Indicator("accurate_dispatch_rate", "准确派遣率", _dispatched, lambda b, f: Q(return_count=0, rework_count=0)),
    Indicator("on_time_filing_rate", "按时立案率", _filed, lambda b, f: Q(filed_at__lte=F("file_due"))),
    Indicator("accurate_filing_rate", "准确立案率", _filed, lambda b, f: ~Q(state=State.VOIDED)),
    Indicator("valid_report_rate", "有效上报率", _reported,
              lambda b, f: ~Q(state__in=[State.REJECTED, State.VOIDED, State.MERGED])),
]
BY_KEY = {i.key: i for i in INDICATORS}


def cases_behind(key: str, part: str, begin: dt.datetime, finish: dt.datetime) -> Q:
    """The cases counted in an indicator's numerator or denominator."""
    indicator = BY_KEY[key]
    denominator = indicator.denominator(begin, finish)
    return denominator & indicator.numerator(begin, finish) if part == "numerator" else denominator


def case_aggregates(begin: dt.datetime, finish: dt.datetime) -> dict:
    """Conditional counts of every indicator's parts, for `.values(key).annotate(**case_aggregates(...))`."""
    aggregates = {}
    for indicator in INDICATORS:
        denominator = indicator.denominator(begin, finish)
        aggregates[f"{indicator.key}__d"] = Count("id", filter=denominator)
        aggregates[f"{indicator.key}__n"] = Count("id", filter=denominator & indicator.numerator(begin, finish))
    handled = _due(begin, finish) & Q(handled_at__isnull=False, handled_at__lt=finish)
    aggregates["handling__avg"] = Avg(ExpressionWrapper(F("handled_at") - F("dispatched_at"),
                                                        output_field=DurationField()), filter=handled)
    aggregates["undercover__n"] = Count("id", filter=_reported(begin, finish) & Q(source="undercover"))
    return aggregates


def in_period(begin: dt.datetime, finish: dt.datetime) -> Q:
    """Every case any indicator of the period can count (each part has its own index)."""
    return _due(begin, finish) | _filed(begin, finish) | _dispatched(begin, finish) | _reported(begin, finish)
