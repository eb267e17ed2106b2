"""Load the classes the shipped rulebook gained for checklist findings (文明创建, event 06) into existing databases."""

import importlib

from django.db import migrations

default_rulebook = importlib.import_module("civicgrid.cases.migrations.0002_default_rulebook")


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_case_finding_key")]
    operations = [migrations.RunPython(default_rulebook.load, migrations.RunPython.noop)]
