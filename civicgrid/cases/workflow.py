"""The case state machine as data: which action moves which states where, and who may take it.

Roles follow domain.md §2: acceptor registers and merges duplicates, the shift leader files,
rejects, voids and closes, the dispatcher dispatches and decides on extensions and parking, the
department handler handles, returns and asks for more time, the inspector verifies and checks.
The campaign office (admin) may take every action.
"""

from __future__ import annotations

from dataclasses import dataclass

from civicgrid.cases.choices import State
from civicgrid.organizations.choices import Role

S = State


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[State]
    target: State
    roles: frozenset[Role]
    note_required: bool = False


def _t(action, label, sources, target, roles, note_required=False) -> Transition:
    return Transition(action, label, frozenset(sources), target, frozenset(roles), note_required)


TRANSITIONS: dict[str, Transition] = {t.action: t for t in [
    _t("verify", "核实", {S.REPORTED}, S.VERIFIED, {Role.INSPECTOR}),
    _t("file", "立案", {S.REPORTED, S.VERIFIED}, S.FILED, {Role.SHIFT_LEADER}),
    _t("reject", "不予立案", {S.REPORTED, S.VERIFIED}, S.REJECTED, {Role.SHIFT_LEADER}, note_required=True),
    _t("dispatch", "派遣", {S.FILED, S.RETURNED}, S.HANDLING, {Role.DISPATCHER}),
    _t("return", "回退", {S.HANDLING}, S.RETURNED, {Role.HANDLER}, note_required=True),
    _t("request_extension", "申请延期", {S.HANDLING}, S.EXTENSION_REQUESTED, {Role.HANDLER}, note_required=True),
    _t("approve_extension", "批准延期", {S.EXTENSION_REQUESTED}, S.HANDLING, {Role.DISPATCHER}),
    _t("refuse_extension", "不批准延期", {S.EXTENSION_REQUESTED}, S.HANDLING, {Role.DISPATCHER}, note_required=True),
    _t("park", "挂账", {S.HANDLING}, S.PARKED, {Role.DISPATCHER}, note_required=True),
    _t("resume", "恢复处置", {S.PARKED}, S.HANDLING, {Role.DISPATCHER}),
    _t("handle", "处置完毕", {S.HANDLING}, S.HANDLED, {Role.HANDLER}),
    _t("check_pass", "核查通过", {S.HANDLED}, S.CHECKED, {Role.INSPECTOR}),
    _t("check_fail", "核查不通过（返工）", {S.HANDLED}, S.HANDLING, {Role.INSPECTOR}, note_required=True),
    _t("close", "结案", {S.CHECKED}, S.CLOSED, {Role.SHIFT_LEADER}),
    _t("void", "作废", {S.REPORTED, S.VERIFIED, S.FILED}, S.VOIDED, {Role.SHIFT_LEADER}, note_required=True),
    _t("merge", "合并为重复案件", {S.REPORTED, S.VERIFIED, S.FILED}, S.MERGED, {Role.ACCEPTOR, Role.SHIFT_LEADER}),
]}
ACTION_NAMES = list(TRANSITIONS)
REPORT = "report"  # the pseudo-action of the first event
PUBLISH = "publish"  # an undercover finding made visible; the state does not change
FINDING = "finding"  # an inspection found the same problem again; the state does not change
STATELESS_ACTIONS = frozenset({PUBLISH, FINDING})


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
