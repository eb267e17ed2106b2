"""Open311 answers in XML (mandatory) and JSON, with the spec's element names."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from django.http import HttpResponse

CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}


def render(fmt: str, root: str, item: str, rows: list[dict], status: int = 200) -> HttpResponse:
    """A list of flat dicts as <root><item>…</item></root> or a JSON array."""
    if fmt == "json":
        body = json.dumps(rows, ensure_ascii=False, default=str)
    else:
        element = ET.Element(root)
        for row in rows:
            _append(ET.SubElement(element, item), row)
        body = '<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(element, encoding="unicode")
    return HttpResponse(body, content_type=CONTENT_TYPES[fmt], status=status)


def render_object(fmt: str, root: str, data: dict) -> HttpResponse:
    if fmt == "json":
        return HttpResponse(json.dumps(data, ensure_ascii=False, default=str), content_type=CONTENT_TYPES[fmt])
    element = ET.Element(root)
    _append(element, data)
    return HttpResponse('<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(element, encoding="unicode"),
                        content_type=CONTENT_TYPES[fmt])


def _append(parent: ET.Element, data: dict) -> None:
    for key, value in data.items():
        if isinstance(value, list):
            holder = ET.SubElement(parent, key)
            singular = key[:-1] if key.endswith("s") else "item"
            for entry in value:
                child = ET.SubElement(holder, singular)
                if isinstance(entry, dict):
                    _append(child, entry)
                else:
                    child.text = _text(entry)
        elif isinstance(value, dict):
            _append(ET.SubElement(parent, key), value)
        else:
            ET.SubElement(parent, key).text = _text(value)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The spec's error list: [{code, description}]."""
    return render(fmt, "errors", "error", [{"code": status, "description": d} for d in descriptions], status=status)
