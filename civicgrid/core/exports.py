"""Exports as jobs: a large export is written in the background while the page shows its progress, then offers
the file (Saleor's pattern). Small exports are answered at once by the page that asked.

An app declares an export kind once (`register`): its title, columns, the rows a user may export for some
parameters, and how a row reads. The same declaration serves the direct download and the job.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.core import excel
from civicgrid.core.scoping import Owned, ScopedQuerySet
from civicgrid.core.tasks import enqueue_background

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportKind:
    title: str
    columns: list[excel.Column]
    select: Callable  # (user, params) -> queryset the user may export
    read: Callable  # (queryset) -> the rows' cells; reads plain values (values_list), not model instances
    filename: Callable[[dict], str]

    def rows(self, queryset) -> Iterable[Iterable[object]]:
        return self.read(queryset[: excel.MAX_ROWS])


KINDS: dict[str, ExportKind] = {}
STALLED_AFTER = dt.timedelta(hours=1)


def register(kind: str, spec: ExportKind) -> None:
    KINDS[kind] = spec


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ExportJobQuerySet(ScopedQuerySet):
    territorial = False
    gates = (Owned("owner"),)


class ExportJob(models.Model):
    """One background export: who asked, for what, how far it got, and the file."""

    uid = models.UUIDField(_("标识"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("类型"), max_length=40)
    params = models.JSONField(_("条件"), default=dict, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE,
                              related_name="export_jobs")
    status = models.CharField(_("状态"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    rows_done = models.PositiveIntegerField(_("已写行数"), default=0)
    file = models.FileField(_("文件"), upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        app_label = "core"
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, round(100 * self.rows_done / self.rows_total)) if self.rows_total else 0

    @property
    def stalled(self) -> bool:
        """Still pending or running long after any export would have ended: its process died (a restart)."""
        return self.status in (ExportStatus.PENDING, ExportStatus.RUNNING) and \
            self.created_at < timezone.now() - STALLED_AFTER

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED) or self.stalled


def start(user, kind: str, params: dict, total: int) -> ExportJob:
    """Queue an export; it runs after the request's transaction commits (a Celery worker or a thread)."""
    job = ExportJob.objects.create(kind=kind, params=params, owner=user, rows_total=min(total, excel.MAX_ROWS),
                                   filename=KINDS[kind].filename(params))
    enqueue_background("civicgrid.core.exports.run", job.pk)
    return job


def run(job_id: int) -> None:
    """Write the job's workbook, recording progress as it goes. Claimed with a conditional update, so a job
    queued twice is written once."""
    if not ExportJob.objects.filter(pk=job_id, status=ExportStatus.PENDING).update(status=ExportStatus.RUNNING):
        return
    job = ExportJob.objects.select_related("owner").get(pk=job_id)

    def progress(rows: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=rows)

    try:
        spec = KINDS[job.kind]
        with tempfile.TemporaryFile() as scratch:
            written = excel.write_to(scratch, [(spec.title, spec.columns, spec.rows(spec.select(job.owner, job.params)))],
                                     progress=progress)
            scratch.seek(0)
            job.file.save(job.filename, File(scratch), save=False)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.DONE, rows_done=written, rows_total=written,
                                                   file=job.file.name, finished_at=timezone.now())
    except Exception as exc:  # the page shows that it failed; the log has the traceback
        log.exception("export %s failed", job.uid)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, error=exc.__class__.__name__,
                                                   finished_at=timezone.now())


def abandon_stale() -> int:
    """Housekeeping (`civicgrid tick`): record as failed the jobs whose process died mid-way; their pages already
    say so (`ExportJob.stalled`)."""
    return ExportJob.objects.filter(status__in=[ExportStatus.PENDING, ExportStatus.RUNNING],
                                    created_at__lt=timezone.now() - STALLED_AFTER).update(
        status=ExportStatus.FAILED, error="abandoned", finished_at=timezone.now())
