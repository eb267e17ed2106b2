"""Vocabularies of the case loop (domain.md §2), with state groups and badge colours."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ClassType(models.TextChoices):
    COMPONENT = "component", _("部件")
    EVENT = "event", _("事件")


class Source(models.TextChoices):
    INSPECTOR_PATROL = "inspector_patrol", _("监督员巡查")
    INSPECTION = "inspection", _("检查考评")
    UNDERCOVER = "undercover", _("第三方暗访")
    PUBLIC_REPORT = "public_report", _("公众举报")
    HOTLINE_12345 = "hotline_12345", _("12345热线")
    LEADER_ASSIGNMENT = "leader_assignment", _("领导交办")
    DEPARTMENT_TRANSFER = "department_transfer", _("部门移交")
    MEDIA = "media", _("媒体曝光")


# Reports from outside the supervision system are verified on site before filing.
SOURCES_NEEDING_VERIFICATION = frozenset({Source.PUBLIC_REPORT, Source.HOTLINE_12345, Source.MEDIA})


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")


class State(models.TextChoices):
    REPORTED = "reported", _("已上报")
    VERIFIED = "verified", _("已核实")
    FILED = "filed", _("已立案")
    HANDLING = "handling", _("处置中")
    RETURNED = "returned", _("已回退")
    EXTENSION_REQUESTED = "extension_requested", _("延期申请中")
    PARKED = "parked", _("挂账")
    HANDLED = "handled", _("已处置")
    CHECKED = "checked", _("核查通过")
    CLOSED = "closed", _("已结案")
    REJECTED = "rejected", _("不予立案")
    VOIDED = "voided", _("已作废")
    MERGED = "merged", _("已合并")


TERMINAL_STATES = frozenset({State.CLOSED, State.REJECTED, State.VOIDED, State.MERGED})
OPEN_STATES = frozenset(set(State) - TERMINAL_STATES)
# States in which the handling deadline runs (parked cases are excluded from disposal figures).
HANDLING_STATES = frozenset({State.HANDLING, State.EXTENSION_REQUESTED, State.RETURNED})
STATE_COLOURS = {
    State.REPORTED: "grey", State.VERIFIED: "grey", State.FILED: "blue", State.HANDLING: "orange",
    State.RETURNED: "red", State.EXTENSION_REQUESTED: "orange", State.PARKED: "purple", State.HANDLED: "teal",
    State.CHECKED: "teal", State.CLOSED: "green", State.REJECTED: "grey", State.VOIDED: "grey",
    State.MERGED: "grey",
}


class Action(models.TextChoices):
    """What an event of a case records: the actions of the loop (civicgrid.cases.workflow) and three that are
    not taken from a state: the report itself, an undercover finding published, a problem found again, a deadline
    recomputed, and what the public side adds (a citizen's update or rating, the office's review of a rating,
    hiding public content)."""

    REPORT = "report", pgettext_lazy("case action", "上报")
    VERIFY = "verify", pgettext_lazy("case action", "核实")
    FILE = "file", pgettext_lazy("case action", "立案")
    REJECT = "reject", pgettext_lazy("case action", "不予立案")
    DISPATCH = "dispatch", pgettext_lazy("case action", "派遣")
    RETURN = "return", pgettext_lazy("case action", "回退")
    REQUEST_EXTENSION = "request_extension", pgettext_lazy("case action", "申请延期")
    APPROVE_EXTENSION = "approve_extension", pgettext_lazy("case action", "批准延期")
    REFUSE_EXTENSION = "refuse_extension", pgettext_lazy("case action", "不批准延期")
    PARK = "park", pgettext_lazy("case action", "挂账")
    RESUME = "resume", pgettext_lazy("case action", "恢复处置")
    HANDLE = "handle", pgettext_lazy("case action", "处置完毕")
    CHECK_PASS = "check_pass", pgettext_lazy("case action", "核查通过")
    CHECK_FAIL = "check_fail", pgettext_lazy("case action", "核查不通过（返工）")
    CLOSE = "close", pgettext_lazy("case action", "结案")
    VOID = "void", pgettext_lazy("case action", "作废")
    MERGE = "merge", pgettext_lazy("case action", "合并为重复案件")
    PUBLISH = "publish", pgettext_lazy("case action", "发布暗访结果")
    FINDING = "finding", pgettext_lazy("case action", "再次发现")
    DEADLINE = "deadline", pgettext_lazy("case action", "按官方日历重算期限")
    CITIZEN_UPDATE = "citizen_update", pgettext_lazy("case action", "群众补充")
    FEEDBACK = "feedback", pgettext_lazy("case action", "群众评价")
    REOPEN = "reopen", pgettext_lazy("case action", "复核后重新处置")
    REVIEW_KEEP = "review_keep", pgettext_lazy("case action", "复核后维持结案")
    MODERATE = "moderate", pgettext_lazy("case action", "隐藏公开内容")


class CloseType(models.TextChoices):
    NORMAL = "normal", _("正常结案")
    OVERDUE = "overdue", _("超期结案")
    ERROR = "error", _("错误结案")
    SPECIAL = "special", _("特殊结案")


class PhotoRole(models.TextChoices):
    BEFORE = "before", _("处置前")
    AFTER = "after", _("处置后")
    EVIDENCE = "evidence", _("其他")
