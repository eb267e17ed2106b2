"""The one access gate: `restrict(user, action)` on every queryset a user reads or writes through.

A user's grants become a `Scope`: region-code prefixes (a grant on a region covers its subtree because codes
are materialised paths), unit ids (a unit grant covers the unit and its sub-units and what they are responsible
for) and the user's own person (a place chief sees the places they lead). Each queryset declares which of its
fields carry the region code, the responsible unit and the responsible person, and which further `Gate`s its
rows pass (undercover work hidden until published, drafts kept to the office, the office's own records).

Who holds which role is the organizations app's business; this module reaches it through the policy named by
the ACCESS_POLICY setting (see organizations.access.RolePolicy), never by importing upwards.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.signals import setting_changed
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.module_loading import import_string
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

    def overlaps_region(self, code: str) -> bool:
        """True when the region shares ground with the scope: it lies in a granted subtree or contains one (the
        district, a street above a community grant), or the scope is not territorial at all (a unit's, the
        office's) and so is narrowed by each record's own fields instead."""
        return self.everything or not self.region_prefixes or any(
            code.startswith(p) or p.startswith(code) for p in self.region_prefixes)


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
        cache[action] = access_policy().scope(user, action)
    return cache[action]


@functools.cache
def access_policy():
    """The object that knows who holds which role (settings.ACCESS_POLICY, a dotted path).

    It answers `scope(user, action)` with a Scope, and `sees_embargoed(user)` and
    `reads_internal_documents(user)` with a bool.
    """
    return import_string(settings.ACCESS_POLICY)


def _forget_policy(*, setting, **kwargs):
    if setting == "ACCESS_POLICY":
        access_policy.cache_clear()


setting_changed.connect(_forget_policy)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


class Gate:
    """A condition a queryset declares on top of (or instead of) the territory.

    `condition(user, action)` answers True (every row passes), False (none does) or a Q the rows must match.
    """

    def condition(self, user, action: str) -> Q | bool:
        raise NotImplementedError


@dataclass(frozen=True)
class Embargo(Gate):
    """Undercover findings (暗访) stay hidden from the inspected until the office publishes them: only the
    office and the assessors see rows whose `field` is still true."""

    field: str = "embargoed"

    def condition(self, user, action: str) -> Q | bool:
        return True if _signed_in(user) and access_policy().sees_embargoed(user) else Q(**{self.field: False})


@dataclass(frozen=True)
class Released(Gate):
    """Rows are the office's and the assessors' until their status reaches `value`; only the office writes."""

    status_field: str
    value: str

    def condition(self, user, action: str) -> Q | bool:
        if action != "view":
            return is_office(user)
        if _signed_in(user) and access_policy().sees_embargoed(user):
            return True
        return Q(**{self.status_field: self.value})


@dataclass(frozen=True)
class Publication(Gate):
    """A document the office drafts, publishes to staff and may make public: drafts are the office's, staff
    read published ones, everyone else (citizens, place chiefs) only those with `public_field` set."""

    status_field: str = "status"
    published: str = "published"
    public_field: str = "public_at"

    def condition(self, user, action: str) -> Q | bool:
        if is_office(user):
            return True
        if action != "view":
            return False
        published = Q(**{self.status_field: self.published})
        if _signed_in(user) and access_policy().reads_internal_documents(user):
            return published
        return published & Q(**{f"{self.public_field}__isnull": False})


@dataclass(frozen=True)
class OfficeOnly(Gate):
    """The campaign office's own records (the audit trail): nobody else reads or writes them."""

    def condition(self, user, action: str) -> Q | bool:
        return _signed_in(user) and is_office(user)


@dataclass(frozen=True)
class Owned(Gate):
    """Rows that are one user's own (an export they asked for): theirs alone, whatever their roles."""

    field: str = "owner"

    def condition(self, user, action: str) -> Q | bool:
        return Q(**{f"{self.field}_id": user.pk}) if _signed_in(user) else False


@dataclass(frozen=True)
class ReferenceData(Gate):
    """Dictionaries every signed-in user reads (case classes, standards); only the office changes them."""

    def condition(self, user, action: str) -> Q | bool:
        return _signed_in(user) if action == "view" else is_office(user)


def forget_scopes(user) -> None:
    """Drop cached scopes after the user's grants changed."""
    user.__dict__.pop("_civicgrid_scopes", None)


class ScopedQuerySet(models.QuerySet):
    """A queryset that can be narrowed to what a user may reach: `restrict(user, action)` is the only call.

    Subclasses name their scope-carrying fields (a field left as None does not grant access) and the gates
    their rows pass besides. A queryset whose rows belong to no territory says so with `territorial = False`
    and must then declare at least one gate, so that forgetting both never means "visible to everyone".
    """

    territorial: bool = True
    scope_region_field: str | None = None
    scope_unit_field: str | None = None
    scope_person_field: str | None = None
    scope_user_field: str | None = None
    gates: tuple[Gate, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        fields = (cls.scope_region_field, cls.scope_unit_field, cls.scope_person_field, cls.scope_user_field)
        if cls.territorial and not any(fields):
            raise TypeError(f"{cls.__name__} names no scope field: declare one, or territorial = False and gates")
        if not cls.territorial and not cls.gates:
            raise TypeError(f"{cls.__name__} is not territorial and declares no gate")

    def restrict(self, user, action: str = "view"):
        """Rows the user may `action`; out-of-scope rows simply are not there."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        queryset = self
        if self.territorial:
            scope = scope_for(user, action)
            if not scope.everything:
                condition = self.scope_condition(scope)
                if condition is None:
                    return self.none()
                queryset = queryset.filter(condition)
        for gate in self.gates:
            condition = gate.condition(user, action)
            if condition is False:
                return self.none()
            if condition is not True:
                queryset = queryset.filter(condition)
        return queryset

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


class ReferenceQuerySet(ScopedQuerySet):
    """Dictionaries (case classes, point types, standards): every signed-in user reads, the office changes."""

    territorial = False
    gates = (ReferenceData(),)


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
