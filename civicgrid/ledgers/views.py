"""Ledger pages: the ledgers, one ledger with its filters, import and export, and expiring health certificates."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civicgrid.core.excel import ExcelError
from civicgrid.core.http import download
from civicgrid.core.scoping import scope_for
from civicgrid.core.validators import is_supported_date
from civicgrid.ledgers import services
from civicgrid.ledgers.models import StaffMember
from civicgrid.ledgers.specs import LEDGERS


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel文件"))
    good_rows_only = forms.BooleanField(label=_("有错误时只导入正确的行"), required=False)


def _date(value: str | None) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return day if is_supported_date(day) else None


def _filters(request) -> dict:
    return {"region": request.GET.get("region", "").strip(), "start": _date(request.GET.get("start")),
            "end": _date(request.GET.get("end")), "kind": request.GET.get("kind", ""),
            "work_kind": request.GET.get("work_kind", "")}


YES_NO = ("是", "否")


@login_required
def index(request):
    ledgers = [(slug, gettext(spec.title), services.records(slug, request.user).count())
               for slug, spec in LEDGERS.items()]
    return render(request, "ledgers/index.html", {"ledgers": ledgers})


@login_required
def ledger(request, slug):
    spec = services.spec_for(slug)
    filters = _filters(request)
    if request.GET.get("format") == "xlsx":
        return download(services.export(slug, request.user, **filters), f"{slug}.xlsx")
    if request.GET.get("format") == "template":
        return download(services.template(slug), f"{slug}-template.xlsx")
    form = ImportForm(request.POST or None, request.FILES or None)
    report, error = None, ""
    if request.method == "POST" and form.is_valid():
        try:
            report = services.import_ledger(slug, form.cleaned_data["file"], request.user,
                                            good_rows_only=form.cleaned_data["good_rows_only"])
        except (ExcelError, PermissionDenied) as exc:
            error = str(exc)
    queryset = services.records(slug, request.user, **filters).order_by("-pk")
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    # The page shows the export's rows (what a re-import reads), with its 是/否 in the reader's language.
    rows = [(spec.place_code(obj), [_(value) if value in YES_NO else value for value in row])
            for obj in page for row in spec.export_rows(obj)]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(request, "ledgers/ledger.html", {
        "spec": spec, "title": gettext(spec.title), "headers": [gettext(c.header) for c in spec.columns],
        "slug": slug, "page": page, "rows": rows, "filters": filters, "form": form, "report": report,
        "error": error, "query": query.urlencode(), "may_import": not scope_for(request.user, "change").is_empty,
        "coverage": services.publicity_coverage(request.user, region=filters["region"], on=filters["end"])
        if slug == "publicity" else None,
        "by_category": services.by_category(queryset) if slug == "small-businesses" else None})


@login_required
def certificates(request):
    """Health certificates that have expired or expire within 30 days, in the user's scope."""
    today = timezone.localdate()
    staff = StaffMember.objects.restrict(request.user).select_related("business__place").order_by(
        "certificate_expires_on")
    return render(request, "ledgers/certificates.html", {
        "expired": staff.filter(certificate_expires_on__lt=today)[:500],
        "expiring": staff.filter(certificate_expires_on__gte=today,
                                 certificate_expires_on__lte=today + dt.timedelta(days=30))[:500],
        "missing": staff.filter(certificate_expires_on__isnull=True)[:500], "today": today})
