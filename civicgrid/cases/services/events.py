"""Every event of a case's append-only history is written by one of these functions, one per kind."""

from __future__ import annotations

import datetime as dt

from civicgrid.cases.choices import Action, PhotoRole, State
from civicgrid.cases.models import Case, CaseEvent, EventPhoto
from civicgrid.core.db import PreparedInsert


def display_name(user) -> str:
    if user is None or not user.is_authenticated:
        return ""
    person = getattr(user, "person", None)
    return person.name if person else user.get_username()


def reported(case: Case, *, actor, at: dt.datetime) -> CaseEvent:
    """The first event of a new case, unsaved: intake builds and prepares it before its transaction opens."""
    return _event(case, Action.REPORT, actor=actor, at=at, from_state="", to_state=State.REPORTED, seq=1)


def transitioned(case: Case, *, action: str, actor, at: dt.datetime, to_state: str, note: str = "",
                 data: dict | None = None, photos=(), role: str = PhotoRole.EVIDENCE) -> CaseEvent:
    """An action of the loop, recorded after its conditional update (`case` still holds the old state)."""
    event = _event(case, action, actor=actor, at=at, from_state=case.state, to_state=to_state, note=note,
                   data=data or {}, seq=case.version + 1)
    return save(event, photos=photos, role=role)


def noted(case: Case, *, action: str, actor, at: dt.datetime, note: str = "", data: dict | None = None, photos=(),
          role: str = PhotoRole.EVIDENCE) -> CaseEvent:
    """An event that changes no state (an undercover finding published, a problem found again), recorded
    after the version was taken."""
    event = _event(case, action, actor=actor, at=at, from_state=case.state, to_state=case.state, note=note,
                   data=data, seq=case.version + 1)
    return save(event, photos=photos, role=role)


def save(event: CaseEvent, *, photos=(), role: str = PhotoRole.BEFORE) -> CaseEvent:
    """Insert an event built by one of the functions above, with its photos (inside the caller's transaction).

    Every event is inserted as a PreparedInsert — a report's first one prepared before intake's transaction
    opens (`prepare`) — which writes exactly the row `save()` would (cases/tests/test_prepared_insert.py).
    """
    PreparedInsert(event).execute()
    link_photos(event, photos=photos, role=role)
    return event


def prepare(event: CaseEvent) -> PreparedInsert:
    """A report's first event, ready to insert once its case has an id (`execute(case=case)`)."""
    return PreparedInsert(event, late=("case",))


def link_photos(event: CaseEvent, *, photos=(), role: str = PhotoRole.BEFORE) -> None:
    if photos:
        EventPhoto.objects.bulk_create([EventPhoto(event=event, photo=p, role=role) for p in photos])


def _event(case, action, *, actor, at, from_state, to_state, seq, note="", data=None) -> CaseEvent:
    return CaseEvent(case=case, seq=seq, action=action, actor=actor if actor and actor.is_authenticated else None,
                     actor_name=display_name(actor), at=at, from_state=from_state, to_state=to_state,
                     note=note.strip(), data=data or {})
