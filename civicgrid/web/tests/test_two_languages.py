"""Issue 16: every page in both languages. An English session is English wherever a label is the product's own;
a Chinese session never shows an internal value. What the database holds (names, descriptions, the official
documents' text) is data and may be in either language; everything else on a page is a label.

The walk uses the world of the scope test (rows of every kind) and signs in as the office and as a community
worker; a page's visible text is split into runs of Chinese characters (in English) or Latin words (in Chinese),
and each run must come from the data.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from civicgrid.web.tests.test_scope_everywhere import (  # noqa: F401  (fixtures, reused)
    DETAIL_URLS,
    PERIOD,
    field,
    hidden,
    ledger_urls,
    photo_of,
    plain_urls,
    undercover,
    world,
)

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
LATIN_WORD = re.compile(r"(?<![\w.@/-])[A-Za-z][a-z]+(?:_[a-z]+)*(?![\w.@/-])")
# Latin words a Chinese page may show: product and format names, a key name, the other language's own name.
CHINESE_PAGE_WORDS = {"CivicGrid", "Word", "Excel", "English", "Enter", "Esc"}
# Pages that are no one's daily work in a language: machine formats, the Django admin, the API browser.
SKIPPED = ("/api/", "/open311/", "/admin/", "/i18n/", "/logout/", "/health", "/static/", "/media/")


class VisibleText(HTMLParser):
    """The text a reader sees, plus the labels of controls (placeholder, title, aria-label, value of buttons);
    nothing inside <script>, <style>, <template>, or an element that declares itself Chinese (lang="zh-Hans":
    an official document's print preview, which is Chinese in any session)."""

    SKIP = {"script", "style", "template", "noscript"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden_here = tag in self.SKIP or (attrs.get("lang", "").lower().startswith("zh")
                                           and tag != "html")
        if not any(self.stack) and not hidden_here:
            for name in ("placeholder", "title", "aria-label", "alt"):
                if attrs.get(name):
                    self.parts.append(attrs[name])
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.parts.append(attrs["value"])
        if tag not in self.VOID:
            self.stack.append(hidden_here)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not any(self.stack) and data.strip():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def data_texts() -> list[str]:
    """Every text the database holds: text columns and the string values inside JSON columns, but not the codes
    of fields with choices (`pending`: a page must show its label), nor identifiers and links inside JSON
    (`closure_rate`, `/cases/?region=…`), which a page never shows as words."""
    texts = []

    def leaves(value):
        if isinstance(value, dict | list):
            for item in value.values() if isinstance(value, dict) else value:
                if isinstance(item, dict | list):
                    yield from leaves(item)
                elif isinstance(item, str) and not IDENTIFIER.fullmatch(item) and not item.startswith(("/", "http")):
                    yield item
        elif value not in (None, ""):
            yield str(value)

    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices]
        if fields:
            for row in model._default_manager.values_list(*fields):
                texts += [text for value in row for text in leaves(value)]
    return texts


IDENTIFIER = re.compile(r"[a-z0-9_]+")


def pages(rows) -> list[str]:
    urls = [u for u in plain_urls() + ledger_urls() if not u.startswith(SKIPPED) and not u.endswith(
        (".xlsx", ".docx", ".json", ".geojson", ".csv", ".yaml", ".xml"))]
    for entries in DETAIL_URLS.values():
        urls += [url(rows) for _marker, url in entries]
    return sorted({u for u in urls if not u.startswith(SKIPPED)})


def walk(user, language: str, rows) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    found = {}
    for url in pages(rows):
        response = client.get(url, PERIOD if "?" not in url else {})
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        found[url] = visible_text(response.content.decode())
    return found


@pytest.mark.parametrize("role", ["admin", "community"])
def test_an_english_session_shows_no_chinese_label(hidden, role):  # noqa: F811
    corpus = "\n".join(data_texts())
    pages_seen = walk(hidden["users"][role], "en", hidden)
    assert len(pages_seen) > 20
    untranslated = {}
    for url, text in pages_seen.items():
        runs = sorted({run for run in CHINESE.findall(text) if run not in corpus})
        if runs:
            untranslated[url] = runs
    print("\n".join(f"{url}: {' '.join(runs)}" for url, runs in untranslated.items()))
    assert untranslated == {}


@pytest.mark.parametrize("role", ["admin", "community"])
def test_a_chinese_session_shows_no_internal_value(hidden, role):  # noqa: F811
    corpus = {word for text in data_texts() for word in LATIN_WORD.findall(text)}
    internal = {}
    for url, text in walk(hidden["users"][role], "zh-hans", hidden).items():
        words = sorted({word for word in LATIN_WORD.findall(text)
                        if word not in CHINESE_PAGE_WORDS and word not in corpus})
        if words:
            internal[url] = words
    print("\n".join(f"{url}: {' '.join(words)}" for url, words in internal.items()))
    assert internal == {}

