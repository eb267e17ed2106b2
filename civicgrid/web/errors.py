"""Error answers that look like the product: pages in the reader's language with the navigation and a way back,
and JSON (`{"detail": …}`) for the API and Open311, whatever went wrong — a 500 included.
"""

from __future__ import annotations

import logging

from django.http import JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger("civicgrid.errors")

MESSAGES = {  # marked for translation here, translated when answering
    400: (gettext_noop("请求有误"), gettext_noop("提交的内容无法处理，请返回检查后再试。")),
    403: (gettext_noop("没有权限"), gettext_noop("您的账号不能访问此页面或执行此操作。")),
    404: (gettext_noop("页面不存在"), gettext_noop("找不到该页面，或它不在您的辖区内。")),
    500: (gettext_noop("服务器出错"), gettext_noop("处理请求时出错，已记录。请稍后再试；如一再出现，请联系创城办。")),
}


def _machine_readable(request) -> bool:
    return request.path.startswith(("/api/", "/open311/"))


def _answer(request, status: int):
    title, text = (_(m) for m in MESSAGES[status])
    if _machine_readable(request):
        return JsonResponse({"detail": title}, status=status, json_dumps_params={"ensure_ascii": False})
    return render(request, "web/error.html", {"status": status, "title": title, "text": text}, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _answer(request, 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return _answer(request, 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _answer(request, 404)


@requires_csrf_token
def server_error(request):
    """The page with navigation when it can be drawn; a bare page when drawing it fails too (the cause of the
    500 may be the very thing the navigation needs, e.g. the database)."""
    try:
        return _answer(request, 500)
    except Exception:
        logger.exception("the error page itself failed")
        title, text = (_(m) for m in MESSAGES[500])
        return render_bare(title, text)


def render_bare(title: str, text: str):
    from django.http import HttpResponseServerError

    return HttpResponseServerError(loader.get_template("web/error_bare.html").render({"title": title, "text": text}))
