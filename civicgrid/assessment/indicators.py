"""The evaluation's indicators: the case indicators (defined with the case data, civicgrid.cases.indicators)
and the inspection score rate."""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext_noop

from civicgrid.cases.indicators import (  # noqa: F401  (the indicator vocabulary, one import for assessment)
    BY_KEY,
    INDICATORS,
    LEVELS,
    POST_ACTION_OF,
    POST_ACTIONS,
    POST_ROLES,
    Indicator,
    case_aggregates,
    cases_behind,
    cutoff_for,
    in_period,
)

INSPECTION_SCORE = "inspection_score_rate"
KEYS = [*(i.key for i in INDICATORS), INSPECTION_SCORE]
LABELS = {**{i.key: i.label for i in INDICATORS}, INSPECTION_SCORE: gettext_noop("检查得分率")}


def inspection_aggregates() -> dict:
    return {"score__sum": Sum("score"), "max__sum": Sum("max_score")}
