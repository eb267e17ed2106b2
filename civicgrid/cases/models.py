"""Classes and the rulebook, routing rules, cases with their append-only events, photos and notifications."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, F, FloatField, Q
from django.db.models.functions import Cos, Power, Radians
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.cases.choices import (
    HANDLING_STATES,
    OPEN_STATES,
    ClassType,
    CloseType,
    PhotoRole,
    Source,
    State,
    Urgency,
)
from civicgrid.core.scoping import Embargo, ReferenceQuerySet, ScopedQuerySet, prefix_q
from civicgrid.territory.choices import AreaClass, Level
from civicgrid.territory.codes import code_length
from civicgrid.territory.models import RegionCoded
from civicgrid.workcal.calendar import TimeUnit
from civicgrid.workcal.periods import end_of_local_day


class CaseClass(models.Model):
    """A minor class of component (部件) or event (事件), CJ/T 214 / GB/T 30428.2, extendable locally."""

    code = models.CharField(_("代码"), max_length=8, unique=True, help_text=_("如 E0102：事件·市容环境·暴露垃圾"))
    type = models.CharField(_("类型"), max_length=10, choices=ClassType.choices)
    major_code = models.CharField(_("大类代码"), max_length=2)
    major_name = models.CharField(_("大类名称"), max_length=40)
    minor_code = models.CharField(_("小类代码"), max_length=2)
    minor_name = models.CharField(_("小类名称"), max_length=60)
    default_department = models.ForeignKey(
        "organizations.Unit", verbose_name=_("责任部门"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="default_classes",
    )
    active = models.BooleanField(_("启用"), default=True)
    location_blurred = models.BooleanField(
        _("公开时模糊位置"), default=False,
        help_text=_("涉及住宅、楼道或个人的类别：公众地图与开放接口只显示所在网格，不显示精确位置"),
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("案件类别")
        verbose_name_plural = _("案件类别")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["type", "major_code", "minor_code"], name="case_class_codes")]

    def __str__(self) -> str:
        return f"{self.get_type_display()}·{self.major_name}·{self.minor_name}"

    @staticmethod
    def make_code(type_: str, major: str, minor: str) -> str:
        return f"{'C' if type_ == ClassType.COMPONENT else 'E'}{major}{minor}"


class FilingCriterion(models.Model):
    """A filing criterion (立案条件) of a class with its handling limits per area class."""

    case_class = models.ForeignKey(CaseClass, verbose_name=_("类别"), on_delete=models.CASCADE,
                                   related_name="criteria")
    text = models.CharField(_("立案条件"), max_length=200)
    limit_a = models.PositiveIntegerField(_("处置时限A"))
    limit_b = models.PositiveIntegerField(_("处置时限B"))
    limit_c = models.PositiveIntegerField(_("处置时限C"))
    unit = models.CharField(_("时限单位"), max_length=10, choices=TimeUnit.choices)
    closing_criterion = models.CharField(_("结案条件"), max_length=200)

    class Meta:
        verbose_name = _("立案条件")
        verbose_name_plural = _("立案条件")
        ordering = ["case_class__code", "id"]
        constraints = [models.UniqueConstraint(fields=["case_class", "text"], name="criterion_unique_text")]

    def __str__(self) -> str:
        return self.text

    def limit_for(self, area_class: str) -> int:
        return {AreaClass.A: self.limit_a, AreaClass.B: self.limit_b, AreaClass.C: self.limit_c}[area_class]


class RoutingRule(RegionCoded):
    """Office-edited routing: cases of a class in a region (subtree) go to a unit."""

    case_class = models.ForeignKey(CaseClass, verbose_name=_("类别"), on_delete=models.CASCADE,
                                   related_name="routing_rules")
    region_code = models.CharField(_("区域代码"), max_length=20, help_text=_("规则适用于该区域及其下级"))
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("责任单位"), on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("派遣规则")
        verbose_name_plural = _("派遣规则")
        ordering = ["case_class__code", "region_code"]
        constraints = [models.UniqueConstraint(fields=["case_class", "region_code"], name="routing_rule_unique")]

    def __str__(self) -> str:
        return f"{self.case_class} @ {self.region_code} → {self.unit}"


METRES_PER_DEGREE = 111_320


def overdue_condition(now) -> Q:
    """See CaseQuerySet.overdue."""
    return Q(state__in=HANDLING_STATES, handle_due__lt=now)


def due_today_condition(now) -> Q:
    """See CaseQuerySet.due_today."""
    return Q(state__in=HANDLING_STATES, handle_due__gte=now, handle_due__lt=end_of_local_day(now))


def due_today_query(now) -> dict:
    """The case list's filters for `Case.objects.due_today(now)`."""
    return {"due_after": now.isoformat(), "due_before": end_of_local_day(now).isoformat()}


