"""The field app: its shell page, service worker and manifest, the start of a device session, and the office's
list of devices with revocation."""

from __future__ import annotations

import functools
import hashlib
import os

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from civicgrid.core.scoping import is_office
from civicgrid.field import services, texts
from civicgrid.field.models import FieldSession

# What the shell page loads; the app requests each once through its worker, which keeps them for offline starts.
SHELL_ASSETS = ("field/field.css", "vendor/idb/idb.js", "field/field.js", "field/icon-192.png")


@login_required
def shell(request):
    """The app shell: one page the service worker keeps, which draws every field screen from the device's data."""
    assets = [static(name) for name in SHELL_ASSETS]
    config = {"user_id": request.user.pk, "strings": texts.strings(), "assets": assets,
              "worker": reverse("field-service-worker"), "session_url": reverse("field-session-start"),
              "login_url": f"{reverse('login')}?next={reverse('field-shell')}", "logout_url": reverse("logout")}
    return render(request, "field/shell.html", {"session_days": settings.FIELD_SESSION_DAYS, "config": config})


def assets_version() -> str:
    """A digest of the shell's assets as served: their URLs (hashed names in production) and their contents.

    The worker script starts with it, so a changed asset changes the script: the browser installs the new worker,
    which keeps its files in a cache of that version and deletes the older ones. Without it, a worker that keeps
    static files CacheFirst served an old field.js after an upgrade wherever names are not hashed (`make run`)."""
    digest = hashlib.sha256()
    for name in SHELL_ASSETS:
        digest.update(static(name).encode())
        path = finders.find(name)
        if path:
            stat = os.stat(path)
            digest.update(_file_digest(path, stat.st_mtime_ns, stat.st_size))
    return digest.hexdigest()[:16]


@functools.lru_cache(maxsize=64)
def _file_digest(path: str, mtime_ns: int, size: int) -> bytes:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").digest()


@never_cache
def service_worker(request):
    """Served from the root so that it may control /field/ (a worker under /static/ could not)."""
    path = finders.find("field/sw.js")
    if path is None:
        raise Http404("no service worker")
    with open(path, "rb") as script:
        body = f'const ASSETS_VERSION = "{assets_version()}";\n'.encode() + script.read()
    response = HttpResponse(body, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


def manifest(request):
    return JsonResponse({
        "name": _("创城网格外勤"), "short_name": _("创城外勤"), "lang": "zh-Hans",
        "description": _("网格员、监督员和处置人员的外勤应用，无网络也能上报、检查和处置。"),
        "start_url": "/field/", "scope": "/field/", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#b3261e",
        "icons": [{"src": static(f"field/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png",
                   "purpose": "any maskable"} for size in (192, 512)],
    }, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@login_required
@require_POST
def start(request):
    """A device session for the signed-in user (the shell asks once per install)."""
    session, key = services.start_session(request.user, request.headers.get("User-Agent", ""))
    person = getattr(request.user, "person", None)
    return JsonResponse({"key": key, "expires_at": session.expires_at.isoformat(), "user": {
        "id": request.user.pk, "username": request.user.get_username(),
        "name": person.name if person else request.user.get_username()}})


@login_required
def sessions(request):
    """Devices holding a field session: the office sees everyone's, a user their own."""
    rows = FieldSession.objects.restrict(request.user).select_related("user", "revoked_by")[:500]
    return render(request, "field/sessions.html", {"sessions": rows, "office": is_office(request.user)})


@login_required
@require_POST
def revoke(request, pk: int):
    session = get_object_or_404(FieldSession.objects.restrict(request.user), pk=pk)
    try:
        services.revoke(request.user, session)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已撤销 %(user)s 的外勤设备会话：该设备下次同步时将清除本机数据。") % {
            "user": session.user.get_username()})
    return redirect("field-sessions")
