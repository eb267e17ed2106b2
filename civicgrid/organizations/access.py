"""Turns a user's grants into a Scope (see civicgrid.core.scoping)."""

from __future__ import annotations

from civicgrid.core.scoping import EVERYTHING, Scope
from civicgrid.organizations.choices import DISTRICT_WIDE_ROLES, ROLE_ACTIONS


def compute_scope(user, action: str) -> Scope:
    """Collect region prefixes, unit subtrees and the user's own person for grants that allow `action`.

    1. Grants whose role does not allow the action are ignored.
    2. A district-wide role (the campaign office) reaches everything.
    3. A region grant adds the region's code as a prefix (its whole subtree).
    4. A unit grant adds the unit and all of its descendants.
    5. Any allowing grant also adds the user's own person (a chief sees the places they lead); users
       without territory (public reporters) also reach the records they created themselves.
    """
    from civicgrid.organizations.models import Grant, Person

    grants = [g for g in Grant.objects.filter(user=user).select_related("region") if action in ROLE_ACTIONS[g.role]]
    if not grants:
        return Scope()
    if any(g.role in DISTRICT_WIDE_ROLES for g in grants):
        return EVERYTHING
    prefixes = tuple(sorted({g.region.code for g in grants if g.region_id}))
    unit_ids = unit_subtree_ids({g.unit_id for g in grants if g.unit_id})
    person_ids = frozenset(Person.objects.filter(user=user).values_list("id", flat=True))
    # The user clause is for people without territory (public reporters). For staff it would only add
    # reports made outside their own area, at the price of an OR that defeats every region index.
    user_id = None if prefixes or unit_ids else user.pk
    return Scope(region_prefixes=prefixes, unit_ids=unit_ids, person_ids=person_ids, user_id=user_id)


def sees_embargoed(user) -> bool:
    """Whether the user may see undercover findings before publication (cached on the user object)."""
    from civicgrid.organizations.choices import EMBARGO_ROLES
    from civicgrid.organizations.models import Grant

    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cache = user.__dict__.setdefault("_civicgrid_scopes", {})
    if "embargo" not in cache:
        cache["embargo"] = Grant.objects.filter(user=user, role__in=EMBARGO_ROLES).exists()
    return cache["embargo"]


def unit_subtree_ids(root_ids: set[int]) -> frozenset[int]:
    """The given units and all their descendants (one query per tree level)."""
    from civicgrid.organizations.models import Unit

    found = set(root_ids)
    frontier = set(root_ids)
    while frontier:
        frontier = set(Unit.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= frontier
    return frozenset(found)
