"""Login counters and lockout state, in the database so every worker process shares them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginThrottle(models.Model):
    """Attempts counted in a fixed window for one key: an address, or an address and a username."""

    key = models.CharField(max_length=255, primary_key=True)
    window_start = models.DateTimeField(db_index=True)  # old windows are swept by this
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("登录计数")
        verbose_name_plural = _("登录计数")

    def __str__(self):
        return self.key


class AccountLockout(models.Model):
    """Consecutive failed logins of one account (from any address) and, once too many, when it was locked."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="lockout", verbose_name=_("账号"))
    failures = models.PositiveIntegerField(_("连续失败次数"), default=0)
    last_failure_at = models.DateTimeField(_("最近失败时间"), null=True, blank=True)
    last_failure_address = models.GenericIPAddressField(_("最近失败地址"), null=True, blank=True)
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("账号锁定")
        verbose_name_plural = _("账号锁定")

    def __str__(self):
        return self.user.get_username()

    @property
    def locked(self) -> bool:
        return self.locked_at is not None
