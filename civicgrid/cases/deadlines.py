"""A case's deadlines: handling windows in working time (the official calendar), the filing and check limits."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from civicgrid.cases.choices import Urgency
from civicgrid.cases.models import Case
from civicgrid.territory.choices import AreaClass
from civicgrid.workcal.calendar import TimeUnit, add_working_time


def handling_limit(case: Case) -> float:
    """The handling window the rulebook gives the case, in its criterion's unit (urgent cases get a share)."""
    limit = case.criterion.limit_for(case.area_class)
    return limit * settings.URGENT_LIMIT_FACTOR if case.urgency == Urgency.URGENT else limit


def handling_deadline(case: Case, start: dt.datetime) -> dict:
    return due_fields(start, handling_limit(case), case.criterion.unit)


def due_fields(start: dt.datetime, amount: float, unit: str) -> dict:
    """Deadline, due-soon point (DUE_SOON_SHARE of the window) and calendar warning for a handling window.

    Clears the due-soon stamp, so `tick` warns again when the new point is reached.
    """
    deadline = add_working_time(start, amount, unit)
    warn = add_working_time(start, amount * settings.DUE_SOON_SHARE, unit)
    return {"handle_due": deadline.at, "handle_warn_at": warn.at, "due_soon_notified_at": None, **warning(deadline)}


def warning(deadline) -> dict:
    if not deadline.calendar_missing:
        return {"calendar_warning": ""}
    years = "、".join(str(y) for y in sorted(deadline.calendar_missing))
    return {"calendar_warning": _("暂定期限：%s 年的官方放假安排尚未录入，按周一至周五并扣除法定节假日推算（未含调休）。")
            % years}


def file_minutes(urgency: str) -> int:
    return settings.FILE_DISPATCH_URGENT_MINUTES if urgency == Urgency.URGENT else settings.FILE_DISPATCH_MINUTES


def check_minutes(area_class: str) -> int:
    return settings.CHECK_MINUTES_OUTER if area_class == AreaClass.C else settings.CHECK_MINUTES_URBAN


def due_moment(first_handled: dt.datetime | None, handle_due: dt.datetime | None) -> dt.datetime | None:
    """When a case becomes "due to close" (应结案): the first time disposal is finished, or its deadline if that
    comes first (domain.md §2). A later rework does not move it."""
    moments = [m for m in (first_handled, handle_due) if m is not None]
    return min(moments) if moments else None


def max_extension(unit: str) -> int:
    """The longest extension one request may ask for, in the case's limit unit (EXTENSION_MAX_WORKING_DAYS)."""
    days = settings.EXTENSION_MAX_WORKING_DAYS
    return {TimeUnit.WORKING_DAYS: days, TimeUnit.WORKING_HOURS: days * 8}.get(unit, days * 24 * 60)
