"""The English catalogue is complete, and the compiled file is the one the .po describes."""

import gettext
import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_no_entry_is_fuzzy_or_untranslated():
    text = PO.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    assert re.findall(r'msgid "(.+)"\nmsgstr ""\n', text) == []


def test_the_compiled_catalogue_matches_the_po_file():
    text = PO.read_text(encoding="utf-8")
    entries = re.findall(r'^(?:msgctxt "(.*)"\n)?msgid "(.+)"\nmsgstr "(.+)"$', text, flags=re.M)
    with open(PO.with_suffix(".mo"), "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)

    def compiled_text(context, msgid):
        return catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)

    stale = [msgid for context, msgid, msgstr in entries
             if compiled_text(context, msgid) != msgstr.replace('\\"', '"')]
    assert stale == [], "run: civicgrid compilemessages -l en"


# English strings that really translate several Chinese synonyms.
SYNONYMS = {"Note", "Unit code", "Code", "Region code", "Grid code", "Name", "Unit", "Contracting"}


def test_no_english_string_stands_for_unrelated_chinese_ones():
    """Fuzzy guesses by makemessages show up as one English string reused for different terms."""
    from collections import defaultdict

    text = PO.read_text(encoding="utf-8")
    sources = defaultdict(set)
    for msgid, msgstr in re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', text, flags=re.M):
        sources[msgstr].add(msgid)
    shared = {english: ids for english, ids in sources.items() if len(ids) > 1 and english not in SYNONYMS}
    assert shared == {}
