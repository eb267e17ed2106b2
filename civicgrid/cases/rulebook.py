"""The rulebook: classes, filing criteria, time limits per area class, closing criteria, departments.

Shipped as data (DEFAULT_RULEBOOK, from domain.md §2; limits follow the published Taiyuan example
where one exists and are otherwise this district's defaults — configurable, never hard-coded in
logic) and exchanged as Excel with the headers of HEADERS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from civicgrid import audit
from civicgrid.cases.choices import ClassType
from civicgrid.cases.models import CaseClass, FilingCriterion
from civicgrid.core import excel
from civicgrid.core.scoping import require_office
from civicgrid.workcal.calendar import TimeUnit

TYPE_LABELS = {"部件": ClassType.COMPONENT, "事件": ClassType.EVENT}
UNIT_LABELS = {"分钟": TimeUnit.MINUTES, "工作时": TimeUnit.WORKING_HOURS, "小时": TimeUnit.WORKING_HOURS,
               "工作日": TimeUnit.WORKING_DAYS, "天": TimeUnit.WORKING_DAYS}


def _two_digits(value) -> str:
    code = excel.text(value).zfill(2)
    if len(code) != 2 or not code.isdigit():
        raise ValueError(_("“%s”不是两位数字代码") % value)
    return code


def _limit(value) -> int:
    number = excel.integer(value)
    if number <= 0:
        raise ValueError(_("时限须大于0"))
    return number


COLUMNS = [
    excel.Column("类型", "type", excel.choice(TYPE_LABELS)),
    excel.Column("大类代码", "major_code", _two_digits),
    excel.Column("大类名称", "major_name", excel.text),
    excel.Column("小类代码", "minor_code", _two_digits),
    excel.Column("小类名称", "minor_name", excel.text),
    excel.Column("立案条件", "criterion", excel.text),
    excel.Column("处置时限A", "limit_a", _limit),
    excel.Column("处置时限B", "limit_b", _limit),
    excel.Column("处置时限C", "limit_c", _limit),
    excel.Column("时限单位", "unit", excel.choice(UNIT_LABELS)),
    excel.Column("结案条件", "closing", excel.text),
    excel.Column("责任部门", "department", excel.text, required=False),
]
HEADERS = [c.header for c in COLUMNS]

# type, major, major name, minor, minor name, criterion, A, B, C, unit, closing criterion, department
DEFAULT_RULEBOOK = [
    ("部件", "01", "公用设施", "01", "上水井盖", "井盖缺失或移位", 2, 2, 4, "工作时", "井盖复位或更换，无安全隐患", "区供水公司"),
    ("部件", "01", "公用设施", "01", "上水井盖", "井盖破损、松动", 1, 2, 3, "工作日", "井盖完好平稳", "区供水公司"),
    ("部件", "01", "公用设施", "02", "污水井盖", "井盖缺失或移位", 2, 2, 4, "工作时", "井盖复位或更换，无安全隐患", "市政设施管理中心"),
    ("部件", "01", "公用设施", "02", "污水井盖", "井盖破损、松动", 1, 2, 3, "工作日", "井盖完好平稳", "市政设施管理中心"),
    ("部件", "01", "公用设施", "03", "雨水井盖", "井盖缺失或移位", 2, 2, 4, "工作时", "井盖复位或更换，无安全隐患", "市政设施管理中心"),
    ("部件", "01", "公用设施", "04", "电力井盖", "井盖缺失或移位", 2, 2, 4, "工作时", "井盖复位或更换，无安全隐患", "区供电分公司"),
    ("部件", "01", "公用设施", "05", "通信井盖", "井盖缺失或移位", 2, 2, 4, "工作时", "井盖复位或更换，无安全隐患", "区通信管理协调办公室"),
    ("部件", "01", "公用设施", "06", "燃气井盖", "井盖缺失或移位", 2, 2, 4, "工作时", "井盖复位或更换，无安全隐患", "区燃气公司"),
    ("部件", "01", "公用设施", "18", "路灯", "连续三盏及以上不亮", 1, 1, 2, "工作日", "路灯恢复照明", "市政设施管理中心"),
    ("部件", "01", "公用设施", "18", "路灯", "单盏不亮或灯杆破损", 3, 3, 5, "工作日", "路灯恢复照明，灯杆完好", "市政设施管理中心"),
    ("部件", "02", "道路交通", "12", "交通护栏", "护栏破损、倒伏", 2, 3, 5, "工作日", "护栏修复或更换", "交通运输局"),
    ("部件", "03", "市容环境", "01", "公共厕所", "设施损坏或保洁不到位", 4, 6, 8, "工作时", "设施完好、干净无异味", "环境卫生管理中心"),
    ("部件", "03", "市容环境", "05", "垃圾箱", "垃圾箱破损、满溢", 4, 6, 8, "工作时", "垃圾箱完好，无满溢", "环境卫生管理中心"),
    ("部件", "03", "市容环境", "07", "广告牌匾", "牌匾破损、存在坠落隐患", 1, 2, 3, "工作日", "牌匾修复或拆除，无安全隐患", "城市管理局"),
    ("部件", "04", "园林绿化", "03", "行道树", "树木倒伏、枯死或缺株", 2, 3, 5, "工作日", "清理倒伏树木，补植完成", "园林绿化中心"),
    ("部件", "05", "房屋土地", "01", "宣传栏", "宣传栏破损或内容过期", 2, 3, 5, "工作日", "宣传栏完好，内容更新", "区文明办"),
    ("事件", "01", "市容环境", "01", "私搭乱建", "新发现违法建设", 3, 5, 10, "工作日", "违建拆除，恢复原状", "城市管理行政执法局"),
    ("事件", "01", "市容环境", "02", "暴露垃圾", "暴露垃圾面积1平方米以上", 4, 6, 8, "工作时", "垃圾清理干净", "环境卫生管理中心"),
    ("事件", "01", "市容环境", "03", "积存垃圾渣土", "积存垃圾渣土2立方米以上", 1, 1, 2, "工作日", "清运完毕，地面干净", "环境卫生管理中心"),
    ("事件", "01", "市容环境", "04", "道路保洁", "路面有明显污渍、垃圾", 2, 4, 6, "工作时", "路面洁净", "环境卫生管理中心"),
    ("事件", "01", "市容环境", "07", "废弃车辆", "无牌无主车辆停放超过7天", 5, 5, 10, "工作日", "车辆移走", "交通警察大队"),
    ("事件", "01", "市容环境", "13", "蚊蝇超标", "蚊蝇孳生地或密度超标", 1, 2, 3, "工作日", "孳生地清除，密度达标", "爱国卫生运动委员会办公室"),
    ("事件", "01", "市容环境", "15", "乱倒污水", "向路面、绿地倾倒污水", 4, 6, 8, "工作时", "污水清理，源头制止", "生态环境分局"),
    ("事件", "02", "宣传广告", "01", "非法张贴小广告", "小广告5处以上", 4, 8, 8, "工作时", "小广告清除干净", "城市管理局"),
    ("事件", "02", "宣传广告", "04", "街头散发小广告", "街头散发小广告", 2, 2, 4, "工作时", "散发行为制止", "城市管理行政执法局"),
    ("事件", "03", "施工管理", "02", "工地扬尘", "工地扬尘未采取抑尘措施", 2, 4, 6, "工作时", "覆盖、洒水等抑尘措施到位", "住房和城乡建设局"),
    ("事件", "03", "施工管理", "07", "工地未围挡", "施工现场未设置连续围挡", 1, 2, 3, "工作日", "围挡设置到位", "住房和城乡建设局"),
    ("事件", "03", "施工管理", "12", "渣土车未密闭", "渣土车未密闭运输", 2, 2, 4, "工作时", "车辆密闭，遗撒清理", "城市管理行政执法局"),
    ("事件", "04", "突发事件", "01", "路面塌陷", "路面塌陷、坑洞影响通行", 2, 2, 4, "工作时", "设置警示并完成修复", "市政设施管理中心"),
    ("事件", "05", "街面秩序", "01", "无照经营游商", "占道无照经营", 2, 4, 6, "工作时", "经营行为制止", "城市管理行政执法局"),
    ("事件", "05", "街面秩序", "04", "店外经营", "店铺出店经营、占道", 2, 4, 6, "工作时", "物品收回店内", "城市管理局"),
    ("事件", "05", "街面秩序", "05", "机动车乱停放", "机动车占用人行道或消防通道", 2, 2, 4, "工作时", "车辆驶离", "交通警察大队"),
    ("事件", "05", "街面秩序", "06", "非机动车乱停放", "非机动车无序停放影响通行", 2, 4, 6, "工作时", "车辆摆放有序", "城市管理局"),
    ("事件", "05", "街面秩序", "07", "乱堆物堆料", "占道堆放物料", 4, 6, 8, "工作时", "物料清理", "城市管理局"),
    ("事件", "05", "街面秩序", "10", "露天烧烤", "露天烧烤", 2, 2, 2, "工作时", "烧烤行为制止，设备收缴", "城市管理行政执法局"),
    ("事件", "05", "街面秩序", "98", "占压盲道", "车辆或物品占压盲道", 2, 4, 6, "工作时", "盲道畅通", "城市管理局"),
    # 文明创建: what the evaluation checklists find that the national classes do not name (this district's codes).
    ("事件", "06", "文明创建", "01", "公益广告不达标", "公益广告数量或设置不符合测评要求", 2, 3, 5, "工作日", "按要求补设公益广告", "区文明办"),
    ("事件", "06", "文明创建", "02", "公示信息缺失", "应公示的制度、证照或信息未公示", 1, 2, 3, "工作日", "制度、证照、信息公示到位", "市场监督管理局"),
    ("事件", "06", "文明创建", "03", "从业人员无健康证", "从业人员无有效健康证明", 3, 5, 5, "工作日", "从业人员持有效健康证明上岗", "卫生健康局"),
    ("事件", "06", "文明创建", "04", "证照不全", "未取得或未亮证经营", 3, 5, 5, "工作日", "证照齐全并亮证经营", "市场监督管理局"),
    ("事件", "06", "文明创建", "05", "病媒防制不到位", "防蝇防鼠设施缺失或失效", 1, 2, 3, "工作日", "防蝇防鼠设施完好有效", "爱国卫生运动委员会办公室"),
    ("事件", "06", "文明创建", "06", "不文明行为", "存在吵架、乱扔、随地吐痰等不文明现象", 4, 6, 8, "工作时", "现场劝导制止，秩序良好", "区文明办"),
    ("事件", "06", "文明创建", "07", "楼道堆物与飞线充电", "楼道堆放杂物或飞线充电", 1, 2, 3, "工作日", "楼道畅通，无飞线充电", "城市管理局"),
    ("事件", "06", "文明创建", "08", "划行归市不到位", "未按类别分区经营或三分离不到位", 2, 3, 5, "工作日", "分区经营、三分离到位", "市场监督管理局"),
    ("事件", "06", "文明创建", "09", "消防通道占用", "消防通道堵塞", 4, 6, 8, "工作时", "消防通道畅通", "消防救援大队"),
    ("事件", "06", "文明创建", "10", "设施缺失损坏", "公共设施缺失、损坏或不能正常使用", 2, 3, 5, "工作日", "设施补齐修复，正常使用", "城市管理局"),
    ("事件", "06", "文明创建", "11", "未成年人关爱宣传缺失", "未设置核心价值观或关爱未成年人固定宣传", 3, 5, 5, "工作日", "固定宣传设置到位", "区文明办"),
]


@dataclass
class RulebookImport:
    classes: int = 0
    criteria: int = 0
    problems: list[excel.RowProblem] = field(default_factory=list)


def _department_parser(departments: dict):
    def parse(value):
        name = excel.text(value)
        if name not in departments:
            raise ValueError(_("没有名为“%s”的部门") % name)
        return name

    return parse


def import_rows(rows: list[tuple[int, dict]], problems: list[excel.RowProblem]) -> RulebookImport:
    """Upsert classes and criteria from parsed rows; nothing is written while any row is bad."""
    from civicgrid.organizations.models import Unit

    result = RulebookImport(problems=list(problems))
    departments = _departments_by_name(Unit)
    result.problems += _conflicting_names(rows)
    if result.problems:
        return result
    with transaction.atomic():
        classes: dict[str, CaseClass] = {}
        for _, row in rows:
            code = CaseClass.make_code(row["type"], row["major_code"], row["minor_code"])
            if code not in classes:
                classes[code], _created = CaseClass.objects.update_or_create(code=code, defaults={
                    "type": row["type"], "major_code": row["major_code"], "major_name": row["major_name"],
                    "minor_code": row["minor_code"], "minor_name": row["minor_name"],
                    "default_department": departments.get(row.get("department") or ""),
                })
            FilingCriterion.objects.update_or_create(case_class=classes[code], text=row["criterion"], defaults={
                "limit_a": row["limit_a"], "limit_b": row["limit_b"], "limit_c": row["limit_c"],
                "unit": row["unit"], "closing_criterion": row["closing"],
            })
            result.criteria += 1
        result.classes = len(classes)
    return result


_DISTRICT_PREFIX = re.compile(r"^\w{1,4}?区(?=.)")


def _departments_by_name(Unit) -> dict:
    """Departments by full name and by name without the district prefix (浑南区城市管理局 = 城市管理局)."""
    by_name = {}
    for unit in Unit.objects.filter(kind="department"):
        by_name[unit.name] = unit
        by_name.setdefault(_DISTRICT_PREFIX.sub("", unit.name, count=1), unit)
    return by_name


def _conflicting_names(rows) -> list[excel.RowProblem]:
    problems, seen = [], {}
    for number, row in rows:
        key = (row["type"], row["major_code"], row["minor_code"])
        names = (row["major_name"], row["minor_name"])
        if key in seen and seen[key] != names:
            problems.append(excel.RowProblem(
                number, "小类名称", _("类别 %s 与上文的名称不一致") % "".join(key[1:])))
        seen.setdefault(key, names)
    return problems


def import_file(file, actor=None) -> RulebookImport:
    """Read and import an Excel rulebook (the office only); every bad cell of every row is reported."""
    from civicgrid.organizations.models import Unit

    require_office(actor, _("修改规则库"))
    department = excel.Column("责任部门", "department", _department_parser(_departments_by_name(Unit)), required=False)
    rows, problems = excel.read(file, [*COLUMNS[:-1], department])
    audit.record("import", actor=actor, target="rulebook", rows=len(rows), problems=len(problems))
    return import_rows(rows, problems)


def load_default_rulebook() -> RulebookImport:
    """Load DEFAULT_RULEBOOK; departments that do not exist (yet) are left empty."""
    from civicgrid.organizations.models import Unit

    known = _departments_by_name(Unit)
    rows = []
    for number, values in enumerate(DEFAULT_RULEBOOK, start=2):
        record = dict(zip([c.key for c in COLUMNS], values, strict=True))
        record["type"] = TYPE_LABELS[record["type"]]
        record["unit"] = UNIT_LABELS[record["unit"]]
        if record["department"] not in known:
            record["department"] = None
        rows.append((number, record))
    return import_rows(rows, [])


def export() -> bytes:
    """The rulebook as Excel, one row per filing criterion."""
    type_labels = {v: k for k, v in TYPE_LABELS.items()}
    unit_labels = {TimeUnit.MINUTES: "分钟", TimeUnit.WORKING_HOURS: "工作时", TimeUnit.WORKING_DAYS: "工作日"}
    rows = [
        (type_labels[c.case_class.type], c.case_class.major_code, c.case_class.major_name, c.case_class.minor_code,
         c.case_class.minor_name, c.text, c.limit_a, c.limit_b, c.limit_c, unit_labels[c.unit], c.closing_criterion,
         c.case_class.default_department.name if c.case_class.default_department else "")
        for c in FilingCriterion.objects.select_related("case_class__default_department").order_by("case_class__code", "id")
    ]
    return excel.write(COLUMNS, rows, title="案件分类与立案条件")
