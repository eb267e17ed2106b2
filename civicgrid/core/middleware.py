"""Input every request must pass before a view sees it.

Two kinds of input break the product wherever they land, so they are refused at the door instead of in
each of the hundred places that store or parse text:
- characters XML 1.0 cannot carry (a stored \\x0b makes every Word document and XML feed that includes the
  text fail for every reader, long after the request that stored it);
- JSON nested deeper than any of our bodies is (a deeply nested body exhausts the parser's recursion).
"""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

from civicgrid.core.text import has_xml_illegal

MAX_JSON_DEPTH = 32


class InputCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = find_problem(request)
        if problem is not None:
            return bad_request(request, *problem)
        return self.get_response(request)


def find_problem(request) -> tuple[str, str] | None:
    """(field, message) for the first unacceptable input, or None."""
    for name, values in request.GET.lists():
        if has_xml_illegal(name) or any(has_xml_illegal(v) for v in values):
            return name, _("含有不可见的控制字符。")
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    content_type = request.content_type or ""
    if content_type == "application/json" or content_type.endswith("+json"):
        return _json_problem(request.body)
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            fields = request.POST.lists()  # file parts are in FILES, not checked here
        except MultiPartParserError as exc:  # Django would answer its HTML 400 page, with a logged traceback
            return "detail", str(exc)
        for name, values in fields:
            if has_xml_illegal(name) or any(has_xml_illegal(v) for v in values):
                return name, _("含有不可见的控制字符。")
    return None


def _json_problem(body: bytes) -> tuple[str, str] | None:
    if not body:
        return None
    try:
        data = json.loads(body)
    except RecursionError:
        return "detail", _("JSON 嵌套层数过多（最多 %d 层）。") % MAX_JSON_DEPTH
    except (ValueError, UnicodeDecodeError):
        return None  # the parser of the view reports malformed JSON in its own words
    stack = [(data, 1, "")]
    while stack:
        value, depth, field = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return "detail", _("JSON 嵌套层数过多（最多 %d 层）。") % MAX_JSON_DEPTH
        if isinstance(value, dict):
            for key, item in value.items():
                if has_xml_illegal(key):
                    return key, _("含有不可见的控制字符。")
                stack.append((item, depth + 1, field or key))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, field) for item in value)
        elif isinstance(value, str) and has_xml_illegal(value):
            return field or "detail", _("含有不可见的控制字符。")
    return None


def bad_request(request, field: str, message: str) -> HttpResponse:
    """A 400 in the caller's language of errors: the API's field messages, Open311's error list, or a page."""
    path = request.path
    if path.startswith("/open311/"):
        description = f"{field}: {message}"
        if path.endswith(".xml"):
            xml = ('<?xml version="1.0" encoding="utf-8"?><errors><error><code>400</code>'
                   f"<description>{escape(description)}</description></error></errors>")
            return HttpResponse(xml, status=400, content_type="text/xml; charset=utf-8")
        return JsonResponse([{"code": 400, "description": description}], status=400, safe=False)
    if path.startswith("/api/"):
        return JsonResponse({field: [message]}, status=400, json_dumps_params={"ensure_ascii": False})
    return render(request, "web/error.html", {"status": 400, "title": _("请求有误"), "text": f"{field}：{message}"},
                  status=400)


class TrustedProxyMiddleware:
    """Behind nginx every request comes from 127.0.0.1; the client is the last address that a trusted proxy
    appended to X-Forwarded-For. REMOTE_ADDR is set to it, so the login throttle, the lockout and the audit log
    count people, not the proxy. Only proxies named in TRUSTED_PROXIES are believed; with none configured the
    header is ignored (a client could write anything in it).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = frozenset(settings.TRUSTED_PROXIES)

    def __call__(self, request):
        if self.trusted and request.META.get("REMOTE_ADDR") in self.trusted:
            hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
            while hops and hops[-1] in self.trusted:
                hops.pop()
            if hops:
                request.META["REMOTE_ADDR"] = hops[-1]
        return self.get_response(request)
