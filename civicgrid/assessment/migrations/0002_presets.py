"""Ship the Chengdu-style and Jinhua-style schemes (civicgrid.assessment.presets)."""

from django.db import migrations


def load(apps, schema_editor):
    from civicgrid.assessment.presets import PRESETS

    ScoringScheme = apps.get_model("assessment", "ScoringScheme")
    for slug, name, config, note in PRESETS:
        ScoringScheme.objects.get_or_create(slug=slug, defaults={"name": name, "config": config, "note": note})


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
