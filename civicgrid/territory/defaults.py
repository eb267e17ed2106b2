"""Shipped default data: the place-kind dictionary and this district's small-business (八小) categories.

Loaded by `civicgrid load_defaults` (and after every `migrate` that applies migrations, see decision 0009):
rows are created when missing, by natural key, and never overwritten; the office edits them in the admin.
There is no national 八小 list (domain.md §4).
"""

DEPENDS_ON: list[str] = []

PLACE_KINDS = [
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

# The categories of the `shop` kind.
SMALL_BUSINESS_KIND = "shop"
SMALL_BUSINESS_CATEGORIES = [
    ("small_restaurant", "小餐饮"),
    ("small_food_shop", "小食品店"),
    ("small_salon", "小美容美发"),
    ("small_hotel", "小旅店"),
    ("small_bathhouse", "小浴室"),
    ("small_karaoke", "小歌舞厅"),
    ("small_internet_cafe", "小网吧"),
    ("small_clinic", "小诊所"),
]
SMALL_BUSINESS_NOTE = "本区“八小”行业目录（可编辑，非国家统一目录）"


def load_defaults(using: str = "default") -> list[str]:
    """Create the missing place kinds and small-business categories; return what was created."""
    from civicgrid.territory.models import PlaceCategory, PlaceKind

    created = []
    for order, (slug, name, chief_title, geometry_kind) in enumerate(PLACE_KINDS, start=1):
        _, new = PlaceKind.objects.using(using).get_or_create(slug=slug, defaults={
            "name": name, "chief_title": chief_title, "geometry_kind": geometry_kind, "sort_order": order * 10,
        })
        if new:
            created.append(f"place kind {slug}")
    shop = PlaceKind.objects.using(using).filter(slug=SMALL_BUSINESS_KIND).first()
    if shop is None:  # the office deleted the kind after it was first loaded: nothing to attach categories to
        return created
    for order, (slug, name) in enumerate(SMALL_BUSINESS_CATEGORIES, start=1):
        _, new = PlaceCategory.objects.using(using).get_or_create(kind=shop, slug=slug, defaults={
            "name": name, "note": SMALL_BUSINESS_NOTE, "sort_order": order * 10,
        })
        if new:
            created.append(f"place category {SMALL_BUSINESS_KIND}/{slug}")
    return created
