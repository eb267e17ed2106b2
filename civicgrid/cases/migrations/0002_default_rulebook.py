"""Ship the default classes and filing criteria (domain.md §2). Departments are matched by name when
they exist; seed_demo and `civicgrid import_rulebook` fill them in later otherwise."""

from django.db import migrations

UNITS = {"分钟": "minutes", "工作时": "hours", "工作日": "days"}


def load(apps, schema_editor):
    from civicgrid.cases.rulebook import DEFAULT_RULEBOOK

    CaseClass = apps.get_model("cases", "CaseClass")
    FilingCriterion = apps.get_model("cases", "FilingCriterion")
    for type_, major, major_name, minor, minor_name, text, a, b, c, unit, closing, _dept in DEFAULT_RULEBOOK:
        kind = "component" if type_ == "部件" else "event"
        code = f"{'C' if kind == 'component' else 'E'}{major}{minor}"
        case_class, _ = CaseClass.objects.get_or_create(code=code, defaults={
            "type": kind, "major_code": major, "major_name": major_name, "minor_code": minor,
            "minor_name": minor_name,
        })
        FilingCriterion.objects.get_or_create(case_class=case_class, text=text, defaults={
            "limit_a": a, "limit_b": b, "limit_c": c, "unit": UNITS[unit], "closing_criterion": closing,
        })


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
