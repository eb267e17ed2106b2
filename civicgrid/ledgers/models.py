"""The campaign's ledgers (台账): small businesses and their staff, farmers' markets and their renovation,
works with quantities, publicity assets, mobilisation, health services.

Every record carries the region code of where it is (a place's grid, or the region an operation covered),
so `restrict(user)` scopes it like every other record: a street's staff reach their street's records only.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicgrid.core.models import TimeStampedModel
from civicgrid.core.scoping import ScopedQuerySet
from civicgrid.territory.models import RegionCoded


class LedgerQuerySet(ScopedQuerySet):
    scope_region_field = "region_code"


class LedgerRecord(RegionCoded, TimeStampedModel):
    region_code = models.CharField(_("区域代码"), max_length=20, db_index=True,
                                   help_text=_("所在网格或覆盖的区域；据此按辖区授权"))

    objects = LedgerQuerySet.as_manager()

    class Meta:
        abstract = True


# -- small businesses (八小) ----------------------------------------------------------------------------------
class Rectification(models.TextChoices):
    NONE = "none", _("无需整改")
    PENDING = "pending", _("待整改")
    IN_PROGRESS = "in_progress", _("整改中")
    DONE = "done", _("已整改")


class PermitKind(models.TextChoices):
    HYGIENE = "hygiene", _("卫生许可证")
    FOOD = "food", _("食品经营许可证")
    NONE = "none", _("无需许可")


class SmallBusiness(LedgerRecord):
    """A small business under 店长负责制; its shop is a place with its chief (店长)."""

    place = models.OneToOneField("territory.Place", verbose_name=_("店铺"), on_delete=models.PROTECT,
                                 related_name="business")
    category = models.ForeignKey("territory.PlaceCategory", verbose_name=_("行业分类"), on_delete=models.PROTECT,
                                 related_name="businesses")
    name = models.CharField(_("名称"), max_length=200)
    licence_number = models.CharField(_("营业执照号"), max_length=40, unique=True)
    permit_kind = models.CharField(_("许可类型"), max_length=10, choices=PermitKind.choices, default=PermitKind.NONE)
    permit_number = models.CharField(_("许可证号"), max_length=40, blank=True)
    permit_expires_on = models.DateField(_("许可证有效期至"), null=True, blank=True)
    floor_area = models.DecimalField(_("经营面积（平方米）"), max_digits=9, decimal_places=2, null=True, blank=True)
    letter_signed_on = models.DateField(_("责任状签订日期"), null=True, blank=True,
                                        help_text=_("门前三包/店长责任状"))
    vector_control = models.BooleanField(_("防蝇防鼠设施齐全"), default=False)
    rectification = models.CharField(_("整改状态"), max_length=12, choices=Rectification.choices,
                                     default=Rectification.NONE)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("八小经营户")
        verbose_name_plural = _("八小经营户")
        ordering = ["region_code", "name"]

    def __str__(self) -> str:
        return self.name


class StaffMember(LedgerRecord):
    """A member of a small business's staff and their health certificate (健康证)."""

    business = models.ForeignKey(SmallBusiness, verbose_name=_("经营户"), on_delete=models.CASCADE,
                                 related_name="staff")
    name = models.CharField(_("姓名"), max_length=50)
    certificate_number = models.CharField(_("健康证号"), max_length=40, blank=True)
    certificate_expires_on = models.DateField(_("健康证有效期至"), null=True, blank=True)

    class Meta:
        verbose_name = _("从业人员")
        verbose_name_plural = _("从业人员")
        ordering = ["business", "name"]
        constraints = [models.UniqueConstraint(fields=["business", "name"], name="staff_unique_name")]
        indexes = [models.Index(fields=["certificate_expires_on"], name="staff_certificate_expiry")]

    def __str__(self) -> str:
        return self.name


