"""Vocabularies of the territory app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Levels of the region tree, top to bottom."""

    DISTRICT = "district", _("区")
    STREET = "street", _("街道")
    COMMUNITY = "community", _("社区")
    GRID = "grid", _("网格")

    @classmethod
    def parent_of(cls, level: "Level") -> "Level | None":
        order = list(cls)
        index = order.index(cls(level))
        return order[index - 1] if index else None

    @classmethod
    def child_of(cls, level: "Level") -> "Level | None":
        order = list(cls)
        index = order.index(cls(level))
        return order[index + 1] if index + 1 < len(order) else None


class AreaClass(models.TextChoices):
    """Area classes that set handling time limits (domain.md §2): A core, B general, C outer."""

    A = "A", _("A类（核心区域）")
    B = "B", _("B类（一般区域）")
    C = "C", _("C类（边缘区域）")


class GeometryKind(models.TextChoices):
    """What shape a kind of place is usually drawn as."""

    POINT = "point", _("点")
    LINE = "line", _("线")
    POLYGON = "polygon", _("面")
