"""Shipped default data: the point types of the evaluation and a local-edition field checklist.

Drawn from domain.md §3 (the civilized-city field inspection: point types and example items) and §4
(the sanitary-city items). Points per point type add up to 100, so a score is also a percentage. The
office edits all of it (admin, or Excel import as a new version); nothing in the logic depends on it.

Loaded by `civicgrid load_defaults` (see decision 0009) after the place kinds and the rulebook: point types
are created when their slug is missing, the standard (with its items) when version 1 of its code is missing;
nothing is overwritten.
"""

import datetime as dt

# The point types name place kinds, the checklist items name case classes.
DEPENDS_ON = ["territory", "cases"]

# slug, name, place kinds (territory.PlaceKind slugs)
POINT_TYPES = [
    ("main_road", "主次干道/商业大街", ["road"]),
    ("back_lane", "背街小巷", ["back_lane"]),
    ("square_park", "广场/公园", ["square"]),
    ("compound", "居民小区", ["compound"]),
    ("community", "社区", []),
    ("farmers_market", "农贸市场", ["market"]),
    ("mall", "商场超市", ["mall"]),
    ("construction_site", "建筑工地", ["construction_site"]),
    ("school_area", "中小学校及周边", ["school_area"]),
    ("hospital", "医院", ["hospital"]),
    ("station", "车站/公交站", ["station"]),
    ("small_business", "小经营场所（八小）", ["shop"]),
    ("public_toilet", "公共厕所", ["toilet"]),
    ("government_window", "政务/窗口单位", []),
    ("hotel_restaurant", "宾馆饭店", []),
    ("cultural_venue", "文化场馆", []),
    ("patriotic_base", "爱国主义教育基地", []),
    ("urban_fringe", "城乡结合部", []),
]

STANDARD_CODE = "wmcs-local"
STANDARD_NAME = "全国文明城市测评 实地考察（本区版）"

