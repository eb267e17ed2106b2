"""How the case loop reads to Open311 clients: open/closed, FixMyStreet's status words, and the public history.

Interim: the public-safe view of a case is being written as `civicgrid.citizens.public` (entries, case_status);
until it lands this module gives a minimal version of the same answers, with the same shapes, so the views
switch by changing imports. What it leaves out is listed in docs/open311.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from civicgrid.cases.choices import TERMINAL_STATES, Action, PhotoRole, State
from civicgrid.cases.models import Case, CaseEvent, EventPhoto

# FixMyStreet's vocabulary (perllib/Open311.pm map_state, Open311/UpdatesBase.pm): what each state of the loop
# tells a citizen. Rejected, voided and merged cases are closed but not fixed — FixMyStreet shows "closed"
# alone as fixed, so each says why it is closed.
FMS_STATUS = {
    State.REPORTED: "OPEN",
    State.VERIFIED: "INVESTIGATING",
    State.FILED: "ACTION_SCHEDULED",
    State.PARKED: "ACTION_SCHEDULED",
    State.HANDLING: "IN_PROGRESS",
    State.RETURNED: "IN_PROGRESS",
    State.EXTENSION_REQUESTED: "IN_PROGRESS",
    State.HANDLED: "IN_PROGRESS",
    State.CHECKED: "IN_PROGRESS",
    State.CLOSED: "FIXED",
    State.REJECTED: "NOT_COUNCILS_RESPONSIBILITY",
    State.VOIDED: "NO_FURTHER_ACTION",
    State.MERGED: "DUPLICATE",
}
# The events a citizen is told about, in plain words. Internal steps (a unit returning a case to the dispatcher,
# asking for more time, a deadline recomputed, moderation) are not; the report itself is the request.
PUBLIC_TEXT = {
    Action.VERIFY: "经现场核实，问题属实。",
    Action.FILE: "已立案，等待派遣责任单位。",
    Action.DISPATCH: "已派遣责任单位处置。",
    Action.APPROVE_EXTENSION: "处置期限已延长。",
    Action.PARK: "问题暂时挂账，待条件具备后处置。",
    Action.RESUME: "已恢复处置。",
    Action.HANDLE: "责任单位已处置完毕，等待核查。",
    Action.CHECK_PASS: "核查通过。",
    Action.CHECK_FAIL: "核查未通过，责任单位重新处置。",
    Action.CLOSE: "已结案，问题已解决。",
    Action.REJECT: "不予立案。",
    Action.VOID: "已作废，无需进一步处置。",
    Action.MERGE: "与另一案件重复，已合并处理。",
    Action.REOPEN: "复核后重新处置。",
    Action.REVIEW_KEEP: "复核后维持结案。",
    Action.CITIZEN_UPDATE: "",  # the citizen's own words
}
# Closing actions whose note is the reason given to the reporter.
REASONED = {Action.REJECT, Action.VOID}


@dataclass(frozen=True)
class Entry:
    event_id: int
    case_id: int
    number: str
    at: dt.datetime
    state: str
    status: str
    text: str
    photos: tuple


def status_of(state: str) -> tuple[str, str]:
    """("open"|"closed", FixMyStreet status) of a state."""
    return ("closed" if state in TERMINAL_STATES else "open"), FMS_STATUS.get(state, "OPEN")


def case_statuses(cases: list[Case]) -> dict[int, tuple[str, str, str]]:
    """For each case: ("open"|"closed", FixMyStreet status, status_notes). A closed case's notes say why."""
    closing = _closing_events([c for c in cases if c.state in TERMINAL_STATES])
    merged_into = dict(Case.objects.filter(pk__in={c.merged_into_id for c in cases if c.merged_into_id})
                       .values_list("pk", "number"))
    answer = {}
    for case in cases:
        open_closed, status = status_of(case.state)
        notes = case.get_state_display()
        event = closing.get(case.pk)
        if case.state == State.MERGED and case.merged_into_id:
            notes = f"{notes}：与案件 {merged_into.get(case.merged_into_id, '')} 重复，已合并处理"
        elif event is not None and event.action in REASONED and event.note:
            notes = f"{notes}：{event.note}"
        elif event is not None:
            notes = f"{notes}：{PUBLIC_TEXT.get(event.action, '')}".rstrip("：")
        answer[case.pk] = (open_closed, status, notes)
    return answer


def _closing_events(cases: list[Case]) -> dict[int, CaseEvent]:
    """The event that brought each terminal case into its state (the last one, should it have been reopened)."""
    found = {}
    wanted = {c.pk: c.state for c in cases}
    for event in (CaseEvent.objects.filter(case_id__in=wanted, action__in=[Action.CLOSE, Action.REJECT, Action.VOID,
                                                                          Action.MERGE])
                  .only("case_id", "action", "note", "to_state", "seq").order_by("case_id", "seq")):
        if event.to_state == wanted[event.case_id]:
            found[event.case_id] = event
    return found


def entries(events) -> list[Entry]:
    """The public events among `events` (a CaseEvent queryset), in order, with the case's state after each."""
    rows = list(events.filter(action__in=list(PUBLIC_TEXT)).select_related("case").order_by("at", "id"))
    photos: dict[int, list] = {}
    for link in (EventPhoto.objects.filter(event__in=[r.pk for r in rows], role=PhotoRole.BEFORE)
                 .select_related("photo").order_by("id")):
        photos.setdefault(link.event_id, []).append(link.photo)
    answer = []
    for event in rows:
        text = PUBLIC_TEXT[event.action]
        if event.action == Action.CITIZEN_UPDATE:
            text = event.note
        elif event.action in REASONED and event.note:
            text = f"{text}理由：{event.note}"
        answer.append(Entry(event_id=event.pk, case_id=event.case_id, number=event.case.number, at=event.at,
                            state=event.to_state, status=status_of(event.to_state)[1], text=text,
                            photos=tuple(photos.get(event.pk, ()))))
    return answer
