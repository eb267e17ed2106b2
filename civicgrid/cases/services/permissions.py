"""Who may act on a case, and under which sources a user may report."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civicgrid.cases.choices import SOURCES_NEEDING_VERIFICATION, Source, State
from civicgrid.cases.models import Case
from civicgrid.cases.workflow import TRANSITIONS, allowed, may_take
from civicgrid.organizations.access import held_roles, is_public_only, role_scopes
from civicgrid.organizations.choices import Role


def acting_roles(user, case: Case) -> set[str]:
    """The roles the user holds whose grants cover this case (a region grant its subtree, a unit grant its units)."""
    if user.is_superuser:
        return {Role.ADMIN}
    return {role for role, scope in role_scopes(user).items()
            if scope.covers_region(case.region_code) or case.responsible_unit_id in scope.unit_ids}


def available_actions(user, case: Case) -> list[str]:
    """The actions this user may take on this case now."""
    roles = acting_roles(user, case)
    needs = needs_verification(case)
    return [a for a in TRANSITIONS if allowed(a, State(case.state), needs) and may_take(a, roles)]


def needs_verification(case: Case) -> bool:
    return case.source in SOURCES_NEEDING_VERIFICATION


# Findings are made by inspections (civicgrid.inspections.services), never typed in as a source.
FINDING_SOURCES = frozenset({Source.INSPECTION, Source.UNDERCOVER})


def reportable_sources(user) -> list[str]:
    """The sources this user may give a case reported through the form or the API, the default first.

    Anyone may pass on a citizen's report; the other sources belong to the roles the office allows
    (REPORT_SOURCE_ROLES); a citizen's account reports only as the public.
    """
    if user is None or not user.is_authenticated or is_public_only(user):
        return [Source.PUBLIC_REPORT]
    roles = held_roles(user)
    # REPORT_SOURCE_ROLES never names findings or public reports (cases.checks refuses it at start-up).
    return [*(source for source, allowed in settings.REPORT_SOURCE_ROLES.items() if roles & set(allowed)),
            Source.PUBLIC_REPORT]


def check_source(actor, source: str | None) -> str:
    allowed_sources = reportable_sources(actor)
    if source is None or source == "":
        return allowed_sources[0]
    if source not in allowed_sources:
        if source in FINDING_SOURCES:
            message = _("检查考评和第三方暗访的问题只能由检查的不合格项生成。")
        else:
            message = _("你的角色不能以“%(source)s”来源上报。") % {"source": Source(source).label}
        raise ValidationError({"source": [message]})
    return source
