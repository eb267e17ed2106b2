"""Ship the point types and the local-edition field checklist (civicgrid.inspections.defaults)."""

import datetime as dt

from django.db import migrations


def load(apps, schema_editor):
    from civicgrid.inspections.defaults import CHECKLIST, POINT_TYPES, STANDARD_CODE, STANDARD_NAME

    PointType = apps.get_model("inspections", "PointType")
    PlaceKind = apps.get_model("territory", "PlaceKind")
    Standard = apps.get_model("inspections", "Standard")
    StandardItem = apps.get_model("inspections", "StandardItem")
    CaseClass = apps.get_model("cases", "CaseClass")
    FilingCriterion = apps.get_model("cases", "FilingCriterion")
    types = {}
    for order, (slug, name, kinds) in enumerate(POINT_TYPES, start=1):
        types[slug], _ = PointType.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order * 10})
        types[slug].place_kinds.add(*PlaceKind.objects.filter(slug__in=kinds))
    standard, created = Standard.objects.get_or_create(code=STANDARD_CODE, version=1, defaults={
        "name": STANDARD_NAME, "status": "active", "issued_on": dt.date(2026, 1, 1),
        "note": "依据全国文明城市测评体系实地考察内容和国家卫生城市标准整理的本区现场检查清单，可按年度修订为新版本。",
    })
    if not created:
        return
    for slug, items in CHECKLIST.items():
        for order, (code, text, method, points, deduction, cap, critical, class_code) in enumerate(items, start=1):
            case_class = CaseClass.objects.get(code=class_code)
            StandardItem.objects.create(
                standard=standard, point_type=types[slug], code=code, text=text, method=method, points=points,
                deduction=deduction, cap=cap, critical=critical, case_class=case_class, sort_order=order * 10,
                criterion=FilingCriterion.objects.filter(case_class=case_class).order_by("id").first())


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial"), ("cases", "0009_inspection_classes"),
                    ("territory", "0004_small_business_categories")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
