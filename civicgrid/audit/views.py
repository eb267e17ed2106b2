"""The office's audit page and its export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from civicgrid.audit.filters import AuditEventFilter
from civicgrid.audit.models import AuditEvent
from civicgrid.audit.services import export_workbook
from civicgrid.core.http import download
from civicgrid.core.scoping import is_office


def _office_only(request) -> None:
    if not is_office(request.user):
        raise Http404  # like records outside a scope: the page's existence does not leak


@login_required
def events(request):
    """Newest first, filtered by kind, user and date range; `?format=xlsx` downloads the same selection."""
    _office_only(request)
    selection = AuditEventFilter(request.GET, queryset=AuditEvent.objects.restrict(request.user)
                                 .select_related("actor"))
    if request.GET.get("format") == "xlsx":
        return download(export_workbook(selection.qs), f"audit-{timezone.localdate()}.xlsx")
    page = Paginator(selection.qs, 50).get_page(request.GET.get("page"))
    return render(request, "audit/events.html", {"filter": selection, "page": page})
