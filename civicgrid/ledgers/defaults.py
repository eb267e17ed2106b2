"""Shipped default data: the dictionary of work quantities (editable afterwards in the admin).

Loaded by `civicgrid load_defaults` (see decision 0009): created when missing, by slug, never overwritten.
"""

DEPENDS_ON: list[str] = []

WORK_KINDS = [
    # slug, name, unit
    ("person_times", "出动人次", "人次"),
    ("vehicle_trips", "出动车辆", "台次"),
    ("garbage", "清理垃圾", "立方米"),
    ("debris_piles", "清理杂物堆", "处"),
    ("small_posters", "清理小招贴", "处"),
    ("weeds", "平整杂草", "平方米"),
    ("illegal_plots", "清理小开荒", "处"),
    ("abandoned_vehicles", "清理僵尸车辆", "辆"),
    ("bins_delivered", "配发垃圾桶", "个"),
    ("roads_repaired", "路面修补小区", "个"),
    ("replanted", "绿化补植小区", "个"),
    ("streets_upgraded", "提升改造街路", "条"),
    ("facades", "外立面修补", "平方米"),
    ("demolished", "拆除违建", "处"),
    ("demolished_area", "拆除违建面积", "平方米"),
]


def load_defaults(using: str = "default") -> list[str]:
    """Create the missing work kinds; return what was created."""
    from civicgrid.ledgers.models import WorkKind

    created = []
    for order, (slug, name, unit) in enumerate(WORK_KINDS, start=1):
        _, new = WorkKind.objects.using(using).get_or_create(
            slug=slug, defaults={"name": name, "unit": unit, "sort_order": order * 10})
        if new:
            created.append(f"work kind {slug}")
    return created
