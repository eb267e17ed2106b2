"""Abstract building blocks shared by the domain apps, and the idempotency record."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.core.exports import ExportJob  # noqa: F401  (registered here for migrations)
from civicgrid.core.idempotency import IdempotencyRecord  # noqa: F401  (registered here for migrations)


class TimeStampedModel(models.Model):
    """Adds creation and modification times (stored in UTC)."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True
