"""The one access choke point: `restrict(user, action)` on every territory-bound queryset.

A user's grants (organizations.Grant) become a `Scope`: region-code prefixes (a grant on a
region covers its subtree because codes are materialised paths), unit ids (a unit grant
covers the unit and its sub-units and what they are responsible for) and the user's own
person (a place chief sees the places they lead). Each model's queryset says which of its
fields carry the region code, the responsible unit and the responsible person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

ACTIONS = ("view", "add", "change", "delete")


@dataclass(frozen=True)
class Scope:
    """What a user may reach for one action."""

    everything: bool = False
    region_prefixes: tuple[str, ...] = ()
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    person_ids: frozenset[int] = field(default_factory=frozenset)
    user_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.region_prefixes or self.unit_ids or self.person_ids or self.user_id)

    def covers_region(self, code: str | None) -> bool:
        """True when `code` lies in one of the granted subtrees."""
        return self.everything or bool(code and any(code.startswith(p) for p in self.region_prefixes))


def prefix_q(field_name: str, prefix: str) -> Q:
    """`field LIKE 'prefix%'` as a range both databases serve from a plain B-tree index.

    SQLite cannot use an index for LIKE unless case_sensitive_like is on, and PostgreSQL needs
    a pattern-ops index; `prefix <= field < successor(prefix)` needs neither.
    """
    upper = _successor(prefix)
    condition = Q(**{f"{field_name}__gte": prefix})
    return condition & Q(**{f"{field_name}__lt": upper}) if upper else condition


def _successor(prefix: str) -> str | None:
    """The smallest string greater than every string starting with `prefix` (None if there is none).

    Digit codes stay digits ("2101120039" → "210112004"), so the bound sorts the same under any
    collation, including PostgreSQL's locale-aware ones.
    """
    stripped = prefix.rstrip("9") if prefix.isdigit() else prefix
    if not stripped:
        return None
    return stripped[:-1] + chr(ord(stripped[-1]) + 1)


NOTHING = Scope()
EVERYTHING = Scope(everything=True)


def scope_for(user, action: str) -> Scope:
    """Return the user's scope for `action`, cached on the user object for the request."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    cache = user.__dict__.setdefault("_civicgrid_scopes", {})
    if action not in cache:
        from civicgrid.organizations.access import compute_scope

        cache[action] = compute_scope(user, action)
    return cache[action]


def forget_scopes(user) -> None:
    """Drop cached scopes after the user's grants changed."""
    user.__dict__.pop("_civicgrid_scopes", None)


class ScopedQuerySet(models.QuerySet):
    """A queryset that can be narrowed to what a user may reach.

    Subclasses name their scope-carrying fields; a field left as None does not grant access.
    """

    scope_region_field: str | None = None
    scope_unit_field: str | None = None
    scope_person_field: str | None = None
    scope_user_field: str | None = None

    def restrict(self, user, action: str = "view"):
        """Rows the user may `action`; out-of-scope rows simply are not there."""
        scope = scope_for(user, action)
        if scope.everything:
            return self
        condition = self.scope_condition(scope)
        return self.filter(condition) if condition is not None else self.none()

    def region_q(self, field_name: str, prefix: str) -> Q:
        """Rows in the subtree of `prefix`; models with per-level code columns override this."""
        return prefix_q(field_name, prefix)

    def scope_condition(self, scope: Scope) -> Q | None:
        """Build the filter for a scope, or None when nothing can match."""
        condition = Q()
        matched = False
        if self.scope_region_field and scope.region_prefixes:
            for prefix in _minimal_prefixes(scope.region_prefixes):
                condition |= self.region_q(self.scope_region_field, prefix)
            matched = True
        if self.scope_unit_field and scope.unit_ids:
            condition |= Q(**{f"{self.scope_unit_field}__in": sorted(scope.unit_ids)})
            matched = True
        if self.scope_person_field and scope.person_ids:
            condition |= Q(**{f"{self.scope_person_field}__in": sorted(scope.person_ids)})
            matched = True
        if self.scope_user_field and scope.user_id:
            condition |= Q(**{self.scope_user_field: scope.user_id})
            matched = True
        return condition if matched else None


def _minimal_prefixes(prefixes: tuple[str, ...]) -> list[str]:
    """Drop prefixes already covered by a shorter one (a street grant makes its communities redundant)."""
    kept: list[str] = []
    for prefix in sorted(set(prefixes), key=len):
        if not any(prefix.startswith(k) for k in kept):
            kept.append(prefix)
    return kept


def is_office(user) -> bool:
    """Whether the user reaches the whole district for changes (the campaign office)."""
    return scope_for(user, "change").everything


def require_office(user, what: str) -> None:
    """Refuse unless the user reaches the whole district for changes (the campaign office).

    `user` None means the server's own operator (management commands), who is trusted.
    """
    if user is not None and not is_office(user):
        raise PermissionDenied(_("只有创城办可以%s。") % what)


def get_in_scope(queryset: ScopedQuerySet, user, action: str = "view", **lookup):
    """Fetch one object the user may `action`, or raise Http404 so existence does not leak."""
    try:
        return queryset.restrict(user, action).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404(f"No {queryset.model._meta.verbose_name} matches the given query.") from None


def ensure_in_scope(obj: models.Model, user, action: str) -> None:
    """Re-check inside a write's transaction that `obj` is still within the user's reach.

    Raises Http404 when the user cannot even see it, PermissionDenied when they can see but not `action` it.
    """
    manager = type(obj)._default_manager
    if manager.restrict(user, action).filter(pk=obj.pk).exists():
        return
    if action != "view" and manager.restrict(user, "view").filter(pk=obj.pk).exists():
        raise PermissionDenied(f"You may not {action} this {obj._meta.verbose_name}.")
    raise Http404(f"No {obj._meta.verbose_name} matches the given query.")
