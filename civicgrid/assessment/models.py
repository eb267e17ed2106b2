"""Scoring schemes as data, and which scheme the office picked for a period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicgrid.core.models import TimeStampedModel
from civicgrid.core.scoping import Publication, ScopedQuerySet
from civicgrid.core.validators import supported_date, xml_safe_text
from civicgrid.territory.models import RegionCoded


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
    starts_on = models.DateField(_("开始日期"), validators=[supported_date])
    ends_on = models.DateField(_("结束日期"), validators=[supported_date])

    class Meta:
        verbose_name = _("考核期计分方案")
        verbose_name_plural = _("考核期计分方案")
        ordering = ["-starts_on", "-id"]
        constraints = [models.CheckConstraint(name="scheme_choice_ordered",
                                              condition=Q(ends_on__gte=models.F("starts_on")))]

    def __str__(self) -> str:
        return f"{self.starts_on}—{self.ends_on}: {self.scheme}"


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class BulletinQuerySet(ScopedQuerySet):
    """Drafts are the office's; staff read published ones; citizens and place chiefs only public ones."""

    territorial = False
    gates = (Publication(published=BulletinStatus.PUBLISHED),)


class Bulletin(TimeStampedModel):
    """A bulletin (通报) on a period's assessment: rankings, praise, criticism, typical problems, accountability.

    Generated as a draft from the figures, edited by the office, then published: a published bulletin is never
    changed — a correction is a new version pointing at it.
    """

    title = models.CharField(_("标题"), max_length=200, validators=[xml_safe_text])
    level = models.CharField(_("考核层级"), max_length=12)
    starts_on = models.DateField(_("开始日期"), validators=[supported_date])
    ends_on = models.DateField(_("结束日期"), validators=[supported_date])
    scheme = models.ForeignKey(ScoringScheme, verbose_name=_("计分方案"), on_delete=models.PROTECT,
                               related_name="bulletins")
    body = models.TextField(_("正文"), validators=[xml_safe_text])
    rankings = models.JSONField(_("排名"), default=list, help_text=_("生成时的排名与指标（发布后不变）"))
    typical_cases = models.JSONField(_("典型问题"), default=list, blank=True)
    named_units = models.JSONField(_("涉及单位"), default=list, help_text=_("被点名的单位或区域代码；其首页显示本通报"))
    status = models.CharField(_("状态"), max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    previous = models.ForeignKey("self", verbose_name=_("更正自"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="corrections")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    public_at = models.DateTimeField(_("向公众公开时间"), null=True, blank=True,
                                     help_text=_("公开后公众和店长等账号也可阅读；否则仅工作人员可读"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-ends_on", "-version", "-id"]

    def __str__(self) -> str:
        return f"{self.title}（v{self.version}）"

    @property
    def published(self) -> bool:
        return self.status == BulletinStatus.PUBLISHED


class AccountabilityKind(models.TextChoices):
    INTERVIEW = "interview", _("约谈")
    CRITICISM = "criticism", _("通报批评")
    ACCOUNTABILITY = "accountability", _("问责")
    PRAISE = "praise", _("通报表扬")


class AccountabilityQuerySet(ScopedQuerySet):
    scope_region_field = "region_code"
    scope_unit_field = "unit_id"
    scope_person_field = "person_id"


class Accountability(RegionCoded, TimeStampedModel):
    """An accountability decision (约谈, 通报批评, 问责) about a unit or a street/community, a person, cases."""

    kind = models.CharField(_("类型"), max_length=16, choices=AccountabilityKind.choices)
    decided_on = models.DateField(_("决定日期"), validators=[supported_date])
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("单位"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="accountability")
    region_code = models.CharField(_("区域代码"), max_length=20, blank=True)
    person = models.ForeignKey("organizations.Person", verbose_name=_("责任人"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="accountability")
    cases = models.ManyToManyField("cases.Case", verbose_name=_("相关案件"), blank=True, related_name="accountability")
    bulletin = models.ForeignKey(Bulletin, verbose_name=_("通报"), null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="decisions")
    reason = models.TextField(_("事由"), validators=[xml_safe_text])

    objects = AccountabilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("问责记录")
        verbose_name_plural = _("问责记录")
        ordering = ["-decided_on", "-id"]
        constraints = [models.CheckConstraint(name="accountability_has_subject",
                                              condition=Q(unit__isnull=False) | ~Q(region_code=""))]

    def __str__(self) -> str:
        return f"{self.decided_on} {self.get_kind_display()}"
