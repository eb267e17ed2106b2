"""Inserting one row on a hot path with its SQL and parameters made before the transaction opens.

`Model.save()` builds its INSERT inside the caller's transaction; on SQLite that transaction holds the
database's only write lock (BEGIN IMMEDIATE), so every other writer waits while Python compiles SQL.
`PreparedInsert` does the same work — each field's `pre_save` and `get_db_prep_save`, as `save()` does —
up front, leaving only the statement itself for the locked section. On PostgreSQL several prepared inserts
can be composed into one statement (`statement()`), which is atomic by itself and costs one round trip.
See docs/decisions/0008.
"""

from __future__ import annotations

from django.db import connections, router
from django.db.models import Model
from django.db.models.signals import post_save, pre_save

_columns: dict[tuple[type[Model], str], tuple[str, str]] = {}


class PreparedInsert:
    """One unsaved instance, ready to insert; `late` names fields whose values are known only inside the
    transaction (a sequence number, the id of a row inserted just before) and are given to `execute`."""

    def __init__(self, instance: Model, late: tuple[str, ...] = ()):
        model = type(instance)
        self.instance = instance
        self.using = router.db_for_write(model, instance=instance)
        self.connection = connection = connections[self.using]
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        # A model somebody listens to is saved the ordinary way, so no receiver is ever skipped.
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
        its own parameters — for composing one statement of several inserts. Only for `plain` models."""
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
