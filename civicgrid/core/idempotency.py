"""Idempotency keys: a retried request returns the first answer and changes nothing twice.

The key row is inserted in the same transaction as the work it guards. A concurrent retry
either waits on the unique index (PostgreSQL) or on the write lock (SQLite), then finds the
stored answer. A failed request rolls back its key, so it can be retried.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.response import Response

HEADER = "Idempotency-Key"


class IdempotencyRecord(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE)
    key = models.CharField(_("幂等键"), max_length=200)
    fingerprint = models.CharField(_("请求指纹"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("状态码"), default=0)
    body = models.JSONField(_("响应"), null=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        app_label = "core"
        verbose_name = _("幂等记录")
        verbose_name_plural = _("幂等记录")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_key")]

    def __str__(self) -> str:
        return self.key


def fingerprint(request) -> str:
    """What makes two requests "the same": method, path and body (files by name and size)."""
    data = request.data
    parts = {"method": request.method, "path": request.path}
    if hasattr(data, "lists"):
        parts["data"] = sorted((k, [str(v) for v in vs]) for k, vs in data.lists() if k != "photos")
    else:
        parts["data"] = data
    files = getattr(request, "FILES", None)
    if files:
        parts["files"] = sorted((k, f.name, f.size) for k in files for f in files.getlist(k))
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def idempotent(view_method):
    """Wrap a DRF view method so that an Idempotency-Key makes it safe to retry."""

    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return view_method(self, request, *args, **kwargs)
        if len(key) > 200:
            return Response({"Idempotency-Key": ["at most 200 characters"]}, status=status.HTTP_400_BAD_REQUEST)
        print_ = fingerprint(request)
        stored = _stored(request.user, key)
        if stored is not None:
            return _replay(stored, print_)
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(user=request.user, key=key, fingerprint=print_)
                response = view_method(self, request, *args, **kwargs)
                if response.status_code >= 500:
                    transaction.set_rollback(True)
                    return response
                record.status_code, record.body = response.status_code, response.data
                record.save(update_fields=["status_code", "body"])
                return response
        except IntegrityError:
            stored = _stored(request.user, key)
            if stored is None:
                raise
            return _replay(stored, print_)

    wrapper.__name__ = view_method.__name__
    wrapper.__doc__ = view_method.__doc__
    return wrapper


def _stored(user, key):
    return IdempotencyRecord.objects.filter(user=user, key=key).exclude(status_code=0).first()


def _replay(record: IdempotencyRecord, print_: str) -> Response:
    if record.fingerprint != print_:
        return Response(
            {"Idempotency-Key": ["this key was already used for a different request"]},
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    response = Response(record.body, status=record.status_code)
    response["Idempotent-Replayed"] = "true"
    return response
