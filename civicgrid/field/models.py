"""A field device's session: how an installed field app reaches the API while its web session may have expired.

The device holds a random key (shown once, kept in its IndexedDB); the database keeps only its SHA-256. A session
lasts FIELD_SESSION_DAYS, and the office can revoke it: the next sync is refused and the app clears the device.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.core.scoping import Gate, Owned, ScopedQuerySet, is_office


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class OfficeOrOwner(Gate):
    """The office sees every device; a user sees their own."""

    def condition(self, user, action: str) -> Q | bool:
        if not (user is not None and user.is_authenticated):
            return False
        return True if is_office(user) else Owned("user").condition(user, action)


class FieldSessionQuerySet(ScopedQuerySet):
    territorial = False
    gates = (OfficeOrOwner(),)

    def live(self, now=None):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class FieldSession(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="field_sessions")
    key_digest = models.CharField(_("密钥摘要"), max_length=64, unique=True)
    device = models.CharField(_("设备"), max_length=200, blank=True, help_text=_("浏览器报告的设备信息"))
    created_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    last_seen_at = models.DateTimeField(_("最近同步"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("撤销人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = FieldSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("外勤设备会话")
        verbose_name_plural = _("外勤设备会话")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.device[:40]}"

    @property
    def live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
