"""Turns a user's grants into Scopes (see civicgrid.core.scoping): one per role, and one per action."""

from __future__ import annotations

from collections import defaultdict

from civicgrid.core.scoping import EVERYTHING, Scope
from civicgrid.organizations.choices import DISTRICT_WIDE_ROLES, EMBARGO_ROLES, ROLE_ACTIONS, Role


def role_scopes(user) -> dict[str, Scope]:
    """Each role the user holds and what its grants cover, cached on the user object for the request.

    A district-wide role (the campaign office) covers everything; a region grant covers the region's
    subtree (its code as a prefix); a unit grant covers the unit and all its descendants.
    """
    from civicgrid.organizations.models import Grant

    cache = user.__dict__.setdefault("_civicgrid_scopes", {})
    if "roles" not in cache:
        prefixes: dict[str, set[str]] = defaultdict(set)
        units: dict[str, set[int]] = defaultdict(set)
        for grant in Grant.objects.filter(user=user).select_related("region"):
            prefixes[grant.role]  # a grant without anchor still holds the role
            if grant.region_id:
                prefixes[grant.role].add(grant.region.code)
            if grant.unit_id:
                units[grant.role].add(grant.unit_id)
        cache["roles"] = {
            role: EVERYTHING if role in DISTRICT_WIDE_ROLES
            else Scope(region_prefixes=tuple(sorted(codes)), unit_ids=unit_subtree_ids(units[role]))
            for role, codes in prefixes.items()
        }
    return cache["roles"]


def held_roles(user) -> set[str]:
    """The roles the user holds; a superuser counts as the campaign office."""
    return {Role.ADMIN} if user.is_superuser else set(role_scopes(user))


def compute_scope(user, action: str) -> Scope:
    """The union of the scopes of the user's roles that allow `action`.

    The user's own person is added (a chief sees the places they lead); users without territory
    (public reporters) also reach the records they created themselves.
    """
    from civicgrid.organizations.models import Person

    scopes = [s for role, s in role_scopes(user).items() if action in ROLE_ACTIONS[role]]
    if not scopes:
        return Scope()
    if any(s.everything for s in scopes):
        return EVERYTHING
    prefixes = tuple(sorted({p for s in scopes for p in s.region_prefixes}))
    unit_ids = frozenset().union(*(s.unit_ids for s in scopes))
    person_ids = frozenset(Person.objects.filter(user=user).values_list("id", flat=True))
    # The user clause is for people without territory (public reporters). For staff it would only add
    # reports made outside their own area, at the price of an OR that defeats every region index.
    user_id = None if prefixes or unit_ids else user.pk
    return Scope(region_prefixes=prefixes, unit_ids=unit_ids, person_ids=person_ids, user_id=user_id)


def is_public_only(user) -> bool:
    """A signed-in account with no role but the public's (or none at all): a citizen's account."""
    if user is None or not user.is_authenticated:
        return False
    return held_roles(user) <= {Role.PUBLIC}


def is_citizen_account(user) -> bool:
    """An account holding the public's role and nothing else (a citizen signed in by phone): it belongs on the
    public side. Unlike `is_public_only`, an account without any role yet is not one."""
    return user is not None and user.is_authenticated and held_roles(user) == {Role.PUBLIC}


def reads_internal_documents(user) -> bool:
    """Whether the user works for the campaign (any role but the public's and a place chief's): published
    bulletins and briefings name units, shops and case numbers, so they are staff reading unless made public."""
    if user is None or not user.is_authenticated:
        return False
    return bool(held_roles(user) - {Role.PUBLIC, Role.PLACE_CHIEF})


def sees_embargoed(user) -> bool:
    """Whether the user may see undercover findings before publication."""
    if user is None or not user.is_authenticated:
        return False
    return bool(held_roles(user) & EMBARGO_ROLES)


def unit_subtree_ids(root_ids: set[int]) -> frozenset[int]:
    """The given units and all their descendants (one query per tree level)."""
    from civicgrid.organizations.models import Unit

    found = set(root_ids)
    frontier = set(root_ids)
    while frontier:
        frontier = set(Unit.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= frontier
    return frozenset(found)


class RolePolicy:
    """What core.scoping asks of the organizations app (settings.ACCESS_POLICY names `policy`)."""

    scope = staticmethod(compute_scope)
    sees_embargoed = staticmethod(sees_embargoed)
    reads_internal_documents = staticmethod(reads_internal_documents)


policy = RolePolicy()
