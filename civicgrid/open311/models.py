import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_key() -> str:
    return secrets.token_urlsafe(24)


class ApiKey(models.Model):
    """A key that lets a client (portal, app, 12345 system) POST service requests."""

    key = models.CharField(_("密钥"), max_length=64, unique=True, default=new_key)
    name = models.CharField(_("客户端名称"), max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("代表账号"), null=True, blank=True,
                             on_delete=models.SET_NULL, help_text=_("以该账号身份登记案件；为空则匿名"))
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 密钥")
        verbose_name_plural = _("Open311 密钥")

    def __str__(self) -> str:
        return self.name


class Submission(models.Model):
    """The first answer to a POST that carried an Idempotency-Key (or FixMyStreet's own update_id), per API key.

    Written in the same transaction as the case or update it answers, so a retry either finds it or finds
    nothing was created. The core idempotency record is keyed by user, and an API key may have none."""

    api_key = models.ForeignKey(ApiKey, verbose_name=_("密钥"), on_delete=models.CASCADE, related_name="submissions")
    key = models.CharField(_("幂等键"), max_length=200)
    fingerprint = models.CharField(_("请求指纹"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("状态码"), default=0)
    rows = models.JSONField(_("响应"), default=list)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 提交记录")
        verbose_name_plural = _("Open311 提交记录")
        constraints = [models.UniqueConstraint(fields=["api_key", "key"], name="open311_submission_unique_key")]

    def __str__(self) -> str:
        return self.key
