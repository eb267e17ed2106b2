"""The case state machine as data: which action moves which states where, and who may take it.

Roles follow domain.md §2: acceptor registers and merges duplicates, the shift leader files,
rejects, voids and closes, the dispatcher dispatches and decides on extensions and parking, the
department handler handles, returns and asks for more time, the inspector verifies and checks.
The campaign office (admin) may take every action.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from civicgrid.cases import effects
from civicgrid.cases.choices import Action, State
from civicgrid.organizations.choices import Role

S = State
A = Action


@dataclass(frozen=True)
class Transition:
    """One action of the loop: from which states, to which state, who may take it, and its effect on the row
    (civicgrid.cases.effects: the updates and the event's data)."""

    action: Action
    sources: frozenset[State]
    target: State
    roles: frozenset[Role]
    effect: Callable
    note_required: bool = False

    @property
    def label(self) -> str:
        return str(self.action.label)


def _t(action, sources, target, roles, effect, note_required=False) -> Transition:
    return Transition(Action(action), frozenset(sources), target, frozenset(roles), effect, note_required)


TRANSITIONS: dict[str, Transition] = {t.action.value: t for t in [
    _t(A.VERIFY, {S.REPORTED}, S.VERIFIED, {Role.INSPECTOR}, effects.verify),
    _t(A.FILE, {S.REPORTED, S.VERIFIED}, S.FILED, {Role.SHIFT_LEADER}, effects.file),
    _t(A.REJECT, {S.REPORTED, S.VERIFIED}, S.REJECTED, {Role.SHIFT_LEADER}, effects.void, note_required=True),
    _t(A.DISPATCH, {S.FILED, S.RETURNED}, S.HANDLING, {Role.DISPATCHER}, effects.dispatch),
    _t(A.RETURN, {S.HANDLING}, S.RETURNED, {Role.HANDLER}, effects.return_, note_required=True),
    _t(A.REQUEST_EXTENSION, {S.HANDLING}, S.EXTENSION_REQUESTED, {Role.HANDLER}, effects.request_extension,
       note_required=True),
    _t(A.APPROVE_EXTENSION, {S.EXTENSION_REQUESTED}, S.HANDLING, {Role.DISPATCHER}, effects.approve_extension),
    _t(A.REFUSE_EXTENSION, {S.EXTENSION_REQUESTED}, S.HANDLING, {Role.DISPATCHER}, effects.no_change,
       note_required=True),
    _t(A.PARK, {S.HANDLING}, S.PARKED, {Role.DISPATCHER}, effects.park, note_required=True),
    _t(A.RESUME, {S.PARKED}, S.HANDLING, {Role.DISPATCHER}, effects.resume),
    _t(A.HANDLE, {S.HANDLING}, S.HANDLED, {Role.HANDLER}, effects.handle),
    _t(A.CHECK_PASS, {S.HANDLED}, S.CHECKED, {Role.INSPECTOR}, effects.check_pass),
    _t(A.CHECK_FAIL, {S.HANDLED}, S.HANDLING, {Role.INSPECTOR}, effects.check_fail, note_required=True),
    _t(A.CLOSE, {S.CHECKED}, S.CLOSED, {Role.SHIFT_LEADER}, effects.close),
    _t(A.VOID, {S.REPORTED, S.VERIFIED, S.FILED}, S.VOIDED, {Role.SHIFT_LEADER}, effects.void, note_required=True),
    _t(A.MERGE, {S.REPORTED, S.VERIFIED, S.FILED}, S.MERGED, {Role.ACCEPTOR, Role.SHIFT_LEADER}, effects.merge),
    # Only the office, on a reporter's 不满意 (civicgrid.citizens.services.review).
    _t(A.REOPEN, {S.CLOSED}, S.HANDLING, set(), effects.reopen, note_required=True),
]}
ACTION_NAMES = list(TRANSITIONS)
REPORT = Action.REPORT  # the pseudo-action of the first event
PUBLISH = Action.PUBLISH  # an undercover finding made visible; the state does not change
FINDING = Action.FINDING  # an inspection found the same problem again; the state does not change
STATELESS_ACTIONS = frozenset({PUBLISH, FINDING, Action.DEADLINE, Action.CITIZEN_UPDATE, Action.FEEDBACK,
                               Action.REVIEW_KEEP, Action.MODERATE})


def allowed(action: str, state: State, needs_verification: bool) -> bool:
    """Whether `action` may be taken from `state` (ignoring roles)."""
    transition = TRANSITIONS[action]
    if state not in transition.sources:
        return False
    # Public reports must be verified on site before they are filed; nothing else is verified.
    if action == "verify":
        return needs_verification
    return not (action == "file" and needs_verification and state == S.REPORTED)


def may_take(action: str, roles: set[str]) -> bool:
    return Role.ADMIN in roles or bool(TRANSITIONS[action].roles & roles)


class ReplayError(ValueError):
    """An event history that the state machine could not have produced."""


def replay(events, needs_verification: bool) -> State:
    """Rebuild a case's state from its events, checking each step against the table."""
    state: State | None = None
    for event in events:
        if event.action == REPORT:
            if state is not None or event.to_state != S.REPORTED:
                raise ReplayError(f"event {event.seq}: a case is reported once, first")
            state = S.REPORTED
            continue
        if event.action in STATELESS_ACTIONS and state is not None and event.from_state == event.to_state == state:
            continue
        if state is None or event.action not in TRANSITIONS:
            raise ReplayError(f"event {event.seq}: unknown or premature action {event.action!r}")
        if not allowed(event.action, state, needs_verification):
            raise ReplayError(f"event {event.seq}: {event.action} is not allowed from {state}")
        if event.from_state != state or event.to_state != TRANSITIONS[event.action].target:
            raise ReplayError(f"event {event.seq}: recorded {event.from_state}→{event.to_state}, expected "
                              f"{state}→{TRANSITIONS[event.action].target}")
        state = TRANSITIONS[event.action].target
    if state is None:
        raise ReplayError("no events")
    return state