# point type → [(code, text, method, points, deduction per finding, cap or None, critical, case class code)]
CHECKLIST = {
    "farmers_market": [
        ("NM01", "市场内设置社会主义核心价值观宣传不少于2处、公益广告不少于5处", "observe", 15, 3, None, False, "E0601"),
        ("NM02", "设置诚信经营承诺、投诉点，入口处设置公平秤", "observe", 10, 5, None, False, "E0602"),
        ("NM03", "按商品类别分区经营（划行归市），活禽销售、宰杀、存放三分离", "observe", 15, 5, None, False, "E0608"),
        ("NM04", "地面干净，垃圾分类收集，无积水、无异味", "observe", 15, 3, None, False, "E0104"),
        ("NM05", "熟食等直接入口食品有防蝇防尘设施，防鼠设施完好", "observe", 10, 5, None, False, "E0605"),
        ("NM06", "经营户亮证经营，摊位信息公示", "observe", 10, 2, None, False, "E0604"),
        ("NM07", "从业人员持有效健康证明，穿戴整洁工作服", "ask", 10, 2, None, True, "E0603"),
        ("NM08", "公示卫生、保洁、农药残留检测制度并公布检测结果", "observe", 5, 5, None, False, "E0602"),
        ("NM09", "市场周边无占道经营，无吵架、乱扔、随地吐痰现象", "observe", 5, 1, None, False, "E0501"),
        ("NM10", "市场内公厕干净，无异味，设施完好", "observe", 5, 2, None, False, "C0301"),
    ],
    "main_road": [
        ("ZG01", "沿街每200米至少一处公益广告", "measure", 15, 3, None, False, "E0601"),
        ("ZG02", "路面平整，无暴露垃圾、卫生死角", "observe", 15, 3, None, False, "E0102"),
        ("ZG03", "无乱贴乱画、非法小广告", "observe", 10, 2, None, False, "E0201"),
        ("ZG04", "无占道经营、店外经营", "observe", 15, 3, None, False, "E0504"),
        ("ZG05", "机动车、非机动车停放有序", "observe", 10, 2, None, False, "E0505"),
        ("ZG06", "路灯完好，夜间正常照明", "observe", 10, 2, None, False, "C0118"),
        ("ZG07", "垃圾分类收集容器完好，无满溢", "observe", 10, 2, None, False, "C0305"),
        ("ZG08", "广告牌匾规范设置，无破损、无坠落隐患", "observe", 10, 5, None, True, "C0307"),
        ("ZG09", "盲道畅通，无占压", "observe", 5, 1, None, False, "E0598"),
    ],
    "back_lane": [
        ("BJ01", "路面硬化平整，无坑洼积水", "observe", 15, 3, None, False, "E0401"),
        ("BJ02", "无暴露垃圾、积存垃圾渣土", "observe", 15, 3, None, False, "E0102"),
        ("BJ03", "无私搭乱建", "observe", 15, 5, None, True, "E0101"),
        ("BJ04", "无乱堆乱放、占道堆物", "observe", 10, 2, None, False, "E0507"),
        ("BJ05", "无乱贴乱画、非法小广告", "observe", 10, 2, None, False, "E0201"),
        ("BJ06", "车辆停放有序，无废弃车辆", "observe", 10, 2, None, False, "E0107"),
        ("BJ07", "路灯完好，夜间正常照明", "observe", 10, 2, None, False, "C0118"),
        ("BJ08", "设置公益广告，宣传内容无破损过期", "observe", 10, 2, None, False, "E0601"),
        ("BJ09", "无露天烧烤、乱倒污水", "observe", 5, 5, None, False, "E0510"),
    ],
    "compound": [
        ("XQ01", "设置社会主义核心价值观和关爱未成年人固定宣传（横幅不计）", "observe", 15, 5, None, False, "E0611"),
        ("XQ02", "楼道无堆放杂物，无飞线充电", "observe", 15, 3, None, True, "E0607"),
        ("XQ03", "无私搭乱建", "observe", 15, 5, None, False, "E0101"),
        ("XQ04", "垃圾分类设施齐全，垃圾日产日清", "observe", 10, 2, None, False, "E0102"),
        ("XQ05", "绿化无毁绿种菜，树木无缺株枯死", "observe", 10, 2, None, False, "C0403"),
        ("XQ06", "车辆停放有序，消防通道畅通", "observe", 15, 5, None, False, "E0609"),
        ("XQ07", "宣传栏完好，内容及时更新", "observe", 10, 2, None, False, "C0501"),
        ("XQ08", "无乱贴乱画、非法小广告", "observe", 5, 1, None, False, "E0201"),
        ("XQ09", "无蚊蝇孳生地，病媒防制设施完好", "observe", 5, 2, None, False, "E0113"),
    ],
    "square_park": [
        ("GC01", "设置公益广告和文明提示", "observe", 15, 3, None, False, "E0601"),
        ("GC02", "地面干净，无暴露垃圾、卫生死角", "observe", 15, 3, None, False, "E0102"),
        ("GC03", "消防通道畅通，无堵塞", "observe", 15, 5, None, True, "E0609"),
        ("GC04", "无飞线充电", "observe", 10, 5, None, False, "E0607"),
        ("GC05", "标识标牌规范完好", "observe", 10, 2, None, False, "E0610"),
        ("GC06", "无游商、无占道经营", "observe", 10, 2, None, False, "E0501"),
        ("GC07", "无吵架、乱扔、随地吐痰等不文明行为", "observe", 10, 2, None, False, "E0606"),
        ("GC08", "公厕干净无异味，设施完好", "observe", 10, 2, None, False, "C0301"),
        ("GC09", "绿化养护良好，无枯死缺株", "observe", 5, 1, None, False, "C0403"),
    ],
    "school_area": [
        ("XX01", "校园周边设置核心价值观和关爱未成年人宣传", "observe", 15, 5, None, False, "E0611"),
        ("XX02", "周边200米内无网吧、歌舞厅等不宜未成年人进入场所", "measure", 15, 15, None, True, "E0604"),
        ("XX03", "周边无游商、无占道经营", "observe", 15, 3, None, False, "E0501"),
        ("XX04", "上下学时段交通秩序良好，车辆停放有序", "observe", 15, 3, None, False, "E0505"),
        ("XX05", "周边无暴露垃圾、卫生死角", "observe", 10, 2, None, False, "E0102"),
        ("XX06", "周边小食品店证照齐全、无三无食品", "ask", 10, 5, None, False, "E0604"),
        ("XX07", "交通护栏、警示标志完好", "observe", 10, 2, None, False, "C0212"),
        ("XX08", "无非法小广告", "observe", 10, 2, None, False, "E0201"),
    ],
    "construction_site": [
        ("GD01", "施工现场设置连续封闭围挡", "observe", 15, 5, None, True, "E0307"),
        ("GD02", "围挡设置公益广告", "observe", 10, 2, None, False, "E0601"),
        ("GD03", "裸露土方覆盖，洒水降尘到位，无扬尘", "observe", 15, 5, None, False, "E0302"),
        ("GD04", "出入口设置车辆冲洗设施，出场车辆干净", "observe", 15, 5, None, False, "E0302"),
        ("GD05", "渣土车密闭运输，无遗撒", "observe", 15, 5, None, False, "E0312"),
        ("GD06", "工地周边道路无积存渣土", "observe", 10, 3, None, False, "E0103"),
        ("GD07", "施工铭牌、文明施工公示齐全", "observe", 10, 2, None, False, "E0602"),
        ("GD08", "生活区卫生整洁，病媒防制到位", "observe", 10, 2, None, False, "E0605"),
    ],
    "small_business": [
        ("BX01", "持有效营业执照及卫生许可/食品经营许可并亮证经营", "ask", 20, 10, None, True, "E0604"),
        ("BX02", "从业人员持有效健康证明", "ask", 15, 5, None, False, "E0603"),
        ("BX03", "签订门前三包责任书，门前清洁有序", "ask", 10, 5, None, False, "E0602"),
        ("BX04", "无出店经营、占道经营", "observe", 15, 5, None, False, "E0504"),
        ("BX05", "防蝇、防鼠、防蟑设施齐全有效", "observe", 10, 3, None, False, "E0605"),
        ("BX06", "店内外整洁，垃圾分类收集", "observe", 10, 2, None, False, "E0102"),
        ("BX07", "牌匾规范，无破损", "observe", 10, 5, None, False, "C0307"),
        ("BX08", "公示卫生管理制度、自查记录", "observe", 10, 5, None, False, "E0602"),
    ],
}


