"""The public face of a case: what a citizen, the public map and Open311 clients may read.

Nothing here names staff, internal codes, filing criteria or internal notes. A state change reads as plain words
(受理、已派至某部门、处理中、已办结、不予受理 and why); staff notes stay internal unless the action carried a note
written for the public (`public_note`). The office's moderation (a hidden description or photo) applies to every
reader here, and classes whose exact location is private are shown at their grid's centre.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from civicgrid.cases.choices import Action, PhotoRole, State
from civicgrid.cases.models import Case, CaseEvent, EventPhoto, Photo

# FixMyStreet's status vocabulary (Open311 updates extension), as the public reads a case.
OPEN, INVESTIGATING, ACTION_SCHEDULED, IN_PROGRESS = "OPEN", "INVESTIGATING", "ACTION_SCHEDULED", "IN_PROGRESS"
FIXED, DUPLICATE, NOT_RESPONSIBLE = "FIXED", "DUPLICATE", "NOT_COUNCILS_RESPONSIBILITY"
NO_FURTHER_ACTION, REOPEN = "NO_FURTHER_ACTION", "REOPEN"
STATUS_OF_STATE = {
    State.REPORTED: OPEN, State.VERIFIED: INVESTIGATING, State.FILED: ACTION_SCHEDULED,
    State.HANDLING: IN_PROGRESS, State.RETURNED: ACTION_SCHEDULED, State.EXTENSION_REQUESTED: IN_PROGRESS,
    State.PARKED: ACTION_SCHEDULED, State.HANDLED: IN_PROGRESS, State.CHECKED: IN_PROGRESS, State.CLOSED: FIXED,
    State.REJECTED: NOT_RESPONSIBLE, State.VOIDED: NO_FURTHER_ACTION, State.MERGED: DUPLICATE,
}
CLOSED_STATES = frozenset({State.CLOSED, State.REJECTED, State.VOIDED, State.MERGED})
# Events the public never sees: internal routing disputes, requests not yet decided, deadline arithmetic,
# undercover publication, moderation itself.
INTERNAL_ACTIONS = frozenset({Action.RETURN, Action.REQUEST_EXTENSION, Action.REFUSE_EXTENSION, Action.PUBLISH,
                              Action.FINDING, Action.DEADLINE, Action.MODERATE, Action.REVIEW_KEEP})


@dataclass(frozen=True)
class PublicEntry:
    event_id: int
    case_id: int
    number: str
    at: dt.datetime
    state: str
    status: str
    text: str
    photos: tuple[Photo, ...] = ()


def _words(event: CaseEvent, number: str) -> str:
    data = event.data or {}
    public_note = data.get("public_note", "")
    action = event.action
    if action == Action.REPORT:
        return _("已收到您的反映，编号 %s。") % number
    if action == Action.VERIFY:
        return _("问题已核实。")
    if action == Action.FILE:
        return _("已受理，正在安排处理。")
    if action == Action.REJECT:
        return _("不予受理：%s") % (public_note or _("经核实，该问题不属于城市管理受理范围。"))
    if action == Action.VOID:
        return _("不予受理：%s") % (public_note or _("经核实，该问题无需处置。"))
    if action == Action.MERGE:
        return _("与已有反映 %s 为同一问题，合并处理。") % data.get("target", "")
    if action == Action.DISPATCH:
        return _("已派至%s处理。") % data.get("unit_name", _("责任单位"))
    if action == Action.APPROVE_EXTENSION:
        return _("问题处理需要更多时间，处理期限已延长。")
    if action == Action.PARK:
        return _("该问题需要较长时间解决，已列入计划。")
    if action == Action.RESUME:
        return _("处理中。")
    if action == Action.HANDLE:
        return _("已处理完毕，等待核查。") + (f" {public_note}" if public_note else "")
    if action == Action.CHECK_PASS:
        return _("核查通过。")
    if action == Action.CHECK_FAIL:
        return _("核查未通过，正在重新处理。")
    if action == Action.CLOSE:
        return _("已办结。") + (f" {public_note}" if public_note else "")
    if action == Action.CITIZEN_UPDATE:
        return _("举报人补充：%s") % event.note
    if action == Action.FEEDBACK:
        return _("举报人评价：%s") % data.get("rating_label", "")
    if action == Action.REOPEN:
        return _("根据举报人的评价复核，重新处理。")
    return _("处理中。")


def _status(event: CaseEvent) -> str:
    if event.action == Action.REOPEN:
        return REOPEN
    return STATUS_OF_STATE.get(event.to_state, OPEN)


def _report(case: Case):
    """The case's PublicReport, or None (Open311 and staff reports have none); cached on the case once read,
    so callers listing many cases select_related("public_report")."""
    from civicgrid.citizens.models import PublicReport

    try:
        return case.public_report
    except PublicReport.DoesNotExist:
        return None


def hidden_photo_uids(case: Case) -> set[str]:
    report = _report(case)
    return set(report.hidden_photos) if report else set()


def entries(events) -> list[PublicEntry]:
    """The public events of the given CaseEvent queryset, in order, with their public photos."""
    rows = list(events.exclude(action__in=INTERNAL_ACTIONS).select_related("case", "case__public_report")
                .order_by("case_id", "seq"))
    hidden: dict[int, set[str]] = {}
    for event in rows:
        if event.case_id not in hidden:
            hidden[event.case_id] = hidden_photo_uids(event.case)
    photos: dict[int, list[Photo]] = {}
    for link in (EventPhoto.objects.filter(event__in=rows, role__in=[PhotoRole.BEFORE, PhotoRole.AFTER])
                 .select_related("photo", "event").order_by("id")):
        if str(link.photo.uid) not in hidden[link.event.case_id]:
            photos.setdefault(link.event_id, []).append(link.photo)
    return [PublicEntry(event_id=e.pk, case_id=e.case_id, number=e.case.number, at=e.at, state=e.to_state,
                        status=_status(e), text=_words(e, e.case.number), photos=tuple(photos.get(e.pk, ())))
            for e in rows]


def timeline(case: Case) -> list[PublicEntry]:
    return entries(CaseEvent.objects.filter(case=case))


REFUSED_STATES = (State.REJECTED, State.VOIDED, State.MERGED)


def case_status(case: Case) -> tuple[str, str, str]:
    """("open" or "closed", the FixMyStreet status, the status notes in plain words with the reason)."""
    return case_statuses([case])[case.pk]


def case_statuses(cases) -> dict[int, tuple[str, str, str]]:
    """`case_status` of many cases: the refusals' reasons (their last event) in one query for all of them."""
    refused = [c for c in cases if c.state in REFUSED_STATES]
    last_events: dict[int, CaseEvent] = {}
    if refused:
        for event in (CaseEvent.objects.filter(case__in=refused, to_state__in=REFUSED_STATES)
                      .exclude(from_state__in=REFUSED_STATES).order_by("case_id", "seq")):
            last_events[event.case_id] = event  # ordered by seq: the last one wins
    waiting = {OPEN: _("已收到，待受理"), INVESTIGATING: _("已核实，待受理"), ACTION_SCHEDULED: _("已受理，待处理"),
               IN_PROGRESS: _("处理中"), FIXED: _("已办结")}
    answer = {}
    for case in cases:
        status = STATUS_OF_STATE.get(case.state, OPEN)
        if case.state in REFUSED_STATES:
            last = last_events.get(case.pk)
            notes = _words(last, case.number) if last else ""
        else:
            notes = waiting[status]
        answer[case.pk] = ("closed" if case.state in CLOSED_STATES else "open"), status, notes
    return answer


def description(case: Case) -> str:
    report = _report(case)
    if report is not None and report.text_hidden:
        return _("（描述已由工作人员隐藏）")
    return case.description


def photos(case: Case) -> list[Photo]:
    """The report's public photos (before the problem was handled), moderation applied."""
    hidden = hidden_photo_uids(case)
    return [link.photo for link in EventPhoto.objects.filter(event__case=case, role=PhotoRole.BEFORE)
            .select_related("photo").order_by("event__seq", "id") if str(link.photo.uid) not in hidden]


def position(case: Case) -> tuple[float, float]:
    """(lat, lng): exact, or the grid's centre for classes whose location is private (a home, a stairwell)."""
    if case.case_class.location_blurred:
        return grid_centre(case.region_code) or (round(case.lat, 3), round(case.lng, 3))
    return case.lat, case.lng


def grid_centre(code: str) -> tuple[float, float] | None:
    """A point inside the grid, from the locator's in-memory index (no query; follows boundary changes)."""
    from civicgrid.territory import locator
    from civicgrid.territory.geometry import representative_point

    geometry = locator.get_index().geometry(code)
    if geometry is None:
        return None
    lng, lat = representative_point(geometry)
    return round(lat, 5), round(lng, 5)
