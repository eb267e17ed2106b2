"""The presets gain their bonuses for demolitions (existing databases)."""

from django.db import migrations


def add_bonuses(apps, schema_editor):
    from civicgrid.assessment.presets import BONUSES

    for scheme in apps.get_model("assessment", "ScoringScheme").objects.filter(slug__in=["chengdu", "jinhua"]):
        scheme.config.setdefault("bonuses", BONUSES)
        scheme.save(update_fields=["config"])


class Migration(migrations.Migration):
    dependencies = [("assessment", "0003_bulletins_and_accountability")]
    operations = [migrations.RunPython(add_bonuses, migrations.RunPython.noop)]