STANDARD_NOTE = "依据全国文明城市测评体系实地考察内容和国家卫生城市标准整理的本区现场检查清单，可按年度修订为新版本。"


def load_defaults(using: str = "default") -> list[str]:
    """Create the missing point types and the standard with its checklist; return what was created."""
    from civicgrid.cases.models import CaseClass, FilingCriterion
    from civicgrid.inspections.models import PointType, Standard, StandardItem
    from civicgrid.territory.models import PlaceKind

    created = []
    types = {}
    for order, (slug, name, kinds) in enumerate(POINT_TYPES, start=1):
        types[slug], new = PointType.objects.using(using).get_or_create(
            slug=slug, defaults={"name": name, "sort_order": order * 10})
        if new:
            types[slug].place_kinds.add(*PlaceKind.objects.using(using).filter(slug__in=kinds))
            created.append(f"point type {slug}")
    standard, new = Standard.objects.using(using).get_or_create(code=STANDARD_CODE, version=1, defaults={
        "name": STANDARD_NAME, "status": "active", "issued_on": dt.date(2026, 1, 1), "note": STANDARD_NOTE,
    })
    if not new:
        return created
    created.append(f"standard {STANDARD_CODE} v1")
    for slug, items in CHECKLIST.items():
        for order, (code, text, method, points, deduction, cap, critical, class_code) in enumerate(items, start=1):
            case_class = CaseClass.objects.using(using).get(code=class_code)
            StandardItem.objects.using(using).create(
                standard=standard, point_type=types[slug], code=code, text=text, method=method, points=points,
                deduction=deduction, cap=cap, critical=critical, case_class=case_class, sort_order=order * 10,
                criterion=FilingCriterion.objects.using(using).filter(case_class=case_class).order_by("id").first())
    created.append(f"standard {STANDARD_CODE} v1: {sum(len(items) for items in CHECKLIST.values())} items")
    return created
