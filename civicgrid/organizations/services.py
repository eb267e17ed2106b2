"""Changes to units, people, grants and contracts."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from civicgrid.core.scoping import ensure_in_scope, forget_scopes
from civicgrid.organizations.choices import UNANCHORED_ROLES, Role
from civicgrid.organizations.models import Contract, Grant, Person, Unit


def grant_role(user, role: Role | str, *, region=None, unit=None) -> Grant:
    """Give `user` a role on a region (its subtree) or a unit (and its sub-units)."""
    role = Role(role)
    if role not in UNANCHORED_ROLES and region is None and unit is None:
        raise ValidationError({"region": f"The role {role.label} needs a region or a unit."})
    grant, _ = Grant.objects.get_or_create(user=user, role=role, region=region, unit=unit)
    forget_scopes(user)
    return grant


def contract(
    *,
    target,
    person: Person | None = None,
    unit: Unit | None = None,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    letter_signed_on: dt.date | None = None,
    note: str = "",
    actor=None,
) -> Contract:
    """Contract (包保) a person or a unit to a region or a place for a period."""
    from civicgrid.territory.models import Place, Region

    fields = {"person": person, "unit": unit, "starts_on": starts_on, "ends_on": ends_on,
              "letter_signed_on": letter_signed_on, "note": note}
    if isinstance(target, Region):
        fields.update(region=target, region_code=target.code)
    elif isinstance(target, Place):
        fields.update(place=target, region_code=target.region_code)
    else:
        raise ValidationError({"target": "A contract's target is a region or a place."})
    with transaction.atomic():
        record = Contract(**fields)
        record.full_clean()
        record.save()
        if actor is not None:
            ensure_in_scope(record, actor, "add")
    return record


def contracted_leader(region_code: str, day: dt.date) -> Person | None:
    """The person contracted to the street containing `region_code` on `day` (for escalation)."""
    from civicgrid.territory.choices import Level
    from civicgrid.territory.codes import code_length

    street = region_code[: code_length(Level.STREET)]
    found = (
        Contract.objects.active_on(day)
        .filter(region__code=street, person__isnull=False)
        .select_related("person__user")
        .order_by("starts_on")
        .first()
    )
    return found.person if found else None
