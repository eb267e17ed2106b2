"""Validators for values that come from people: dates the product can compute with, text XML can carry."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civicgrid.core.text import has_xml_illegal

# Dates the product computes with: periods, deadlines and calendars. Far enough either way for any real use;
# year 1 or 9999 would overflow the day arithmetic (a period's end + 1 day, a week before its start).
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)


def supported_date(value: dt.date) -> None:
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(_("日期须在 %(earliest)s 至 %(latest)s 之间。"), code="date_range",
                              params={"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()})


def is_supported_date(value: dt.date | None) -> bool:
    return value is None or EARLIEST_DATE <= value <= LATEST_DATE


def xml_safe_text(value: str) -> None:
    if value and has_xml_illegal(str(value)):
        raise ValidationError(_("文字中含有不可见的控制字符，请删除后再提交。"), code="control_character")
