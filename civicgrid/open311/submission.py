"""What a client's POST says, read the way the people and clients that send it mean it."""

from __future__ import annotations

import re

# CJK ideographs (with extension A and compatibility forms), kana and hangul: names written without spaces,
# family name first.
_EAST_ASIAN = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# FixMyStreet sends "-" as the last name of an update whose author gave one word (Open311.pm: `$lastname ||= '-'`).
_NO_NAME = {"", "-"}
_PHOTO_FIELD = re.compile(r"^photo(\d+)$")


def full_name(first_name: str, last_name: str) -> str:
    """王 + 小明 → 王小明 (family name first, no space); John + Smith → John Smith."""
    first = first_name.strip() if first_name.strip() not in _NO_NAME else ""
    last = last_name.strip() if last_name.strip() not in _NO_NAME else ""
    if _EAST_ASIAN.search(first + last):
        return last + first
    return " ".join(p for p in (first, last) if p)


def with_title(title: str, description: str) -> str:
    """The description, headed by the title unless it already begins with it (FixMyStreet's extended
    description starts with the title itself)."""
    title, description = title.strip(), description.strip()
    if not title or description.startswith(title):
        return description
    return f"{title}\n\n{description}" if description else title


def uploads(files) -> list:
    """The photo files of a POST in the order the client numbered them: `media`, then photo1, photo2, …"""
    numbered = sorted((int(m.group(1)), name) for name in files if (m := _PHOTO_FIELD.match(name)))
    return files.getlist("media") + [f for _n, name in numbered for f in files.getlist(name)]
