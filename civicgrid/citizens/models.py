"""The public side of a case: who reported it from outside (a verified phone, an account, or nobody), the secret
that lets them follow it, what the office hid from the public, and the reporter's rating of the outcome."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.core.scoping import OfficeOnly, ScopedQuerySet


class OfficeRecords(ScopedQuerySet):
    """Read in bulk only by the office (the office's page of reports and blocks). A reporter reaches their own
    report by its link or their account (citizens.services), staff through the case they may see."""

    territorial = False
    gates = (OfficeOnly(),)


def new_secret() -> str:
    return secrets.token_urlsafe(12)


def address_digest(address: str) -> str:
    """Client addresses are kept only as a keyed digest: enough to count and block, nothing to read back."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    FAIRLY = "fairly", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class Review(models.TextChoices):
    NONE = "", _("无需复核")
    PENDING = "pending", _("待复核")
    REOPENED = "reopened", _("已重新处置")
    KEPT = "kept", _("维持结案")


class PublicReport(models.Model):
    """A case reported by the public: its tracking secret, its reporter's contact and rating, and moderation."""

    case = models.OneToOneField("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE,
                                related_name="public_report")
    secret = models.CharField(_("查询密钥"), max_length=32, default=new_secret, editable=False,
                              help_text=_("与案件编号一起组成查询链接"))
    phone = models.CharField(_("已验证手机号"), max_length=20, blank=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("公众账号"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="public_reports")
    client_digest = models.CharField(_("来源地址摘要"), max_length=32, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)
    text_hidden = models.BooleanField(_("隐藏描述"), default=False, help_text=_("公开页面不显示描述（原文保留备查）"))
    hidden_photos = models.JSONField(_("隐藏的照片"), default=list, blank=True, help_text=_("不公开的照片标识"))
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices, blank=True)
    comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    review = models.CharField(_("复核"), max_length=10, choices=Review.choices, blank=True)
    reviewed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)

    objects = OfficeRecords.as_manager()

    class Meta:
        verbose_name = _("公众举报")
        verbose_name_plural = _("公众举报")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["review"], name="public_report_review", condition=~models.Q(review=""))]

    def __str__(self) -> str:
        return str(self.case)


class PhoneCode(models.Model):
    """A one-time code sent to a phone: stored as a digest, valid for minutes, a few attempts."""

    phone = models.CharField(_("手机号"), max_length=20, db_index=True)
    digest = models.CharField(_("验证码摘要"), max_length=64)
    client_digest = models.CharField(_("来源地址摘要"), max_length=32, db_index=True)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.phone} {self.created_at:%Y-%m-%d %H:%M}"


class BlockKind(models.TextChoices):
    PHONE = "phone", _("手机号")
    ACCOUNT = "account", _("账号")
    ADDRESS = "address", _("来源地址")


class Block(models.Model):
    """An abusive number, account or client address the office has blocked from reporting."""

    kind = models.CharField(_("类型"), max_length=10, choices=BlockKind.choices)
    value = models.CharField(_("值"), max_length=150, help_text=_("手机号、账号名，或来源地址摘要"))
    reason = models.CharField(_("原因"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    active = models.BooleanField(_("生效"), default=True)

    objects = OfficeRecords.as_manager()

    class Meta:
        verbose_name = _("封禁")
        verbose_name_plural = _("封禁")
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="block_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"
