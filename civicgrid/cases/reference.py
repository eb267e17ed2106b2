"""Cached reads of the rulebook for the hot paths (report intake, routing)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from civicgrid.cases.models import CaseClass, FilingCriterion, RoutingRule
from civicgrid.core.cache import TimedCache

rulebook_cache = TimedCache(ttl=30.0)


def active_class(code: str) -> CaseClass | None:
    """An active class by code, with its default department."""
    return rulebook_cache.get(("class", code), lambda: CaseClass.objects.filter(code=code, active=True)
                              .select_related("default_department").first())


def routing_rules(case_class_id: int) -> list[RoutingRule]:
    """The office's routing rules for a class, most specific region first."""
    return rulebook_cache.get(("rules", case_class_id), lambda: list(
        RoutingRule.objects.filter(case_class_id=case_class_id).select_related("unit").order_by("-region_code")))


for model in (CaseClass, FilingCriterion, RoutingRule):
    post_save.connect(rulebook_cache.clear, sender=model, dispatch_uid=f"rulebook-cache-{model.__name__}")
    post_delete.connect(rulebook_cache.clear, sender=model, dispatch_uid=f"rulebook-cache-del-{model.__name__}")
