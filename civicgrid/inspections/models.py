"""Evaluation standards, plans and their assignments, inspections with their item results, assessment rounds."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicgrid.core.models import TimeStampedModel
from civicgrid.core.scoping import Embargo, ReferenceQuerySet, Released, ScopedQuerySet
from civicgrid.inspections.choices import (
    InspectionKind,
    InspectionStatus,
    Method,
    Outcome,
    Recurrence,
    RoundStatus,
    Selection,
    StandardStatus,
)
from civicgrid.territory.models import RegionCoded


class PointType(models.Model):
    """A point type of the evaluation (点位类型), editable; it names the place kinds it applies to."""

    slug = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    place_kinds = models.ManyToManyField("territory.PlaceKind", verbose_name=_("对应责任对象类型"), blank=True,
                                         related_name="point_types")
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("点位类型")
        verbose_name_plural = _("点位类型")
        ordering = ["sort_order", "slug"]

    def __str__(self) -> str:
        return self.name


class Standard(TimeStampedModel):
    """A versioned evaluation standard (测评标准). Once an inspection used it, it is never changed in place:
    a new version is made (services.new_version)."""

    code = models.SlugField(_("标准代码"), max_length=40)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=StandardStatus.choices, default=StandardStatus.ACTIVE)
    issued_on = models.DateField(_("发布日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    previous = models.ForeignKey("self", verbose_name=_("上一版本"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="next_versions")

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("测评标准")
        verbose_name_plural = _("测评标准")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="standard_unique_version")]

    def __str__(self) -> str:
        return f"{self.name}（v{self.version}）"

    @property
    def in_use(self) -> bool:
        return self.inspections.exists()


class StandardItem(models.Model):
    """One checklist item of a point type: what is checked, how, and what a failure costs and opens."""

    standard = models.ForeignKey(Standard, verbose_name=_("标准"), on_delete=models.CASCADE, related_name="items")
    point_type = models.ForeignKey(PointType, verbose_name=_("点位类型"), on_delete=models.PROTECT,
                                   related_name="items")
    code = models.CharField(_("检查项代码"), max_length=20)
    text = models.CharField(_("检查内容"), max_length=300)
    method = models.CharField(_("检查方法"), max_length=10, choices=Method.choices, default=Method.OBSERVE)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    deduction = models.DecimalField(_("每处扣分"), max_digits=6, decimal_places=2)
    cap = models.DecimalField(_("扣分上限"), max_digits=6, decimal_places=2, null=True, blank=True,
                              help_text=_("为空时以分值为上限"))
    critical = models.BooleanField(_("否决项"), default=False, help_text=_("不合格时该项不得分，并标记检查存在否决项"))
    case_class = models.ForeignKey("cases.CaseClass", verbose_name=_("案件类别"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="standard_items")
    criterion = models.ForeignKey("cases.FilingCriterion", verbose_name=_("立案条件"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="standard_items")
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["standard", "point_type__sort_order", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "point_type", "code"], name="standard_item_unique_code"),
            models.CheckConstraint(name="standard_item_positive_points",
                                   condition=Q(points__gt=0) & Q(deduction__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    def save(self, *args, **kwargs):
        self._refuse_if_in_use()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_in_use()
        return super().delete(*args, **kwargs)

    def _refuse_if_in_use(self) -> None:
        """A standard an inspection has used is never changed in place (make a new version)."""
        from django.core.exceptions import ValidationError

        if self.standard_id and Inspection.objects.filter(standard_id=self.standard_id).exists():
            raise ValidationError(_("该标准已用于检查，不能直接修改；请生成新版本后再修改。"))

    @property
    def effective_cap(self) -> Decimal:
        return min(self.cap, self.points) if self.cap is not None else self.points

    @property
    def finding_key(self) -> str:
        """The same item across versions of a standard (case de-duplication key)."""
        return f"{self.standard.code}/{self.point_type.slug}/{self.code}"


class AssessmentRoundQuerySet(ScopedQuerySet):
    """Rounds: all for the office and the assessors, published ones for everyone else; the office writes."""

    territorial = False
    gates = (Released("status", RoundStatus.PUBLISHED),)


class AssessmentRound(TimeStampedModel):
    """A third-party undercover assessment round (暗访轮次); hidden from the inspected until published."""

    name = models.CharField(_("名称"), max_length=200)
    firm = models.ForeignKey("organizations.Unit", verbose_name=_("第三方机构"), on_delete=models.PROTECT,
                             related_name="assessment_rounds")
    standard = models.ForeignKey(Standard, verbose_name=_("标准"), on_delete=models.PROTECT,
                                 related_name="assessment_rounds")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    status = models.CharField(_("状态"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("说明"), blank=True)

    objects = AssessmentRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("暗访轮次")
        verbose_name_plural = _("暗访轮次")
        ordering = ["-starts_on", "-id"]
        constraints = [models.CheckConstraint(name="round_dates_ordered", condition=Q(ends_on__gte=models.F("starts_on")))]

    def __str__(self) -> str:
        return self.name

    @property
    def published(self) -> bool:
        return self.status == RoundStatus.PUBLISHED


class PlanQuerySet(ScopedQuerySet):
    gates = (Embargo(),)
    scope_region_field = "region_code"


class Plan(RegionCoded, TimeStampedModel):
    """Who inspects which places, when, against which standard; produces dated assignments."""

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("检查类型"), max_length=16, choices=InspectionKind.choices)
    standard = models.ForeignKey(Standard, verbose_name=_("标准"), on_delete=models.PROTECT, related_name="plans")
    round = models.ForeignKey(AssessmentRound, verbose_name=_("暗访轮次"), null=True, blank=True,
                              on_delete=models.CASCADE, related_name="plans")
    # Who
    inspectors = models.ManyToManyField("organizations.Person", verbose_name=_("检查人员"), blank=True,
                                        related_name="inspection_plans")
    teams = models.ManyToManyField("organizations.Unit", verbose_name=_("检查队伍/单位"), blank=True,
                                   related_name="inspection_plans")
    contracted = models.BooleanField(_("由包保领导和包保部门检查"), default=False,
                                     help_text=_("每个点位由包保其街道的领导、部门轮流检查"))
    chiefs = models.BooleanField(_("由点位负责人检查"), default=False, help_text=_("五长巡查、自查"))
    # Where
    selection = models.CharField(_("点位选取"), max_length=16, choices=Selection.choices, default=Selection.LISTED)
    places = models.ManyToManyField("territory.Place", verbose_name=_("指定点位"), blank=True,
                                    related_name="inspection_plans")
    point_types = models.ManyToManyField(PointType, verbose_name=_("点位类型"), blank=True, related_name="plans")
    region_code = models.CharField(_("区域代码"), max_length=20, help_text=_("点位所在区域（含下级）"))
    draw_per_type = models.PositiveSmallIntegerField(_("每类抽取数"), default=0, help_text=_("随机抽取时每类点位数"))
    draw_seed = models.PositiveIntegerField(_("抽取种子"), default=0, help_text=_("同一种子同一天抽到相同点位，便于复核"))
    # When
    recurrence = models.CharField(_("周期"), max_length=16, choices=Recurrence.choices, default=Recurrence.DAILY)
    weekday = models.PositiveSmallIntegerField(_("每周几"), null=True, blank=True, help_text=_("0=周一…6=周日"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    window_start = models.TimeField(_("时段开始"))
    window_end = models.TimeField(_("时段结束"))
    active = models.BooleanField(_("启用"), default=True)
    embargoed = models.BooleanField(_("暗访保密"), default=False, editable=False)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查计划")
        verbose_name_plural = _("检查计划")
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name


class AssignmentQuerySet(ScopedQuerySet):
    gates = (Embargo(),)
    scope_region_field = "region_code"
    scope_unit_field = "assignee_unit_id"
    scope_person_field = "assignee_id"

    def missed(self, now):
        """Assignments whose window has closed without an inspection."""
        return self.filter(inspection__isnull=True, window_end__lt=now)


class Assignment(RegionCoded):
    """One place to inspect on one day within a time window, by a person or a unit."""

    plan = models.ForeignKey(Plan, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="assignments")
    day = models.DateField(_("日期"))
    kind = models.CharField(_("检查类型"), max_length=16, choices=InspectionKind.choices)
    place = models.ForeignKey("territory.Place", verbose_name=_("点位"), on_delete=models.CASCADE,
                              related_name="inspection_assignments")
    point_type = models.ForeignKey(PointType, verbose_name=_("点位类型"), on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey("organizations.Person", verbose_name=_("检查人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="inspection_assignments")
    assignee_unit = models.ForeignKey("organizations.Unit", verbose_name=_("检查单位"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="inspection_assignments")
    window_start = models.DateTimeField(_("时段开始"))
    window_end = models.DateTimeField(_("时段结束"))
    region_code = models.CharField(_("网格代码"), max_length=20)
    inspection = models.OneToOneField("Inspection", verbose_name=_("检查记录"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="assignment")
    embargoed = models.BooleanField(_("暗访保密"), default=False, editable=False)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查任务")
        verbose_name_plural = _("检查任务")
        ordering = ["day", "window_start", "place__code"]
        constraints = [models.UniqueConstraint(fields=["plan", "day", "place"], name="assignment_unique_day_place")]
        indexes = [
            models.Index(fields=["assignee", "day"], name="assignment_assignee_day"),
            models.Index(fields=["day", "region_code"], name="assignment_day_region"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.place}"

    @property
    def who(self) -> str:
        """The assigned person's or unit's name."""
        if self.assignee_id:
            return self.assignee.name
        return self.assignee_unit.name if self.assignee_unit_id else ""


class InspectionQuerySet(ScopedQuerySet):
    gates = (Embargo(),)
    scope_region_field = "region_code"
    scope_unit_field = "responsible_unit_id"
    scope_person_field = "place__chief_id"
    scope_user_field = "inspector_id"

    def submitted(self):
        return self.filter(status=InspectionStatus.SUBMITTED)

    def between(self, start, end):
        """Submitted inspections whose submission falls in [start, end) (aware datetimes)."""
        return self.submitted().filter(submitted_at__gte=start, submitted_at__lt=end)


class Inspection(RegionCoded):
    """One inspection of one place against the items of its point type; scored when submitted."""

    uid = models.UUIDField(_("标识"), default=uuid.uuid4, unique=True, editable=False)
    place = models.ForeignKey("territory.Place", verbose_name=_("点位"), on_delete=models.PROTECT,
                              related_name="inspections")
    point_type = models.ForeignKey(PointType, verbose_name=_("点位类型"), on_delete=models.PROTECT,
                                   related_name="inspections")
    standard = models.ForeignKey(Standard, verbose_name=_("标准"), on_delete=models.PROTECT,
                                 related_name="inspections")
    kind = models.CharField(_("检查类型"), max_length=16, choices=InspectionKind.choices)
    round = models.ForeignKey(AssessmentRound, verbose_name=_("暗访轮次"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="inspections")
    recheck_of = models.ForeignKey("self", verbose_name=_("复查对象"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="rechecks")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("检查人账号"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="inspections")
    inspector_name = models.CharField(_("检查人"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=InspectionStatus.choices,
                              default=InspectionStatus.IN_PROGRESS)
    started_at = models.DateTimeField(_("开始时间"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    lng = models.FloatField(_("开始时经度"), null=True, blank=True)
    lat = models.FloatField(_("开始时纬度"), null=True, blank=True)
    distance_m = models.FloatField(_("距点位距离（米）"), null=True, blank=True)
    far_from_place = models.BooleanField(_("远离点位"), default=False,
                                         help_text=_("开始检查时的位置距点位超过设定距离"))
    score = models.DecimalField(_("得分"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("应得分"), max_digits=8, decimal_places=2, null=True, blank=True)
    score_rate = models.FloatField(_("得分率"), null=True, blank=True)
    failed_items = models.PositiveSmallIntegerField(_("不合格项数"), default=0)
    critical_failed = models.BooleanField(_("存在否决项"), default=False)
    region_code = models.CharField(_("网格代码"), max_length=20)
    community_code = models.CharField(_("社区代码"), max_length=12)
    street_code = models.CharField(_("街道代码"), max_length=9)
    responsible_unit = models.ForeignKey("organizations.Unit", verbose_name=_("责任单位"), null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="inspections")
    embargoed = models.BooleanField(_("暗访保密"), default=False,
                                    help_text=_("暗访轮次发布前，对被检查单位及其人员不可见"))

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查记录")
        verbose_name_plural = _("检查记录")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["place", "-submitted_at"], name="inspection_place_submitted"),
            models.Index(fields=["status", "submitted_at"], name="inspection_status_submitted"),
            models.Index(fields=["street_code", "submitted_at"], name="inspection_street_submitted"),
            models.Index(fields=["round", "status"], name="inspection_round_status"),
        ]

    def __str__(self) -> str:
        return f"{self.place} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def submitted(self) -> bool:
        return self.status == InspectionStatus.SUBMITTED


class InspectionResult(models.Model):
    """The outcome of one item in one inspection, with its evidence and the case it opened or added to."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("检查记录"), on_delete=models.CASCADE,
                                   related_name="results")
    item = models.ForeignKey(StandardItem, verbose_name=_("检查项"), on_delete=models.PROTECT, related_name="results")
    outcome = models.CharField(_("结果"), max_length=4, choices=Outcome.choices)
    findings = models.PositiveSmallIntegerField(_("问题处数"), default=0)
    note = models.CharField(_("说明"), max_length=1000, blank=True)
    photos = models.ManyToManyField("cases.Photo", verbose_name=_("照片"), blank=True, related_name="inspection_results")
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="inspection_results")
    case_opened = models.BooleanField(_("新立案件"), default=False, help_text=_("否：问题已追加到原未结案件"))

    class Meta:
        verbose_name = _("检查项结果")
        verbose_name_plural = _("检查项结果")
        ordering = ["inspection", "item__sort_order", "item__code"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="inspection_result_unique_item"),
            models.CheckConstraint(name="inspection_result_fail_has_findings",
                                   condition=~Q(outcome=Outcome.FAIL) | Q(findings__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.get_outcome_display()}"

