"""Ship the default place-kind dictionary (editable afterwards in the admin)."""

from django.db import migrations

DEFAULT_KINDS = [
    # slug, name, chief title, geometry kind
    ("compound", "小区", "小区长", "polygon"),
    ("building", "楼", "楼长", "point"),
    ("road", "路", "路长", "line"),
    ("back_lane", "背街小巷", "巷长", "line"),
    ("market", "农贸市场", "场长", "polygon"),
    ("shop", "店", "店长", "point"),
    ("river", "河", "河长", "line"),
    ("square", "广场/公园", "场长", "polygon"),
    ("school_area", "学校周边", "校长", "polygon"),
    ("construction_site", "建筑工地", "场长", "polygon"),
    ("toilet", "公厕", "所长", "point"),
    ("station", "车站/公交站", "站长", "point"),
    ("hospital", "医院", "院长", "polygon"),
    ("mall", "商场超市", "场长", "polygon"),
]


def add_kinds(apps, schema_editor):
    PlaceKind = apps.get_model("territory", "PlaceKind")
    for order, (slug, name, chief_title, geometry_kind) in enumerate(DEFAULT_KINDS, start=1):
        PlaceKind.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "chief_title": chief_title, "geometry_kind": geometry_kind, "sort_order": order * 10},
        )


def remove_kinds(apps, schema_editor):
    apps.get_model("territory", "PlaceKind").objects.filter(slug__in=[k[0] for k in DEFAULT_KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("territory", "0001_initial")]
    operations = [migrations.RunPython(add_kinds, remove_kinds)]