# -- farmers' markets --------------------------------------------------------------------------------------
class Market(LedgerRecord):
    """A farmers' market (its place) and what the standard asks of it."""

    place = models.OneToOneField("territory.Place", verbose_name=_("市场"), on_delete=models.PROTECT,
                                 related_name="market")
    operator = models.ForeignKey("organizations.Unit", verbose_name=_("经营主体"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="markets")
    area = models.DecimalField(_("面积（平方米）"), max_digits=10, decimal_places=2, null=True, blank=True)
    stalls = models.PositiveIntegerField(_("摊位数"), null=True, blank=True)
    zones = models.CharField(_("经营分区"), max_length=300, blank=True, help_text=_("划行归市的分区，如 蔬菜、肉类、水产"))
    testing_room = models.BooleanField(_("食品快检室"), default=False)

    class Meta:
        verbose_name = _("农贸市场")
        verbose_name_plural = _("农贸市场")
        ordering = ["region_code"]

    def __str__(self) -> str:
        return self.place.name


class FundingSource(models.TextChoices):
    OPERATOR = "operator", _("经营主体自筹")
    CITY_AWARD = "city_award", _("市级以奖代补")
    DISTRICT_AWARD = "district_award", _("区级以奖代补")
    OTHER = "other", _("其他")


class Renovation(LedgerRecord):
    """A market's renovation project: budget, progress, acceptance."""

    market = models.ForeignKey(Market, verbose_name=_("市场"), on_delete=models.CASCADE, related_name="renovations")
    name = models.CharField(_("项目名称"), max_length=200)
    budget = models.DecimalField(_("预算（元）"), max_digits=14, decimal_places=2, default=0)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    milestones = models.TextField(_("节点"), blank=True, help_text=_("每行一个：日期 内容"))
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("市场改造项目")
        verbose_name_plural = _("市场改造项目")
        ordering = ["market", "name"]
        constraints = [
            models.UniqueConstraint(fields=["market", "name"], name="renovation_unique_name"),
            models.CheckConstraint(name="renovation_progress_percent", condition=Q(progress__lte=100)),
        ]

    def __str__(self) -> str:
        return self.name


class Funding(LedgerRecord):
    """Money received for a renovation, by source (以奖代补 awards, the operator's own funds)."""

    renovation = models.ForeignKey(Renovation, verbose_name=_("改造项目"), on_delete=models.CASCADE,
                                   related_name="funding")
    source = models.CharField(_("资金来源"), max_length=16, choices=FundingSource.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    received_on = models.DateField(_("到位日期"))

    class Meta:
        verbose_name = _("改造资金")
        verbose_name_plural = _("改造资金")
        ordering = ["renovation", "received_on"]
        constraints = [models.UniqueConstraint(fields=["renovation", "source", "received_on"],
                                               name="funding_unique_receipt")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.amount}"


# -- works ----------------------------------------------------------------------------------------------------
class WorkKind(models.Model):
    """An editable dictionary of the quantities works are measured in, each with its unit."""

    slug = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    unit = models.CharField(_("单位"), max_length=10, help_text=_("如 人次、台次、立方米、处、平方米、辆、个、条"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("工作量类型")
        verbose_name_plural = _("工作量类型")
        ordering = ["sort_order", "slug"]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class OperationKind(models.TextChoices):
    CLEANUP = "cleanup", _("清理整治")
    JOINT_ENFORCEMENT = "joint_enforcement", _("联合执法")
    RENOVATION = "renovation", _("改造工程")
    DELIVERY = "delivery", _("设施配发")


class Operation(LedgerRecord):
    """A cleanup, a joint enforcement or a renovation work, with its quantities by kind."""

    date = models.DateField(_("日期"))
    title = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=OperationKind.choices)
    places = models.ManyToManyField("territory.Place", verbose_name=_("涉及点位"), blank=True,
                                    related_name="operations")
    units = models.ManyToManyField("organizations.Unit", verbose_name=_("参与单位"), blank=True,
                                   related_name="operations")
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("整治行动")
        verbose_name_plural = _("整治行动")
        ordering = ["-date", "title"]
        constraints = [models.UniqueConstraint(fields=["date", "title", "region_code"], name="operation_unique")]
        indexes = [models.Index(fields=["date", "region_code"], name="operation_date_region")]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class Quantity(models.Model):
    operation = models.ForeignKey(Operation, verbose_name=_("行动"), on_delete=models.CASCADE,
                                  related_name="quantities")
    kind = models.ForeignKey(WorkKind, verbose_name=_("工作量类型"), on_delete=models.PROTECT,
                             related_name="quantities")
    amount = models.DecimalField(_("数量"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("工作量")
        verbose_name_plural = _("工作量")
        constraints = [models.UniqueConstraint(fields=["operation", "kind"], name="quantity_unique_kind")]

    def __str__(self) -> str:
        return f"{self.kind.name} {self.amount}"


# -- publicity and mobilisation -----------------------------------------------------------------------------
class AssetKind(models.TextChoices):
    COLUMN = "column", _("宣传栏")
    BOARD = "board", _("宣传板")
    LED = "led", _("LED大屏")
    HOARDING = "hoarding", _("围挡")
    ROAD_FLAG = "road_flag", _("路旗")
    TRAM_STATION = "tram_station", _("有轨电车站")


class PublicityAsset(LedgerRecord):
    """Publicity assets of one kind at one place, installed on one day (a count, not one row per board)."""

    place = models.ForeignKey("territory.Place", verbose_name=_("点位"), on_delete=models.PROTECT,
                              related_name="publicity_assets")
    kind = models.CharField(_("类型"), max_length=16, choices=AssetKind.choices)
    count = models.PositiveIntegerField(_("数量"), default=1)
    installed_on = models.DateField(_("设置日期"))
    photo = models.ForeignKey("cases.Photo", verbose_name=_("照片"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("宣传设施")
        verbose_name_plural = _("宣传设施")
        ordering = ["place", "kind"]
        constraints = [models.UniqueConstraint(fields=["place", "kind", "installed_on"], name="asset_unique")]

    def __str__(self) -> str:
        return f"{self.place} {self.get_kind_display()} ×{self.count}"


class MobilisationKind(models.TextChoices):
    DISTRIBUTION = "distribution", _("宣传品发放")
    PERFORMANCE = "performance", _("文艺巡演")
    VOLUNTEERING = "volunteering", _("志愿服务")
    CAMPAIGN_EVENT = "campaign_event", _("主题活动")
    ONLINE = "online", _("网络传播")


class MobilisationEvent(LedgerRecord):
    """A mobilisation: who took part by group, what was handed out, how often it was viewed online."""

    date = models.DateField(_("日期"))
    title = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=MobilisationKind.choices)
    organiser = models.CharField(_("组织单位"), max_length=200, blank=True)
    volunteers = models.PositiveIntegerField(_("志愿者"), default=0)
    community_workers = models.PositiveIntegerField(_("社区工作者"), default=0)
    officials = models.PositiveIntegerField(_("机关干部"), default=0)
    students = models.PositiveIntegerField(_("学生"), default=0)
    online_views = models.PositiveIntegerField(_("网络浏览量"), default=0)

    class Meta:
        verbose_name = _("宣传动员")
        verbose_name_plural = _("宣传动员")
        ordering = ["-date", "title"]
        constraints = [models.UniqueConstraint(fields=["date", "title", "region_code"], name="mobilisation_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"

    @property
    def participants(self) -> int:
        return self.volunteers + self.community_workers + self.officials + self.students


class MaterialQuerySet(ScopedQuerySet):
    scope_region_field = "event__region_code"


class Material(models.Model):
    """Materials handed out at an event, by kind (e.g. 致居民的一封“家书”)."""

    event = models.ForeignKey(MobilisationEvent, verbose_name=_("活动"), on_delete=models.CASCADE,
                              related_name="materials")
    name = models.CharField(_("材料"), max_length=100)
    count = models.PositiveIntegerField(_("数量"))

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("宣传材料")
        verbose_name_plural = _("宣传材料")
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="material_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ×{self.count}"


# -- health services ----------------------------------------------------------------------------------------
class HealthService(LedgerRecord):
    """A health-certificate drive (e.g. a mobile exam vehicle) or a hand-out (e.g. mosquito lamps)."""

    class Kind(models.TextChoices):
        CERTIFICATE_DRIVE = "certificate_drive", _("健康证办理")
        HANDOUT = "handout", _("物品配发")

    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    item = models.CharField(_("项目"), max_length=100, help_text=_("如 健康证、防蚊灯"))
    count = models.PositiveIntegerField(_("数量"))
    place = models.ForeignKey("territory.Place", verbose_name=_("地点"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="health_services")
    organiser = models.CharField(_("组织单位"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("卫生服务")
        verbose_name_plural = _("卫生服务")
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["date", "kind", "item", "region_code"],
                                               name="health_service_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.item} ×{self.count}"
