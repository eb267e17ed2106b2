"""Units, people, role grants and contracting (包保)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.core.models import TimeStampedModel
from civicgrid.core.scoping import ScopedQuerySet
from civicgrid.organizations.choices import Role, UnitKind
from civicgrid.territory.models import RegionCoded


class UnitQuerySet(ScopedQuerySet):
    scope_region_field = "region__code"
    scope_unit_field = "id"


class Unit(TimeStampedModel):
    """An organisation: an office, a street, a community, a department, a firm or an outside body."""

    code = models.CharField(_("单位编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=24, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    region = models.ForeignKey(
        "territory.Region", verbose_name=_("辖区"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="units", help_text=_("属地单位的辖区（街道、社区）；职能部门可为空"),
    )
    responsibilities = models.TextField(_("职责"), blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "code"], name="unit_kind_code")]  # units of a kind, in code order

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(ScopedQuerySet):
    scope_region_field = "unit__region__code"
    scope_unit_field = "unit_id"
    scope_person_field = "id"


class Person(TimeStampedModel):
    """A named person: a chief, a grid worker, a leader, a handler; optionally a login."""

    uid = models.UUIDField(_("标识"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("登录账号"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="person",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.title}）" if self.title else self.name


class Grant(TimeStampedModel):
    """A role held by a user, anchored on a region (covering its subtree) or a unit (and its sub-units)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="grants"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "territory.Region", verbose_name=_("授权区域"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="grants",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("授权单位"), null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        ordering = ["user_id", "role"]
        constraints = [
            # Partial constraints because NULLs are distinct in unique indexes on both backends.
            models.UniqueConstraint(
                fields=["user", "role", "region"], condition=models.Q(unit__isnull=True, region__isnull=False),
                name="grant_unique_region", violation_error_message=_("该账号已有相同的授权。"),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit"], condition=models.Q(region__isnull=True, unit__isnull=False),
                name="grant_unique_unit", violation_error_message=_("该账号已有相同的授权。"),
            ),
            models.UniqueConstraint(
                fields=["user", "role"], condition=models.Q(region__isnull=True, unit__isnull=True),
                name="grant_unique_unanchored", violation_error_message=_("该账号已有相同的授权。"),
            ),
            models.CheckConstraint(
                name="grant_one_anchor", condition=models.Q(region__isnull=True) | models.Q(unit__isnull=True),
                violation_error_message=_("授权区域与授权单位至多填写一个。"),
            ),
        ]

    def __str__(self) -> str:
        anchor = self.region or self.unit or _("全区")
        return f"{self.user} · {self.get_role_display()} · {anchor}"


class ContractQuerySet(ScopedQuerySet):
    scope_region_field = "region_code"
    scope_unit_field = "unit_id"
    scope_person_field = "person_id"

    def active_on(self, day):
        """Contracts in force on `day`."""
        return self.filter(starts_on__lte=day).filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day))


class Contract(RegionCoded, TimeStampedModel):
    """Contracting (包保): a leader or a unit answers for a region or a place for a period."""

    uid = models.UUIDField(_("标识"), default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        Person, verbose_name=_("包保人"), null=True, blank=True, on_delete=models.PROTECT, related_name="contracts"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("包保单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="contracts"
    )
    region = models.ForeignKey(
        "territory.Region", verbose_name=_("包保区域"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="contracts",
    )
    place = models.ForeignKey(
        "territory.Place", verbose_name=_("包保对象"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="contracts",
    )
    region_code = models.CharField(
        _("区域代码"), max_length=20, db_index=True, editable=False,
        help_text=_("包保区域的代码或包保对象所在网格的代码，用于按辖区查询"),
    )
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)
    letter_signed_on = models.DateField(_("责任状签订日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("包保关系")
        verbose_name_plural = _("包保关系")
        ordering = ["region_code", "starts_on"]
        constraints = [
            models.CheckConstraint(
                name="contract_one_contractor",
                condition=models.Q(person__isnull=False, unit__isnull=True)
                | models.Q(person__isnull=True, unit__isnull=False),
                violation_error_message=_("包保人与包保单位须且只须填写一个。"),
            ),
            models.CheckConstraint(
                name="contract_one_target",
                condition=models.Q(region__isnull=False, place__isnull=True)
                | models.Q(region__isnull=True, place__isnull=False),
                violation_error_message=_("包保区域与包保对象须且只须填写一个。"),
            ),
            models.CheckConstraint(
                name="contract_period_ordered",
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                violation_error_message=_("截止日期不能早于起始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.unit} → {self.region or self.place}"
