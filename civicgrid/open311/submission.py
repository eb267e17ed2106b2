"""What a client's POST says, read the way the people and clients that send it mean it."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from civicgrid.cases.choices import Action, PhotoRole
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.cases.services import events

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


def record_update(case: Case, *, text: str, photos: list, actor, data: dict) -> CaseEvent:
    """A citizen's update as a stateless event on the case, under the case's version like any action.

    Interim until `civicgrid.citizens.services.add_update` lands, which does the same."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        Case.objects.filter(pk=locked.pk).update(version=locked.version + 1)
        return events.noted(locked, action=Action.CITIZEN_UPDATE, actor=actor, at=timezone.now(), note=text,
                            data=data, photos=photos, role=PhotoRole.BEFORE)
