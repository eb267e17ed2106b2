"""Text that may travel into XML (Word, Excel, Open311's XML): which characters XML 1.0 cannot carry.

XML 1.0 allows tab, line feed and carriage return among the control characters, and nothing else below
U+0020; it also excludes the surrogates and U+FFFE/U+FFFF. One such character in a stored text makes a
generated .docx or .xlsx fail to write and an XML feed stop parsing, so input refuses them and every
writer strips them.
"""

from __future__ import annotations

import re

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A spreadsheet evaluates a cell typed like this as a formula (or, via DDE, worse).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def has_xml_illegal(text: str) -> bool:
    return bool(XML_ILLEGAL.search(text))


def strip_xml_illegal(text: str) -> str:
    return XML_ILLEGAL.sub("", text)
