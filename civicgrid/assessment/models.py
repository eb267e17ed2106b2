"""Scoring schemes as data, and which scheme the office picked for a period."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicgrid.core.models import TimeStampedModel


class ScoringScheme(TimeStampedModel):
    """A way of turning indicators into a score (config: see civicgrid.assessment.scoring)."""

    slug = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    config = models.JSONField(_("计分规则"), help_text=_("权重、阈值、扣分、封顶、等级与最少案件数"))
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("计分方案")
        verbose_name_plural = _("计分方案")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class SchemeChoice(TimeStampedModel):
    """The scheme the office uses for a period (the latest choice covering a day wins)."""

    scheme = models.ForeignKey(ScoringScheme, verbose_name=_("计分方案"), on_delete=models.PROTECT,
                               related_name="choices")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))

    class Meta:
        verbose_name = _("考核期计分方案")
        verbose_name_plural = _("考核期计分方案")
        ordering = ["-starts_on", "-id"]
        constraints = [models.CheckConstraint(name="scheme_choice_ordered",
                                              condition=Q(ends_on__gte=models.F("starts_on")))]

    def __str__(self) -> str:
        return f"{self.starts_on}—{self.ends_on}: {self.scheme}"
