"""Questions the pages ask about the signed-in user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from civicgrid.organizations.access import role_scopes
from civicgrid.organizations.choices import Role
from civicgrid.organizations.models import Contract, Grant, Person
from civicgrid.territory.choices import Level
from civicgrid.territory.models import Place, Region


@dataclass
class Workspace:
    """What a home page shows: who you are, where you work, what you can reach."""

    roles: list[str]
    role_labels: list[str]
    person: Person | None
    anchors: list[str]
    region_counts: dict[str, int]
    place_count: int
    contracts: list[Contract]
    led_places: list[Place]


def user_roles(user) -> list[str]:
    """The user's role values, superusers counting as the campaign office."""
    roles = set(role_scopes(user)) | ({Role.ADMIN} if user.is_superuser else set())
    return sorted(roles, key=lambda r: list(Role).index(r))


def workspace(user, today: dt.date | None = None) -> Workspace:
    """Everything the home page needs, counted within the user's scope."""
    today = today or timezone.localdate()
    roles = user_roles(user)
    person = Person.objects.filter(user=user).select_related("unit").first()
    grants = Grant.objects.filter(user=user).select_related("region", "unit")
    anchors = [str(g.region or g.unit) for g in grants if g.region_id or g.unit_id]
    regions = Region.objects.restrict(user, "view")
    counts = {level.label: regions.filter(level=level).count() for level in Level}
    contracts = (
        list(Contract.objects.active_on(today).filter(person=person).select_related("region", "place"))
        if person else []
    )
    led = list(Place.objects.filter(chief=person).select_related("kind")[:50]) if person else []
    return Workspace(
        roles=roles,
        role_labels=[Role(r).label for r in roles],
        person=person,
        anchors=anchors,
        region_counts=counts,
        place_count=Place.objects.restrict(user, "view").count(),
        contracts=contracts,
        led_places=led,
    )

