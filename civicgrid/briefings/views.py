"""Briefing pages: list and draft, edit the text around the figures, preview, publish, download."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civicgrid.briefings import figures as figure_service
from civicgrid.briefings import services
from civicgrid.briefings.models import Briefing
from civicgrid.core.exceptions import Conflict, message_text
from civicgrid.core.http import download
from civicgrid.core.scoping import is_office
from civicgrid.core.validators import supported_date
from civicgrid.territory.models import Region

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class BriefingForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200)
    region = forms.ModelChoiceField(Region.objects.filter(level__in=["district", "street"]).order_by("code"),
                                    label=gettext_lazy("区域"), to_field_name="code")
    start = forms.DateField(label=gettext_lazy("开始日期"), widget=DATE, validators=[supported_date])
    end = forms.DateField(label=gettext_lazy("结束日期"), widget=DATE, validators=[supported_date])


class TemplateForm(BriefingForm):
    template = forms.CharField(label=gettext_lazy("正文"), widget=forms.Textarea(attrs={"rows": 18}))


def _visible(user):
    return Briefing.objects.restrict(user).select_related("region")


@login_required
def briefing_list(request):
    today = timezone.localdate()
    form = BriefingForm(request.POST or None, initial={
        "title": _("三城联创工作进展情况"), "region": settings.DISTRICT_CODE, "start": today.replace(month=1, day=1),
        "end": today})
    if request.method == "POST" and form.is_valid():
        try:
            briefing = services.create_briefing(request.user, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, message_text(exc))
        else:
            return redirect("briefing-detail", pk=briefing.pk)
    return render(request, "briefings/list.html", {
        "briefings": _visible(request.user).order_by("-end", "-id"), "form": form,
        "may_write": is_office(request.user)})


@login_required
def briefing_detail(request, pk):
    briefing = get_object_or_404(_visible(request.user), pk=pk)
    form = None
    if is_office(request.user) and not briefing.published:
        form = TemplateForm(request.POST or None, initial={
            "title": briefing.title, "region": briefing.region.code, "start": briefing.start, "end": briefing.end,
            "template": briefing.template})
        if request.method == "POST" and form.is_valid():
            try:
                services.update_briefing(request.user, briefing, **form.cleaned_data)
            except (PermissionDenied, ValidationError, Conflict) as exc:
                messages.error(request, message_text(exc))
            else:
                messages.success(request, _("已保存。"))
                return redirect("briefing-detail", pk=briefing.pk)
    return render(request, "briefings/detail.html", {
        "briefing": briefing, "form": form, "html": mark_safe(services.html_for(briefing, request.user)),
        "paper": services.document(briefing, request.user), "figures": _figure_menu(), "syntax": PLACEHOLDER_SYNTAX,
        "may_write": is_office(request.user)})


# How a placeholder is written, shown as typed (Chinese in either language: it goes into the Chinese text).
PLACEHOLDER_SYNTAX = {"example": mark_safe('<code lang="zh-Hans">{{包保区领导人数}}</code>'),
                      "suffix": mark_safe('<code lang="zh-Hans">.数字</code>')}


def _figure_menu() -> list[dict]:
    """What the editor offers to insert: each figure by its Chinese placeholder name, with its unit."""
    return [{"name": figure_service.PLACEHOLDER_NAMES[d.key], "label": d.label, "unit": d.unit}
            for d in figure_service.DEFINITIONS]


@login_required
@require_POST
def briefing_preview(request, pk):
    """The draft as it will print, with the text being edited (not saved): the editor's live preview."""
    briefing = get_object_or_404(_visible(request.user), pk=pk)
    try:
        paper = services.preview(request.user, briefing, request.POST.get("template", ""))
    except ValidationError as exc:
        return render(request, "briefings/_preview.html", {"error": message_text(exc)})
    return render(request, "briefings/_preview.html", {"paper": paper})


@login_required
@require_POST
def briefing_publish(request, pk):
    briefing = get_object_or_404(_visible(request.user), pk=pk)
    try:
        services.publish(request.user, briefing)
    except (PermissionDenied, Conflict) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已发布。"))
    return redirect("briefing-detail", pk=briefing.pk)


@login_required
@require_POST
def briefing_make_public(request, pk):
    briefing = get_object_or_404(_visible(request.user), pk=pk)
    try:
        services.make_public(request.user, briefing)
    except (PermissionDenied, Conflict) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已向公众公开：公众和店长等账号现在也可阅读。"))
    return redirect("briefing-detail", pk=briefing.pk)


@login_required
@require_POST
def briefing_correct(request, pk):
    briefing = get_object_or_404(_visible(request.user), pk=pk)
    try:
        draft = services.correct(request.user, briefing)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("briefing-detail", pk=briefing.pk)
    return redirect("briefing-detail", pk=draft.pk)


@login_required
def briefing_docx(request, pk):
    briefing = get_object_or_404(_visible(request.user), pk=pk)
    return download(services.docx(briefing, request.user), f"briefing-{briefing.pk}-{dt.date.today()}.docx")
