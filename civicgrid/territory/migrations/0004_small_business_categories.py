"""Ship this district's small-business (八小) list as the default categories of `shop`.

There is no national 八小 list (domain.md §4): the office edits these in the admin.
"""

from django.db import migrations

CATEGORIES = [
    ("small_restaurant", "小餐饮"),
    ("small_food_shop", "小食品店"),
    ("small_salon", "小美容美发"),
    ("small_hotel", "小旅店"),
    ("small_bathhouse", "小浴室"),
    ("small_karaoke", "小歌舞厅"),
    ("small_internet_cafe", "小网吧"),
    ("small_clinic", "小诊所"),
]
NOTE = "本区“八小”行业目录（可编辑，非国家统一目录）"


def add_categories(apps, schema_editor):
    PlaceKind = apps.get_model("territory", "PlaceKind")
    PlaceCategory = apps.get_model("territory", "PlaceCategory")
    shop = PlaceKind.objects.get(slug="shop")
    for order, (slug, name) in enumerate(CATEGORIES, start=1):
        PlaceCategory.objects.update_or_create(
            kind=shop, slug=slug, defaults={"name": name, "note": NOTE, "sort_order": order * 10}
        )


def remove_categories(apps, schema_editor):
    apps.get_model("territory", "PlaceCategory").objects.filter(slug__in=[c[0] for c in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("territory", "0003_place_category")]
    operations = [migrations.RunPython(add_categories, remove_categories)]
