"""System checks: the office's settings for the case loop name real sources and roles."""

from django.conf import settings
from django.core import checks

from civicgrid.cases.choices import Source
from civicgrid.organizations.choices import Role


@checks.register(checks.Tags.compatibility)
def report_source_roles(app_configs, **kwargs):
    """REPORT_SOURCE_ROLES may only name sources typed in at intake, and roles that exist."""
    problems = []
    for source, roles in settings.REPORT_SOURCE_ROLES.items():
        if source not in Source.values or source in (Source.INSPECTION, Source.UNDERCOVER, Source.PUBLIC_REPORT):
            problems.append(checks.Error(
                f"REPORT_SOURCE_ROLES names {source!r}, which is not a source a person may choose.",
                hint="Inspection and undercover findings come from inspections; anyone may relay a public report.",
                id="cases.E001"))
        for role in roles:
            if role not in Role.values:
                problems.append(checks.Error(f"REPORT_SOURCE_ROLES: {role!r} is not a role.",
                                             hint=f"Roles: {', '.join(Role.values)}", id="cases.E002"))
    return problems
