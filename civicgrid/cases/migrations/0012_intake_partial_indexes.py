"""Four foreign-key indexes every report wrote: the event's case index (the unique (case, seq) index serves
it) goes, the others become partial. The indexes are dropped by name, not by altering the fields, because
SQLite would rebuild both tables to alter a field."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


FOREIGN_KEYS = (("case", "place"), ("case", "reporter"), ("caseevent", "actor"), ("caseevent", "case"))


def _single_column_indexes(apps, schema_editor):
    for model_name, field_name in FOREIGN_KEYS:
        model = apps.get_model("cases", model_name)
        column = model._meta.get_field(field_name).column
        yield model, column, schema_editor._constraint_names(model, [column], index=True, unique=False)


def drop_indexes(apps, schema_editor):
    for model, _column, names in _single_column_indexes(apps, schema_editor):
        for name in names:
            schema_editor.execute(schema_editor._delete_index_sql(model, name))


def create_indexes(apps, schema_editor):
    for model, column, names in _single_column_indexes(apps, schema_editor):
        if not names:
            field = next(f for f in model._meta.concrete_fields if f.column == column)
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0011_closed_at_index'),
        ('organizations', '0002_initial'),
        ('territory', '0004_small_business_categories'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_indexes, create_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name='case',
                    name='place',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='cases', to='territory.place', verbose_name='责任对象'),
                ),
                migrations.AlterField(
                    model_name='case',
                    name='reporter',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reported_cases', to=settings.AUTH_USER_MODEL, verbose_name='上报人'),
                ),
                migrations.AlterField(
                    model_name='caseevent',
                    name='actor',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='case_events', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
                ),
                migrations.AlterField(
                    model_name='caseevent',
                    name='case',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='events', to='cases.case', verbose_name='案件'),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('place__isnull', False)), fields=['place'], name='case_place'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('reporter__isnull', False)), fields=['reporter'], name='case_reporter'),
        ),
        migrations.AddIndex(
            model_name='caseevent',
            index=models.Index(condition=models.Q(('actor__isnull', False)), fields=['actor'], name='case_event_actor'),
        ),
    ]
