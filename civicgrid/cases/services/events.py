"""Every event of a case's append-only history is written by one of these functions, one per kind."""

from __future__ import annotations

import datetime as dt

from civicgrid.cases.choices import Action, PhotoRole, State
from civicgrid.cases.models import Case, CaseEvent, EventPhoto


def display_name(user) -> str:
    if user is None or not user.is_authenticated:
        return ""
    person = getattr(user, "person", None)
    return person.name if person else user.get_username()


def reported(case: Case, *, actor, at: dt.datetime) -> CaseEvent:
    """The first event of a new case, unsaved: intake builds it before its transaction opens (`save`)."""
    return _event(case, Action.REPORT, actor=actor, at=at, from_state="", to_state=State.REPORTED, seq=1)


def transitioned(case: Case, *, action: str, actor, at: dt.datetime, to_state: str, note: str = "",
                 data: dict | None = None, photos=(), role: str = PhotoRole.EVIDENCE) -> CaseEvent:
    """An action of the loop, recorded after its conditional update (`case` still holds the old state)."""
    event = _event(case, action, actor=actor, at=at, from_state=case.state, to_state=to_state, note=note,
                   data=data or {}, seq=case.version + 1)
    return save(event, photos=photos, role=role)


def noted(case: Case, *, action: str, actor, at: dt.datetime, note: str = "", photos=(),
          role: str = PhotoRole.EVIDENCE) -> CaseEvent:
    """An event that changes no state (an undercover finding published, a problem found again), recorded
    after the version was taken."""
    event = _event(case, action, actor=actor, at=at, from_state=case.state, to_state=case.state, note=note,
                   seq=case.version + 1)
    return save(event, photos=photos, role=role)


def save(event: CaseEvent, *, photos=(), role: str = PhotoRole.BEFORE) -> CaseEvent:
    """Every event is inserted here, the first included (CaseEvent.save keeps the history append-only)."""
    event.save()
    if photos:
        EventPhoto.objects.bulk_create([EventPhoto(event=event, photo=p, role=role) for p in photos])
    return event


def _event(case, action, *, actor, at, from_state, to_state, seq, note="", data=None) -> CaseEvent:
    return CaseEvent(case=case, seq=seq, action=action, actor=actor if actor and actor.is_authenticated else None,
                     actor_name=display_name(actor), at=at, from_state=from_state, to_state=to_state,
                     note=note.strip(), data=data or {})
