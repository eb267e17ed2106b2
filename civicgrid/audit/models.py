"""Audit events (等保 2.0 security audit): rows are written once and never changed or removed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.core.scoping import OfficeOnly, ScopedQuerySet


class AuditKind(models.TextChoices):
    LOGIN_SUCCESS = "login_success", _("登录成功")
    LOGIN_FAILURE = "login_failure", _("登录失败")
    LOGIN_LOCKED = "login_locked", _("账号锁定")
    LOGOUT = "logout", _("退出登录")
    ACCOUNT_UNLOCKED = "account_unlocked", _("账号解锁")
    OTP_ENROLLED = "otp_enrolled", _("启用两步验证")
    OTP_REMOVED = "otp_removed", _("停用两步验证")
    OTP_FAILURE = "otp_failure", _("验证码错误")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    GRANT_CHANGED = "grant_changed", _("授权变更")
    EXPORT = "export", _("导出")
    IMPORT = "import", _("导入")
    PUBLICATION = "publication", _("发布")
    FIELD_SESSION_REVOKED = "field_session_revoked", _("撤销外勤设备")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(ScopedQuerySet):
    """The trail is the campaign office's to read, on every read path (page, export, API)."""

    territorial = False
    gates = (OfficeOnly(),)

    def update(self, **kwargs):
        # The one change allowed: Django's SET_NULL when the actor's account is deleted
        # (the event keeps the actor's username as text).
        if set(kwargs) == {"actor"} and kwargs["actor"] is None:
            return super().update(**kwargs)
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("账号"))
    # The account the event concerns, kept as text so the trail survives the account's deletion;
    # for a failed login of an unknown name, the name that was tried.
    actor_username = models.CharField(_("用户名"), max_length=150, blank=True, db_index=True)
    kind = models.CharField(_("类型"), max_length=32, choices=AuditKind.choices)
    address = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    target = models.CharField(_("对象"), max_length=255, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["kind", "-at"], name="audit_kind_at")]  # the page's kind filter

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.actor_username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")

    def target_display(self) -> str:
        """The target in words: `briefing:3` reads 简报 3; a username or anything unknown stays as recorded."""
        kind, _colon, rest = self.target.partition(":")
        if kind in TARGET_LABELS:
            return f"{TARGET_LABELS[kind]} {rest}".strip()
        return self.target

    def detail_lines(self) -> list[tuple[str, str]]:
        """The details in words: known keys and values by their names, anything else as it was recorded;
        empty values are left out."""
        lines = []
        # In a fixed order: PostgreSQL's jsonb keeps keys in an order of its own.
        order = {key: index for index, key in enumerate(DETAIL_LABELS)}
        for key, value in sorted((self.detail or {}).items(), key=lambda item: (order.get(item[0], 99), item[0])):
            if value in (None, "", [], {}):
                continue
            if isinstance(value, dict):
                value = "，".join(f"{k}={v}" for k, v in value.items())
            elif key in VALUE_LABELS and value in VALUE_LABELS[key]:
                value = VALUE_LABELS[key][value]
            elif isinstance(value, str):
                value = DETAIL_VALUES.get(value, value)
            lines.append((DETAIL_LABELS.get(key, key), value))
        return lines


DETAIL_LABELS = {
    "change": _("变更"), "role": _("角色"), "region": _("区域"), "unit": _("单位"), "device": _("设备"),
    "via": _("途径"), "rows": _("行数"), "filters": _("筛选条件"), "title": _("标题"), "start": _("开始日期"),
    "end": _("结束日期"), "created": _("新增"), "updated": _("更新"), "problems": _("问题数"), "items": _("条目数"),
    "audience": _("公开范围"), "reason": _("原因"), "failures": _("失败次数"), "username": _("用户名"),
    "cases": _("案件数"), "opened": _("新开案件"), "added": _("追加发现"),
}
DETAIL_VALUES = {"page": _("网页登录"), "field": _("外勤应用"), "token": _("接口令牌"), "public": _("公众"), "added": _("新增"),
                 "changed": _("修改"), "removed": _("删除"), "password": _("密码错误"), "otp": _("动态码错误")}
# Labels for the codes of one detail key, registered by the apps that record them (audit sits below them).
VALUE_LABELS: dict[str, dict] = {}
TARGET_LABELS = {"regions": _("区域"), "cases": _("案件"), "rulebook": _("立案标准"), "briefing": _("简报"),
                 "bulletin": _("通报"), "ledger": _("台账"), "standard": _("测评标准"), "coverage": _("覆盖报告"),
                 "assessment round": _("暗访轮次")}