class CaseQuerySet(ScopedQuerySet):
    scope_region_field = "region_code"
    scope_unit_field = "responsible_unit_id"
    scope_user_field = "reporter_id"
    gates = (Embargo(),)

    def region_q(self, field_name: str, prefix: str) -> Q:
        """A street's or community's cases by equality on its own column: the (code, -reported_at)
        indexes then give lists in time order without sorting the whole street."""
        columns = {code_length(Level.STREET): "street_code", code_length(Level.COMMUNITY): "community_code",
                   code_length(Level.GRID): "region_code"}
        column = columns.get(len(prefix)) if field_name == "region_code" else None
        return Q(**{column: prefix}) if column else prefix_q(field_name, prefix)

    def within(self, code: str):
        return self.filter(self.region_q("region_code", code))

    def publicly_listed(self):
        """What the public face (Open311, public photos) shows: everything but undercover findings, which stay
        the assessment's even after publication."""
        return self.exclude(source=Source.UNDERCOVER).filter(embargoed=False)

    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, now=None):
        """Cases whose handling deadline has passed while they are still being handled (derived, never stored)."""
        return self.filter(overdue_condition(now or timezone.now()))

    def due_soon(self, now=None):
        now = now or timezone.now()
        return self.filter(state__in=HANDLING_STATES, handle_warn_at__lte=now, handle_due__gte=now)

    def due_before(self, moment):
        return self.filter(state__in=HANDLING_STATES, handle_due__lt=moment)

    def due_today(self, now=None):
        """Still being handled and falling due between now and the end of the local day (the ones already past
        are overdue). The case list shows the same cases for `due_today_query(now)`."""
        return self.filter(due_today_condition(now or timezone.now()))

    def near(self, lat, lng, metres: float):
        """Cases within `metres` of (lat, lng), annotated with `metres_squared`; the point is numbers, or
        OuterRef()s to the case of an outer query. A box on the indexed coordinates first, then the distance on
        a local plane (equirectangular: well within a metre of the great circle at these distances)."""
        box = metres / METRES_PER_DEGREE
        # Longitude degrees shrink with latitude; twice the box (cos 60° = 0.5) is wide enough anywhere in China.
        north = (F("lat") - lat) * METRES_PER_DEGREE
        east = (F("lng") - lng) * METRES_PER_DEGREE * Cos(Radians(F("lat")))
        return self.filter(lat__range=(lat - box, lat + box), lng__range=(lng - 2 * box, lng + 2 * box)).annotate(
            metres_squared=ExpressionWrapper(Power(north, 2) + Power(east, 2), output_field=FloatField()),
        ).filter(metres_squared__lte=metres * metres)

    def repeating(self, *, case_class_id, lat, lng):
        """Open cases of the class within DUPLICATE_RADIUS_METERS of the point, nearest first: what a new report
        there probably repeats. The arguments are values, or OuterRef()s to the case of an outer query."""
        return (self.open().exclude(state=State.MERGED).filter(case_class_id=case_class_id)
                .near(lat, lng, settings.DUPLICATE_RADIUS_METERS).order_by("metres_squared", "pk"))


