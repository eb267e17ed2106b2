"""Inserting one row on a hot path with its SQL and parameters made before the transaction opens.

`Model.save()` builds its INSERT inside the caller's transaction; on SQLite that transaction holds the
database's only write lock (BEGIN IMMEDIATE), so every other writer waits while Python compiles SQL.
`PreparedInsert` does the same work — each field's `pre_save` and `get_db_prep_save`, as `save()` does —
up front, leaving only the statement itself for the locked section. On PostgreSQL several prepared inserts
can be composed into one statement (`statement()`), which is atomic by itself and costs one round trip.
See docs/decisions/0008.

It refuses a model whose insert it could not reproduce: one that overrides `save()`, or has a field the
database fills (`db_default`, a generated column). A model with `pre_save`/`post_save` receivers, or a
database that cannot return the new id, is saved the ordinary way, so no receiver is ever skipped.
"""

from __future__ import annotations

from django.db import connections, router
from django.db.models import NOT_PROVIDED, GeneratedField, Model
from django.db.models.signals import post_save, pre_save

_columns: dict[tuple[type[Model], str], tuple[str, str]] = {}


class PreparedInsert:
    """One unsaved instance, ready to insert; `late` names fields whose values are known only inside the
    transaction (a sequence number, the id of a row inserted just before) and are given to `execute`."""

    def __init__(self, instance: Model, late: tuple[str, ...] = ()):
        model = type(instance)
        problems = unsupported(model)
        if problems:
            raise TypeError(f"PreparedInsert cannot insert {model.__name__}: {'; '.join(problems)}")
        self.instance = instance
        self.using = router.db_for_write(model, instance=instance)
        self.connection = connection = connections[self.using]
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.plain = not (pre_save.has_listeners(model) or post_save.has_listeners(model)
                          or not connection.features.can_return_columns_from_insert)
        self.late = {name: i for i, f in enumerate(self.fields) for name in late if name in (f.name, f.attname)}
        missing = set(late) - set(self.late)
        if missing:
            raise ValueError(f"{model.__name__} has no field {', '.join(sorted(missing))}")
        if self.plain:
            self.params = [None if i in self.late.values() else self._value(f) for i, f in enumerate(self.fields)]

    def _value(self, field):
        return field.get_db_prep_save(field.pre_save(self.instance, True), connection=self.connection)

    def _check(self, late: dict) -> None:
        if set(late) != set(self.late):
            raise ValueError(f"late values needed: {sorted(self.late)}")

    def execute(self, **late_values) -> Model:
        """Insert the row (inside the caller's transaction) and return the instance, saved, with its id."""
        self._check(late_values)
        for name, value in late_values.items():
            setattr(self.instance, name, value)
        if not self.plain:
            self.instance.save(force_insert=True, using=self.using)
            return self.instance
        params = list(self.params)
        for index in self.late.values():
            params[index] = self._value(self.fields[index])
        sql, params = self._sql(["%s"] * len(self.fields), params)
        with self.connection.cursor() as cursor:
            cursor.execute(f"{sql} RETURNING {self.connection.ops.quote_name(self.instance._meta.pk.column)}",
                           params)
            return self.saved(cursor.fetchone()[0])

    def statement(self, **late_sql: tuple[str, list]) -> tuple[str, list]:
        """The INSERT (without RETURNING) and its parameters, each late field given as an SQL expression with
        its own parameters — for composing one statement of several inserts (PostgreSQL's data-modifying CTEs).
        Only for `plain` models (see `plain`)."""
        self._check(late_sql)
        if not self.plain:
            raise ValueError(f"{type(self.instance).__name__} has receivers: save it, do not compose it")
        placeholders, params = [], []
        positions = {index: name for name, index in self.late.items()}
        for index, value in enumerate(self.params):
            if index in positions:
                expression, expression_params = late_sql[positions[index]]
                placeholders.append(expression)
                params.extend(expression_params)
            else:
                placeholders.append("%s")
                params.append(value)
        return self._sql(placeholders, params)

    def saved(self, pk, **late_values) -> Model:
        """Mark the instance as inserted with this id (and the late values the database chose)."""
        for name, value in late_values.items():
            setattr(self.instance, name, value)
        self.instance.pk = pk
        self.instance._state.adding = False
        self.instance._state.db = self.using
        return self.instance

    def _sql(self, placeholders: list[str], params: list) -> tuple[str, list]:
        model = type(self.instance)
        key = (model, self.connection.vendor)
        if key not in _columns:
            quote = self.connection.ops.quote_name
            _columns[key] = (quote(model._meta.db_table), ", ".join(quote(f.column) for f in self.fields))
        table, columns = _columns[key]
        return f"INSERT INTO {table} ({columns}) VALUES ({', '.join(placeholders)})", params


def unsupported(model: type[Model]) -> list[str]:
    """Why a prepared insert would not write what `model.save()` writes (empty when it would).

    Any override of the save path counts (in a model or a mixin), unless the class that defines it says, in
    `save_refuses_updates_only`, that its override does nothing but refuse updates — which an insert never is.
    """
    problems = []
    for method in ("save", "save_base", "_save_table", "_do_insert"):
        if getattr(model, method) is getattr(Model, method):
            continue
        owner = next(cls for cls in model.__mro__ if method in vars(cls))
        if method == "save" and vars(owner).get("save_refuses_updates_only"):
            continue
        problems.append(f"{owner.__name__} overrides {method}()")
    for field in model._meta.concrete_fields:
        if isinstance(field, GeneratedField):
            problems.append(f"{field.name} is generated by the database")
        elif getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED:
            problems.append(f"{field.name} has a db_default")
        elif getattr(field, "db_returning", False) and not field.primary_key:
            problems.append(f"{field.name} is returned by the database")
    return problems
