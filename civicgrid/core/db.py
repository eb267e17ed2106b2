"""Inserting one row on a hot path with its SQL and parameters made before the transaction opens.

`Model.save()` builds its INSERT inside the caller's transaction; on SQLite that transaction holds the
database's only write lock (BEGIN IMMEDIATE), so every other writer waits while Python compiles SQL.
`PreparedInsert` does the same work — each field's `pre_save` and `get_db_prep_save`, as `save()` does —
up front, leaving only the statement itself for the locked section. See docs/decisions/0007.
"""

from __future__ import annotations

from django.db import connections, router
from django.db.models import Model
from django.db.models.signals import post_save, pre_save

_statements: dict[tuple[type[Model], str], str] = {}


class PreparedInsert:
    """One unsaved instance, ready to insert; `late` names fields whose values are known only inside the
    transaction (a sequence number, the id of a row inserted just before) and are passed to `execute`."""

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
            self.sql = _statement(model, self.fields, connection)

    def _value(self, field):
        return field.get_db_prep_save(field.pre_save(self.instance, True), connection=self.connection)

    def execute(self, **late_values) -> Model:
        """Insert the row (inside the caller's transaction) and return the instance, saved, with its id."""
        if set(late_values) != set(self.late):
            raise ValueError(f"late values needed: {sorted(self.late)}")
        for name, value in late_values.items():
            setattr(self.instance, name, value)
        if not self.plain:
            self.instance.save(force_insert=True, using=self.using)
            return self.instance
        params = list(self.params)
        for index in self.late.values():
            params[index] = self._value(self.fields[index])
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            self.instance.pk = cursor.fetchone()[0]
        self.instance._state.adding = False
        self.instance._state.db = self.using
        return self.instance


def _statement(model: type[Model], fields, connection) -> str:
    key = (model, connection.vendor)
    if key not in _statements:
        quote = connection.ops.quote_name
        _statements[key] = (
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(model._meta.pk.column)}"
        )
    return _statements[key]
