"""Open311 answers in XML (mandatory) and JSON, with the spec's element names.

Every string goes out through `_clean`: one character XML 1.0 cannot carry (a stored \\x0b, \\x00, U+FFFE)
would make the whole XML feed unparseable for every reader, so it is dropped on the way out — in JSON too,
so both formats say the same thing.
"""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from django.http import HttpResponse

from civicgrid.core.text import strip_xml_illegal

CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
FORMATS = tuple(CONTENT_TYPES)


def render(fmt: str, root: str, item: str, rows: list[dict], status: int = 200) -> HttpResponse:
    """A list of flat dicts as <root><item>…</item></root> or a JSON array."""
    if fmt == "json":
        body = _json([_cleaned(row) for row in rows])
    else:
        element = ET.Element(root)
        for row in rows:
            _append(ET.SubElement(element, item), row)
        body = _xml(element)
    return HttpResponse(body, content_type=CONTENT_TYPES[fmt], status=status)


def render_object(fmt: str, root: str, data: dict) -> HttpResponse:
    if fmt == "json":
        return HttpResponse(_json(_cleaned(data)), content_type=CONTENT_TYPES[fmt])
    element = ET.Element(root)
    _append(element, data)
    return HttpResponse(_xml(element), content_type=CONTENT_TYPES[fmt])


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, default=lambda value: _clean(str(value)))


def _xml(element: ET.Element) -> str:
    return '<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(element, encoding="unicode")


def _cleaned(value):
    """The value with every string (keys included) stripped of XML-illegal characters."""
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, dict):
        return {_clean(str(k)): _cleaned(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_cleaned(v) for v in value]
    return value


def _clean(text: str) -> str:
    return strip_xml_illegal(text)


def _append(parent: ET.Element, data: dict) -> None:
    for key, value in data.items():
        key = _clean(str(key))
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
    return _clean(str(value))


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The spec's error list: [{code, description}]."""
    return render(fmt, "errors", "error", [{"code": status, "description": d} for d in descriptions], status=status)


def format_of(path: str) -> str:
    """The answer format a path asks for: JSON when it ends in .json, otherwise XML (the spec's default)."""
    return "json" if path.lower().endswith(".json") else "xml"
