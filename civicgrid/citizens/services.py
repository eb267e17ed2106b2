"""What the public does to a case, one function per act, shared by the public pages, Open311 and the office's
pages: report, add an update, rate the outcome; and what the office does about it: review a rating, moderate."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from civicgrid.cases.choices import Action, PhotoRole
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.cases.services import record_stateless


def add_update(case: Case, *, text: str, photos: list = (), name: str = "", contact: str = "",
               via: str = "public", actor=None) -> CaseEvent:
    """A citizen adds words or photos to a case (its reporter on the tracking page, or an Open311 client):
    a stateless event whose photos count as the problem's (处置前)."""
    text = text.strip()
    if not text and not photos:
        from django.core.exceptions import ValidationError

        raise ValidationError({"description": [_("请填写补充内容或附上照片。")]})
    with transaction.atomic():
        return record_stateless(case, Action.CITIZEN_UPDATE, actor, note=text[:4000], photos=photos,
                                role=PhotoRole.BEFORE, data={"via": via, "name": name[:100], "contact": contact[:100]})
