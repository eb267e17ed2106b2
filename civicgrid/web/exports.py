"""The progress page of a background export and its download: the owner's alone (404 for anyone else)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from civicgrid.core.exports import ExportJob, ExportStatus
from civicgrid.core.http import CONTENT_TYPES, serve_stored_file
from civicgrid.core.scoping import get_in_scope


def _own(request, uid) -> ExportJob:
    return get_in_scope(ExportJob.objects, request.user, "view", uid=uid)


@login_required
def job(request, uid):
    """Polled by htmx every second until the file is ready (the partial alone on an htmx request)."""
    found = _own(request, uid)
    template = "web/_export_job.html" if request.headers.get("HX-Request") else "web/export_job.html"
    return render(request, template, {"job": found})


@login_required
def download(request, uid):
    found = _own(request, uid)
    if found.status != ExportStatus.DONE or not found.file:
        raise Http404("not ready")
    response = serve_stored_file(request, found.file.storage, found.file.name,
                                 content_type=CONTENT_TYPES["xlsx"], etag=f"export-{found.uid.hex}")
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    return response
