"""Regions (district → street → community → grid), places with their chiefs, and the boundary version."""

from __future__ import annotations

from functools import cached_property

from django.db import models
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

from civicgrid.core.models import TimeStampedModel
from civicgrid.core.scoping import ScopedQuerySet, prefix_q
from civicgrid.territory.choices import AreaClass, GeometryKind, Level


class RegionCoded(models.Model):
    """A table that stores a grid or region code in `region_code` (places, cases, inspections, plans, contracts,
    ledgers, …). Renumbering grids recodes every such table (territory.services.region_coded_models); a table
    that stores a code must inherit this, and a test fails for one that does not. Subclasses may redeclare
    the field with their own label and indexes."""

    region_code = models.CharField(_("区域代码"), max_length=20)

    class Meta:
        abstract = True


class RegionQuerySet(ScopedQuerySet):
    scope_region_field = "code"

    def within(self, code: str):
        """The region with `code` and its whole subtree."""
        return self.filter(prefix_q("code", code))

    def grids(self):
        return self.filter(level=Level.GRID)


class Region(TimeStampedModel):
    """A node of the territory tree; its code is the materialised path (domain.md §2)."""

    code = models.CharField(_("区划代码"), max_length=20, unique=True)
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices)
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    boundary = models.JSONField(_("边界"), help_text=_("GeoJSON Polygon 或 MultiPolygon，WGS-84"))
    area_class = models.CharField(
        _("区域类别"), max_length=1, choices=AreaClass.choices, default=AreaClass.B,
        help_text=_("决定处置时限的区域类别（A核心/B一般/C边缘），主要用于网格"),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="region_parent_unless_district",
                condition=models.Q(level="district") | models.Q(parent__isnull=False),
                violation_error_message=_("只有区一级可以没有上级区域。"),
            ),
        ]
        # Serves "list the children of X at level L" (map layers, the regions API).
        indexes = [models.Index(fields=["level", "code"], name="region_level_code")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @cached_property
    def geometry(self):
        """The boundary as a Shapely geometry."""
        return shape(self.boundary)


class BoundaryVersion(models.Model):
    """A single counter bumped whenever any boundary changes, so every process rebuilds its index."""

    version = models.PositiveBigIntegerField(_("版本"), default=0)
    changed_at = models.DateTimeField(_("变更时间"), auto_now=True)

    class Meta:
        verbose_name = _("边界版本")
        verbose_name_plural = _("边界版本")

    def __str__(self) -> str:
        return f"v{self.version}"


class PlaceKind(models.Model):
    """An editable dictionary of place kinds (责任对象类型) and the title of their chief."""

    slug = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    chief_title = models.CharField(_("负责人称谓"), max_length=20, help_text=_("如 楼长、路长、场长、店长、河长"))
    geometry_kind = models.CharField(
        _("几何类型"), max_length=10, choices=GeometryKind.choices, default=GeometryKind.POINT
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("责任对象类型")
        verbose_name_plural = _("责任对象类型")
        ordering = ["sort_order", "slug"]

    def __str__(self) -> str:
        return self.name


class PlaceCategory(models.Model):
    """An editable sub-classification of a place kind, e.g. the district's small-business (八小) list."""

    kind = models.ForeignKey(PlaceKind, verbose_name=_("类型"), on_delete=models.CASCADE, related_name="categories")
    slug = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=40)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("责任对象分类")
        verbose_name_plural = _("责任对象分类")
        ordering = ["kind", "sort_order", "slug"]
        constraints = [models.UniqueConstraint(fields=["kind", "slug"], name="place_category_unique_slug")]

    def __str__(self) -> str:
        return self.name


class PlaceQuerySet(ScopedQuerySet):
    scope_region_field = "region_code"
    scope_unit_field = "responsible_unit_id"
    scope_person_field = "chief_id"

    def within(self, code: str):
        """Places whose grid lies in the subtree of region `code`."""
        return self.filter(prefix_q("region_code", code))


class Place(RegionCoded, TimeStampedModel):
    """A responsibility object (责任对象/点位): a compound, building, road, market, shop, river…"""

    code = models.CharField(_("编码"), max_length=32, unique=True)
    kind = models.ForeignKey(PlaceKind, verbose_name=_("类型"), on_delete=models.PROTECT, related_name="places")
    category = models.ForeignKey(
        PlaceCategory, verbose_name=_("分类"), null=True, blank=True, on_delete=models.PROTECT, related_name="places"
    )
    name = models.CharField(_("名称"), max_length=200)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    geometry = models.JSONField(_("几何"), help_text=_("GeoJSON Point、LineString 或 Polygon，WGS-84"))
    lng = models.FloatField(_("经度"), help_text=_("代表点（WGS-84）"))
    lat = models.FloatField(_("纬度"), help_text=_("代表点（WGS-84）"))
    region_code = models.CharField(
        _("所在网格代码"), max_length=20, db_index=True, blank=True,
        help_text=_("代表点所在网格；由定位服务推导"),
    )
    grids = models.ManyToManyField(Region, verbose_name=_("涉及网格"), blank=True, related_name="places")
    parent = models.ForeignKey(
        "self", verbose_name=_("所属对象"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="children", help_text=_("如楼栋所属小区"),
    )
    responsible_unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("责任单位"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="places",
    )
    chief = models.ForeignKey(
        "organizations.Person", verbose_name=_("负责人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="led_places",
        help_text=_("楼长、路长、场长、店长、河长等"),
    )
    is_old_compound = models.BooleanField(_("老旧小区"), default=False)
    build_year = models.PositiveSmallIntegerField(_("建成年份"), null=True, blank=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("责任对象")
        verbose_name_plural = _("责任对象")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="place_old_compound_build_year",
                condition=models.Q(is_old_compound=False) | models.Q(build_year__isnull=True)
                | models.Q(build_year__lte=2000),
                violation_error_message=_("老旧小区应为2000年底前建成。"),
            ),
        ]
        # Serves "places of kind K in region R" (the places API and coverage counts).
        indexes = [models.Index(fields=["kind", "region_code"], name="place_kind_region")]

    def __str__(self) -> str:
        return self.name

    @cached_property
    def shape(self):
        return shape(self.geometry)
