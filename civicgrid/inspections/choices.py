"""Vocabularies of inspections (domain.md §3, §5)."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionKind(models.TextChoices):
    MORNING = "morning", _("晨检")
    NIGHT = "night", _("夜查")
    UNDERCOVER = "undercover", _("暗访")
    SPECIAL = "special", _("专项检查")
    SELF_CHECK = "self_check", _("自查")
    CHIEF_PATROL = "chief_patrol", _("五长巡查")
    RECHECK = "recheck", _("复查")


# Default time windows (local time); a plan may set its own.
DEFAULT_WINDOWS = {
    InspectionKind.MORNING: (dt.time(6, 0), dt.time(9, 0)),
    InspectionKind.NIGHT: (dt.time(19, 0), dt.time(23, 0)),
}
ALL_DAY = (dt.time(0, 0), dt.time(23, 59))


class Method(models.TextChoices):
    OBSERVE = "observe", _("实地察看")
    MEASURE = "measure", _("测量")
    ASK = "ask", _("询问")


class StandardStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ACTIVE = "active", _("施行")
    RETIRED = "retired", _("停用")


class Recurrence(models.TextChoices):
    ONCE = "once", _("一次")
    DAILY = "daily", _("每天")
    WORKING_DAYS = "working_days", _("工作日")
    WEEKLY = "weekly", _("每周")


class Selection(models.TextChoices):
    LISTED = "listed", _("指定点位")
    TYPE_IN_REGION = "type_in_region", _("区域内某类点位")
    RANDOM_DRAW = "random_draw", _("随机抽取点位")


class Outcome(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")
    NA = "na", _("不适用")


class InspectionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("检查中")
    SUBMITTED = "submitted", _("已提交")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    PUBLISHED = "published", _("已发布")
