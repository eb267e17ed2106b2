"""Who hears of what, and how: each person's channels and quiet hours, units' group robots, and a record of
every send with its outcome (the outbox the office reads)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.core.scoping import OfficeOnly, ScopedQuerySet


class Channel(models.TextChoices):
    INAPP = "inapp", _("站内消息")
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")


PERSONAL_CHANNELS = (Channel.INAPP, Channel.SMS, Channel.EMAIL)


class Status(models.TextChoices):
    PENDING = "pending", _("待发送")
    DEFERRED = "deferred", _("免打扰时段后发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("失败，待重试")
    ABANDONED = "abandoned", _("多次失败，已放弃")


class Preference(models.Model):
    """A staff member's channels and quiet hours (in-app messages are always kept)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE,
                                related_name="notification_preference")
    channels = models.JSONField(_("接收渠道"), default=list, blank=True, help_text=_("站内消息之外的渠道：短信、电子邮件"))
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮件"), blank=True)
    quiet_start = models.TimeField(_("免打扰开始"), null=True, blank=True)
    quiet_end = models.TimeField(_("免打扰结束"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return str(self.user)


class Robot(models.TextChoices):
    WECOM = "wecom", _("企业微信")
    DINGTALK = "dingtalk", _("钉钉")


class GroupRobot(models.Model):
    """A unit's WeChat Work or DingTalk group robot: the unit's dispatches and warnings are posted to the group."""

    unit = models.ForeignKey("organizations.Unit", verbose_name=_("单位"), on_delete=models.CASCADE,
                             related_name="group_robots")
    provider = models.CharField(_("平台"), max_length=10, choices=Robot.choices)
    webhook_url = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(_("加签密钥"), max_length=200, blank=True, help_text=_("钉钉机器人“加签”安全设置的密钥"))
    kinds = models.JSONField(_("推送类型"), default=list, blank=True, help_text=_("为空则推送全部类型"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")

    def __str__(self) -> str:
        return f"{self.unit} {self.get_provider_display()}"


class DeliveryQuerySet(ScopedQuerySet):
    territorial = False
    gates = (OfficeOnly(),)


class Delivery(models.Model):
    """One message to one address over one channel, with every attempt's outcome."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    kind = models.CharField(_("类型"), max_length=20)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收账号"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="deliveries")
    address = models.CharField(_("接收地址"), max_length=500, help_text=_("手机号、邮箱或群机器人地址"))
    case_number = models.CharField(_("案件编号"), max_length=32, blank=True, db_index=True)
    body = models.TextField(_("内容"))
    params = models.JSONField(_("模板参数"), default=dict, blank=True)
    urgent = models.BooleanField(_("不受免打扰限制"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送时间"))
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    provider_reference = models.CharField(_("平台回执"), max_length=100, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due",
                                condition=models.Q(status__in=["pending", "deferred", "failed"]))]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address}: {self.kind}"
