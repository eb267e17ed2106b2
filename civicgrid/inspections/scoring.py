"""How an inspection is scored (pure functions; the standard's items carry every number).

An item that passes earns its points. A failed item loses its deduction per finding, at most its
cap (the points when no cap is set), never below zero; a failed critical item (否决项) earns nothing.
Items marked not applicable leave both the score and the maximum. The score rate (得分率) is the
score over the maximum of the applicable items, as the national field test reports it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from civicgrid.inspections.choices import Outcome

ZERO = Decimal("0")


def item_score(item, outcome: str, findings: int) -> Decimal | None:
    """The points one item earns; None when it does not apply."""
    if outcome == Outcome.NA:
        return None
    if outcome == Outcome.PASS:
        return item.points
    if item.critical:
        return ZERO
    lost = min(item.effective_cap, item.deduction * max(findings, 1))
    return max(item.points - lost, ZERO)


@dataclass(frozen=True)
class Score:
    score: Decimal
    max_score: Decimal
    failed_items: int
    critical_failed: bool

    @property
    def rate(self) -> float | None:
        return float(self.score / self.max_score) if self.max_score else None


def total(outcomes: Iterable[tuple[object, str, int]]) -> Score:
    """Score a whole inspection from (item, outcome, findings) triples."""
    score = max_score = ZERO
    failed = 0
    critical = False
    for item, outcome, findings in outcomes:
        earned = item_score(item, outcome, findings)
        if earned is None:
            continue
        score += earned
        max_score += item.points
        if outcome == Outcome.FAIL:
            failed += 1
            critical = critical or item.critical
    return Score(score, max_score, failed, critical)
