"""Scores, grades and fair ranks from indicators, following a scheme's config (data, never code):

    {"kind": "weighted",                      # Chengdu 金牛 style: Σ weight × value (or × (1 − value))
     "terms": [{"indicator": "disposal_rate", "weight": 30}, {"indicator": "rework_rate", "weight": 20,
               "inverse": true}, ...]}
    {"kind": "thresholds",                    # Jinhua style: full points at a threshold, minus per point below
     "terms": [{"indicator": "on_time_closure_rate", "threshold": 0.70, "points": 50, "per_point_below": 1},
               ...]}
    plus, for both: "bonuses" for achievements (demolitions from the works ledger), capped; "deductions" per case
    found by each tier (city / district / bureau: per problem, per problem
    not fixed in time, per problem found again) capped per topic; "grades" [[90, "A"], [75, "B"], …];
    "min_cases" below which a unit is shown but not ranked; optional "normalise_by" ("grids"|"places").

A term whose indicator has no denominator is left out and the weights of the others scaled up to the same total,
so a unit is not punished for having nothing of a kind to do.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DEFAULT_GRADES = [[90, "A"], [75, "B"], [60, "C"], [40, "D"], [0, "E"]]


def _round(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def composite(config: dict, values: dict[str, float | None]) -> float | None:
    """The score before deductions (0–100), or None when no term can be computed."""
    terms = config.get("terms", [])
    if config.get("kind") == "thresholds":
        earned = possible = 0.0
        for term in terms:
            value = values.get(term["indicator"])
            if value is None:
                continue
            possible += term["points"]
            if term.get("inverse"):
                value = 1 - value
            shortfall = max(0.0, (term["threshold"] - value) * 100)
            earned += max(0.0, term["points"] - shortfall * term.get("per_point_below", 1))
        total = sum(t["points"] for t in terms)
        return earned * total / possible if possible else None
    earned = weights = 0.0
    for term in terms:
        value = values.get(term["indicator"])
        if value is None:
            continue
        weights += term["weight"]
        earned += term["weight"] * ((1 - value) if term.get("inverse") else value)
    total = sum(t["weight"] for t in terms)
    return earned * total / weights if weights else None


def deduction(config: dict, findings: dict[str, dict[str, int]]) -> float:
    """Points lost for problems found by supervisors: findings[tier] = {problems, late, again}, per topic capped."""
    rules = config.get("deductions", {})
    lost = 0.0
    for tier, counts in findings.items():
        rule = rules.get(tier)
        if not rule:
            continue
        lost += (counts.get("problems", 0) * rule.get("per_problem", 0) + counts.get("late", 0) * rule.get("late", 0)
                 + counts.get("again", 0) * rule.get("again", 0))
    cap = rules.get("cap")
    return min(lost, cap) if cap is not None else lost


def grade(config: dict, score: float | None) -> str | None:
    if score is None:
        return None
    for floor, label in config.get("grades", DEFAULT_GRADES):
        if score >= floor:
            return label
    return None


def bonus(config: dict, achievements: dict[str, float]) -> float:
    """Points added for achievements, e.g. {"demolished": 12, "large_demolitions": 1} with
    "bonuses": {"demolished": 5, "large_demolitions": 2, "cap": 10} (domain.md §2: +5 per illegal building
    demolished, +2 for one of 300 m² or more), capped."""
    rules = config.get("bonuses", {})
    earned = sum(achievements.get(name, 0) * points for name, points in rules.items() if name != "cap")
    cap = rules.get("cap")
    return min(earned, cap) if cap is not None else earned


def score(config: dict, values: dict[str, float | None], findings=None, workload_factor: float = 1.0,
          achievements=None) -> float | None:
    """Composite minus supervision deductions (scaled by the workload factor when the scheme normalises), plus
    bonuses, within 0–100."""
    base = composite(config, values)
    if base is None:
        return None
    total = base - deduction(config, findings or {}) * workload_factor + bonus(config, achievements or {})
    return _round(min(100.0, max(0.0, total)))


def rank(entries: list[dict], min_cases: int) -> None:
    """Set `rank` on entries with a score and at least `min_cases` cases: higher first, ties share a rank
    (1, 2, 2, 4); everyone else gets None (shown, not ranked)."""
    ranked = sorted((e for e in entries if e["score"] is not None and e["cases"] >= min_cases),
                    key=lambda e: -e["score"])
    for entry in entries:
        entry["rank"] = None
    previous, position = None, 0
    for index, entry in enumerate(ranked, start=1):
        if entry["score"] != previous:
            position, previous = index, entry["score"]
        entry["rank"] = position
