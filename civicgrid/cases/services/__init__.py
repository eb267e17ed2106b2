"""Every change to a case, one module per concern: intake (reporting), transitions (the actions of the loop),
findings (what inspections find), escalation (notifications and the periodic tick), permissions (who may act),
events (the append-only history). The names below are the app's service interface for pages, the API, the
commands and the other apps."""

from civicgrid.cases.services.escalation import (
    TickResult,
    notify,
    notify_dispatched,
    office_users,
    tick,
    unit_users,
)
from civicgrid.cases.services.findings import (
    FindingOutcome,
    add_finding,
    publish_findings,
    record_finding,
    settle_by_recheck,
)
from civicgrid.cases.services.intake import ReportResult, next_number, possible_duplicates, report_case
from civicgrid.cases.services.permissions import (
    FINDING_SOURCES,
    acting_roles,
    available_actions,
    needs_verification,
    reportable_sources,
)
from civicgrid.cases.services.transitions import CaseConflict, perform, perform_by_codes, record_stateless

__all__ = [
    "FINDING_SOURCES", "CaseConflict", "FindingOutcome", "ReportResult", "TickResult", "acting_roles", "add_finding",
    "available_actions", "needs_verification", "next_number", "notify", "notify_dispatched", "office_users", "perform",
    "perform_by_codes", "possible_duplicates", "publish_findings", "record_finding", "record_stateless", "report_case",
    "reportable_sources", "settle_by_recheck", "tick", "unit_users",
]