class Case(RegionCoded):
    """A problem in the district, from report to closure. The row carries the current state and the
    milestones and deadlines indicators need; the events are the truth it can be rebuilt from."""

    number = models.CharField(_("案件编号"), max_length=32, unique=True)
    source = models.CharField(_("来源"), max_length=24, choices=Source.choices)
    # Several foreign keys skip their own index: a composite index starting with them serves their queries,
    # and every index costs each report a write.
    case_class = models.ForeignKey(CaseClass, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="cases",
                                   db_index=False)
    criterion = models.ForeignKey(FilingCriterion, verbose_name=_("立案条件"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="cases", db_index=False)
    description = models.TextField(_("问题描述"), max_length=4000)
    lng = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    address = models.CharField(_("地址"), max_length=300, blank=True)
    region_code = models.CharField(_("网格代码"), max_length=20)  # indexed by case_region_reported
    community_code = models.CharField(_("社区代码"), max_length=12, editable=False, default="")
    street_code = models.CharField(_("街道代码"), max_length=9, editable=False, default="")
    area_class = models.CharField(_("区域类别"), max_length=1, choices=AreaClass.choices, default=AreaClass.B)
    place = models.ForeignKey("territory.Place", verbose_name=_("责任对象"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="cases", db_index=False)
    component_id = models.CharField(_("部件编码"), max_length=20, blank=True)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上报人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="reported_cases", db_index=False)
    reporter_name = models.CharField(_("上报人姓名"), max_length=100, blank=True)
    reporter_contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    state = models.CharField(_("状态"), max_length=24, choices=State.choices, default=State.REPORTED)
    version = models.PositiveIntegerField(_("版本"), default=1, help_text=_("每次状态变化加一，用于并发控制"))
    responsible_unit = models.ForeignKey("organizations.Unit", verbose_name=_("责任单位"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="cases", db_index=False)
    responsible_person = models.ForeignKey("organizations.Person", verbose_name=_("责任人"), null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="cases", db_index=False)
    routing_note = models.CharField(_("派遣依据"), max_length=300, blank=True)
    # Deadlines (UTC) of each step.
    verify_due = models.DateTimeField(_("核实期限"), null=True, blank=True)
    file_due = models.DateTimeField(_("立案期限"), null=True, blank=True)
    dispatch_due = models.DateTimeField(_("派遣期限"), null=True, blank=True)
    handle_warn_at = models.DateTimeField(_("临期提醒时间"), null=True, blank=True, help_text=_("时限的80%"))
    handle_due = models.DateTimeField(_("处置期限"), null=True, blank=True)  # indexed by case_state_due
    due_at = models.DateTimeField(
        _("应结案时间"), null=True, blank=True, editable=False,
        help_text=_("首次处置完毕与处置期限中较早者：案件自此计入“应结案数”（考核指标的分母）"),
    )
    check_due = models.DateTimeField(_("核查期限"), null=True, blank=True)
    calendar_warning = models.CharField(_("日历提示"), max_length=200, blank=True,
                                        help_text=_("期限涉及尚未录入官方放假安排的年份时为暂定期限：按周一至周五并扣除法定节假日推算"))
    parked_remaining = models.FloatField(_("挂账剩余时限"), null=True, blank=True)
    # Milestones (UTC).
    reported_at = models.DateTimeField(_("上报时间"), db_index=True)
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    filed_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("派遣时间"), null=True, blank=True)
    handled_at = models.DateTimeField(_("处置时间"), null=True, blank=True, help_text=_("最近一次处置完毕"))
    first_handled_at = models.DateTimeField(_("首次处置时间"), null=True, blank=True, editable=False,
                                            help_text=_("首次处置完毕；返工后再次处置不改变它"))
    checked_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    # Counters the indicators need.
    rework_count = models.PositiveSmallIntegerField(_("返工次数"), default=0)
    return_count = models.PositiveSmallIntegerField(_("回退次数"), default=0)
    extension_count = models.PositiveSmallIntegerField(_("延期次数"), default=0)
    close_type = models.CharField(_("结案类型"), max_length=10, choices=CloseType.choices, blank=True)
    merged_into = models.ForeignKey("self", verbose_name=_("合并至"), null=True, blank=True, db_index=False,
                                    on_delete=models.PROTECT, related_name="duplicates")
    escalated_at = models.DateTimeField(_("超期升级时间"), null=True, blank=True)
    due_soon_notified_at = models.DateTimeField(_("临期提醒发送时间"), null=True, blank=True)
    review_flags = models.JSONField(_("照片复核提示"), default=list, blank=True)
    embargoed = models.BooleanField(
        _("暗访保密"), default=False,
        help_text=_("第三方暗访发现在创城办发布前，对被检查单位及其人员不可见"),
    )
    finding_key = models.CharField(
        _("检查项标识"), max_length=80, blank=True, editable=False,
        help_text=_("由检查不合格项生成的案件：标准代码/点位类型/检查项代码；同一点位同一检查项至多一件未结案件"),
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-reported_at"]
        indexes = [
            # The work queues and the case list: state filter, newest first.
            models.Index(fields=["state", "-reported_at"], name="case_state_reported"),
            # A grid's, community's or street's list, newest first (see CaseQuerySet.region_q).
            models.Index(fields=["region_code", "-reported_at"], name="case_region_reported"),
            models.Index(fields=["community_code", "-reported_at"], name="case_community_reported"),
            models.Index(fields=["street_code", "-reported_at"], name="case_street_reported"),
            # A street's or community's cases in one state (queues, lists): pages and covering counts.
            models.Index(fields=["street_code", "state", "-reported_at"], name="case_street_state"),
            models.Index(fields=["community_code", "state", "-reported_at"], name="case_community_state"),
            # Counting urgent (or normal) cases in a state without reading the table.
            models.Index(fields=["state", "urgency"], name="case_state_urgency"),
            # A street's counts by state, urgency and source read from the index alone (embargo included,
            # since every restricted read filters on it).
            models.Index(fields=["street_code", "state", "urgency", "source", "embargoed"],
                         name="case_street_counts"),
            # A street's cases in a state ordered by deadline.
            models.Index(fields=["street_code", "state", "handle_due"], name="case_street_state_due"),
            # Overdue and due-soon: open states with a deadline before a moment.
            models.Index(fields=["state", "handle_due"], name="case_state_due"),
            # Lists filtered by source.
            models.Index(fields=["source", "-reported_at"], name="case_source_reported"),
            # The duplicates of a case; partial, because almost every row is NULL and the planner's
            # statistics would otherwise call this index useless.
            models.Index(fields=["merged_into"], name="case_merged_into",
                         condition=Q(merged_into__isnull=False)),
            # A department's queue.
            models.Index(fields=["responsible_unit", "state"], name="case_unit_state"),
            # Duplicate search: open cases of a class near a point.
            models.Index(fields=["case_class", "lat", "lng"], name="case_class_position"),
            # Indicators of a period: cases due to close, filed and dispatched in it. Partial, so a new report
            # (none of them set yet) writes no entry.
            models.Index(fields=["due_at"], name="case_due_at", condition=Q(due_at__isnull=False)),
            models.Index(fields=["filed_at"], name="case_filed_at", condition=Q(filed_at__isnull=False)),
            models.Index(fields=["dispatched_at"], name="case_dispatched_at", condition=Q(dispatched_at__isnull=False)),
            # The dashboard's closures per day and this week.
            models.Index(fields=["closed_at"], name="case_closed_at", condition=Q(closed_at__isnull=False)),
            # A place's cases and a reporter's own reports; partial, because most public reports have neither.
            models.Index(fields=["place"], name="case_place", condition=Q(place__isnull=False)),
            models.Index(fields=["reporter"], name="case_reporter", condition=Q(reporter__isnull=False)),
        ]
        constraints = [
            # A failed checklist item opens one case per place; a repeat failure adds to it (inspections).
            models.UniqueConstraint(
                fields=["place", "finding_key"], name="case_one_open_finding",
                condition=Q(state__in=sorted(OPEN_STATES)) & ~Q(finding_key=""),
                violation_error_message=_("该点位的该检查项已有未结案件。"),
            ),
            models.CheckConstraint(
                name="case_merged_has_target",
                condition=~Q(state=State.MERGED) | Q(merged_into__isnull=False),
                violation_error_message=_("已合并的案件必须指向原案件。"),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def set_region(self, grid_code: str) -> None:
        """Store the grid code and the community and street codes derived from it."""
        self.region_code = grid_code
        self.community_code = grid_code[: code_length(Level.COMMUNITY)]
        self.street_code = grid_code[: code_length(Level.STREET)]

    @property
    def is_overdue(self) -> bool:
        return self.state in HANDLING_STATES and self.handle_due is not None and self.handle_due < timezone.now()

    @property
    def is_due_soon(self) -> bool:
        now = timezone.now()
        return (self.state in HANDLING_STATES and self.handle_warn_at is not None
                and self.handle_warn_at <= now <= self.handle_due)


class CaseCounter(models.Model):
    """The last sequence number issued per day, for human case numbers."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


class Photo(models.Model):
    """An uploaded, validated image; EXIF time and position are read, a thumbnail and a stripped copy made."""

    uid = models.UUIDField(_("标识"), default=uuid.uuid4, unique=True, editable=False)
    file = models.ImageField(_("原图"), upload_to="photos/%Y/%m/")
    public_file = models.ImageField(_("公开图（已去除EXIF）"), upload_to="photos/public/%Y/%m/")
    thumbnail = models.ImageField(_("缩略图"), upload_to="photos/thumbs/%Y/%m/", blank=True,
                                  help_text=_("使用后台队列时由后台生成；生成前显示公开图"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    perceptual_hash = models.CharField(_("感知哈希"), max_length=16)
    width = models.PositiveIntegerField(_("宽"))
    height = models.PositiveIntegerField(_("高"))
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    gps_lat = models.FloatField(_("拍摄纬度"), null=True, blank=True)
    gps_lng = models.FloatField(_("拍摄经度"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True,
                                    on_delete=models.SET_NULL, related_name="photos")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        ordering = ["uploaded_at"]
        # An account's uploads of the last 24 hours, counted against its quota at every upload.
        indexes = [models.Index(fields=["uploaded_by", "uploaded_at"], name="photo_uploader_time")]

    def __str__(self) -> str:
        return str(self.uid)


class CaseEvent(models.Model):
    """One state change of a case: who, when, from, to, why, evidence. Never edited or deleted."""

    # The unique (case, seq) index serves every lookup by case; its own index would be one more write per event.
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="events",
                             db_index=False)
    seq = models.PositiveIntegerField(_("序号"))
    action = models.CharField(_("动作"), max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="case_events", db_index=False)
    actor_name = models.CharField(_("操作人姓名"), max_length=100, blank=True)
    at = models.DateTimeField(_("时间"))
    from_state = models.CharField(_("原状态"), max_length=24, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=24, choices=State.choices)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("案件事件")
        verbose_name_plural = _("案件事件")
        ordering = ["case_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="case_event_unique_seq")]
        # Events by a person (an indicator per post); anonymous public reports add no entry.
        indexes = [models.Index(fields=["actor"], name="case_event_actor", condition=Q(actor__isnull=False))]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.action}"

    # Events are inserted through core.db.PreparedInsert (cases.services.events): this save() adds nothing to an
    # insert, it only refuses to change an event that exists.
    save_refuses_updates_only = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("case events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("case events are append-only")


class EventPhoto(models.Model):
    """A photo attached to an event, with its role (before / after)."""

    event = models.ForeignKey(CaseEvent, on_delete=models.CASCADE, related_name="photos")
    photo = models.ForeignKey(Photo, on_delete=models.PROTECT, related_name="event_links")
    role = models.CharField(_("用途"), max_length=10, choices=PhotoRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "photo"], name="event_photo_unique")]

    def __str__(self) -> str:
        return f"{self.event} {self.role}"


class Notification(models.Model):
    """An in-app message (due soon, overdue escalation, dispatch)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                             related_name="notifications")
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("类型"), max_length=20)
    message = models.CharField(_("内容"), max_length=300)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "case", "kind"], name="notification_once")]

    def __str__(self) -> str:
        return self.message
