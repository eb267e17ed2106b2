"""Assessment pages: the dashboard and the command view, indicators, bulletins, accountability."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civicgrid import audit
from civicgrid.assessment import bulletins, dashboard, services
from civicgrid.assessment.indicators import LABELS, LEVELS
from civicgrid.assessment.models import Accountability, AccountabilityKind, Bulletin, ScoringScheme
from civicgrid.core.exceptions import Conflict, message_text
from civicgrid.core.http import download
from civicgrid.core.scoping import is_office
from civicgrid.core.validators import supported_date
from civicgrid.workcal.periods import period_from_query

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _period(request) -> tuple[dt.date, dt.date]:
    return period_from_query(request.GET)


@login_required
def dashboard_page(request):
    return render(request, "assessment/dashboard.html", {"data": dashboard.data(request.user)})


@login_required
def command_page(request):
    """The full-screen command view (大屏); it refreshes its figures every minute."""
    return render(request, "assessment/command.html", {"data": dashboard.data(request.user)})


@login_required
def dashboard_data(request):
    return JsonResponse(dashboard.data(request.user))


@login_required
def grid_outlines(request):
    return JsonResponse(dashboard.grid_outlines(request.user), content_type="application/geo+json")


LEVEL_LABELS = {"street": gettext_lazy("街道"), "community": gettext_lazy("社区"),
                "department": gettext_lazy("职能部门"), "post": gettext_lazy("岗位")}


@login_required
def indicators_page(request):
    start, end = _period(request)
    level = request.GET.get("level", "street")
    level = level if level in LEVELS else "street"
    schemes = ScoringScheme.objects.all()
    scheme = request.GET.get("scheme") or None
    try:
        result = services.compute(request.user, level, start, end, scheme)
    except ValidationError:
        result = services.compute(request.user, level, start, end)
    return render(request, "assessment/indicators.html", {
        "result": result, "start": start, "end": end, "level": level,
        "levels": [(value, LEVEL_LABELS[value]) for value in LEVELS], "schemes": schemes,
        "labels": LABELS, "keys": list(LABELS)})


class DraftForm(forms.Form):
    level = forms.ChoiceField(label=gettext_lazy("考核层级"), choices=[(v, LEVEL_LABELS[v]) for v in LEVELS])
    start = forms.DateField(label=gettext_lazy("开始日期"), widget=DATE, validators=[supported_date])
    end = forms.DateField(label=gettext_lazy("结束日期"), widget=DATE, validators=[supported_date])
    scheme = forms.ModelChoiceField(ScoringScheme.objects.all(), label=gettext_lazy("计分方案"),
                                    to_field_name="slug", required=False)


@login_required
def bulletin_list(request):
    today = timezone.localdate()
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    form = DraftForm(request.POST or None, initial={"level": "street", "start": first,
                                                    "end": today.replace(day=1) - dt.timedelta(days=1)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bulletin = bulletins.draft(request.user, level=data["level"], start=data["start"], end=data["end"],
                                       scheme=data["scheme"].slug if data["scheme"] else None)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, message_text(exc))
        else:
            return redirect("bulletin-detail", pk=bulletin.pk)
    return render(request, "assessment/bulletins.html", {"bulletins": Bulletin.objects.restrict(request.user),
                                                          "form": form,
                                                          "may_write": is_office(request.user)})


def _bulletin(request, pk) -> Bulletin:
    return get_object_or_404(Bulletin.objects.restrict(request.user), pk=pk)


@login_required
def bulletin_detail(request, pk):
    bulletin = _bulletin(request, pk)
    if request.method == "POST" and is_office(request.user):
        try:
            bulletins.update(request.user, bulletin, title=request.POST.get("title"), body=request.POST.get("body"))
        except (Conflict, ValidationError, PermissionDenied) as exc:
            messages.error(request, message_text(exc))
        else:
            messages.success(request, _("已保存。"))
        return redirect("bulletin-detail", pk=bulletin.pk)
    return render(request, "assessment/bulletin.html", {
        "bulletin": bulletin, "may_write": is_office(request.user), "paper": bulletins.document(bulletin),
        "ranked": [u for u in bulletin.rankings if u.get("rank") is not None]})


@login_required
@require_POST
def bulletin_preview(request, pk):
    """The draft as it will print, with the text being edited (not saved): the editor's live preview."""
    bulletin = _bulletin(request, pk)
    return render(request, "web/_paper.html", {"paper": bulletins.preview(request.user, bulletin,
                                                                          request.POST.get("body", ""))})


@login_required
@require_POST
def bulletin_publish(request, pk):
    bulletin = _bulletin(request, pk)
    try:
        bulletins.publish(request.user, bulletin)
    except (Conflict, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已发布：被点名的单位现在可在首页看到这份通报。"))
    return redirect("bulletin-detail", pk=bulletin.pk)


@login_required
@require_POST
def bulletin_make_public(request, pk):
    bulletin = _bulletin(request, pk)
    try:
        bulletins.make_public(request.user, bulletin)
    except (Conflict, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已向公众公开：公众和店长等账号现在也可阅读。"))
    return redirect("bulletin-detail", pk=bulletin.pk)


@login_required
@require_POST
def bulletin_correct(request, pk):
    bulletin = _bulletin(request, pk)
    try:
        correction = bulletins.correct(request.user, bulletin)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("bulletin-detail", pk=bulletin.pk)
    messages.success(request, _("已生成更正版本 v%(version)d（草稿），原通报保持不变。") % {"version": correction.version})
    return redirect("bulletin-detail", pk=correction.pk)


@login_required
def bulletin_docx(request, pk):
    bulletin = _bulletin(request, pk)
    audit.record("export", request=request, target=f"bulletin:{bulletin.pk}")
    return download(bulletins.docx(bulletin), f"bulletin-{bulletin.pk}-v{bulletin.version}.docx")


class AccountabilityForm(forms.ModelForm):
    class Meta:
        model = Accountability
        fields = ["kind", "decided_on", "unit", "region_code", "reason"]  # people and cases: in the admin
        widgets = {"decided_on": DATE}


@login_required
def accountability_list(request):
    form = AccountabilityForm(request.POST or None, initial={"decided_on": timezone.localdate(),
                                                            "kind": AccountabilityKind.INTERVIEW})
    if request.method == "POST" and form.is_valid():
        try:
            bulletins.record_accountability(request.user, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, message_text(exc))
        else:
            messages.success(request, _("已记录。"))
            return redirect("accountability")
    records = Accountability.objects.restrict(request.user).select_related("unit", "person").order_by("-decided_on")
    return render(request, "assessment/accountability.html", {"records": records[:500], "form": form,
                                                               "may_write": is_office(request.user)})
