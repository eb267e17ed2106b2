"""A briefing (工作简报): the office's text around placeholders for figures, for a region and a period.

A draft is edited freely; publishing freezes the rendered text and the figures it used, so a published
briefing always reads the same. A correction is a new draft made from it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.core.models import TimeStampedModel
from civicgrid.core.scoping import Publication, ScopedQuerySet
from civicgrid.core.validators import supported_date, xml_safe_text


class BriefingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class BriefingQuerySet(ScopedQuerySet):
    """Drafts are the office's; staff read published ones; citizens and place chiefs only public ones."""

    territorial = False
    gates = (Publication(published=BriefingStatus.PUBLISHED),)


class Briefing(TimeStampedModel):
    title = models.CharField(_("标题"), max_length=200, validators=[xml_safe_text])
    region = models.ForeignKey("territory.Region", verbose_name=_("区域"), on_delete=models.PROTECT,
                               related_name="briefings")
    start = models.DateField(_("开始日期"), validators=[supported_date])
    end = models.DateField(_("结束日期"), validators=[supported_date])
    template = models.TextField(_("正文"), help_text=_("{{名称}} 处填入数字及单位，如 {{包保区领导人数}}；{{名称.数字}} 只填数字"),
                                validators=[xml_safe_text])
    status = models.CharField(_("状态"), max_length=10, choices=BriefingStatus.choices, default=BriefingStatus.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    public_at = models.DateTimeField(_("向公众公开时间"), null=True, blank=True,
                                     help_text=_("公开后公众和店长等账号也可阅读；否则仅工作人员可读"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    published_html = models.TextField(_("发布正文（HTML）"), blank=True, editable=False)
    published_figures = models.JSONField(_("发布时的数字"), default=list, blank=True, editable=False)
    previous = models.ForeignKey("self", verbose_name=_("更正自"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="corrections")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("起草人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = BriefingQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作简报")
        verbose_name_plural = _("工作简报")
        ordering = ["-end", "-id"]
        constraints = [models.CheckConstraint(name="briefing_period_ordered",
                                              condition=models.Q(end__gte=models.F("start")))]

    def __str__(self) -> str:
        return self.title

    @property
    def published(self) -> bool:
        return self.status == BriefingStatus.PUBLISHED
