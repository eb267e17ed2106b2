"""Each person's notification settings, and the office's outbox: every send with its outcome."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.core.scoping import is_office
from civicgrid.notifications import services
from civicgrid.notifications.forms import PreferenceForm
from civicgrid.notifications.models import Channel, Preference, Status


@login_required
def preferences(request):
    preference = Preference.objects.filter(user=request.user).first() or Preference(user=request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("通知设置已保存。"))
        return redirect("notification-preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
@require_POST
def mark_read(request):
    """The bulk "mark read" of the home page's notifications: one kind, or all of them."""
    from civicgrid.cases.services.escalation import mark_read

    count = mark_read(request.user, request.POST.get("kind") or None)
    messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": count})
    return redirect(f"{reverse('home')}#notifications")


@login_required
def outbox(request):
    if not is_office(request.user):
        raise PermissionDenied(_("只有创城办可以查看发送记录。"))
    rows = services.outbox(request.user, channel=request.GET.get("channel", ""), status=request.GET.get("status", ""),
                           case_number=request.GET.get("case", ""), address=request.GET.get("address", ""))
    return render(request, "notifications/outbox.html", {
        "page": Paginator(rows, 50).get_page(request.GET.get("page")), "channels": Channel.choices,
        "statuses": Status.choices, "filters": request.GET})


@login_required
@require_POST
def resend(request, pk: int):
    if services.resend(pk, request.user):
        messages.success(request, _("已重新发送。"))
    return redirect("notification-outbox")
