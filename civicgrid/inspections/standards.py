"""Standards as data: versions, and Excel in and out (one row per checklist item).

A standard that an inspection has used is never changed: importing into it, or editing it, makes a
new version (the old one is retired), so every past score can still be explained by its items.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid import audit
from civicgrid.cases.models import CaseClass, FilingCriterion
from civicgrid.core import excel
from civicgrid.core.scoping import require_office
from civicgrid.inspections.choices import Method, StandardStatus
from civicgrid.inspections.models import PointType, Standard, StandardItem

METHOD_LABELS = {str(label): value for value, label in Method.choices}

COLUMNS = [
    excel.Column("点位类型", "point_type", excel.text),
    excel.Column("检查项代码", "code", excel.text),
    excel.Column("检查内容", "text", excel.text),
    excel.Column("检查方法", "method", excel.choice(METHOD_LABELS)),
    excel.Column("分值", "points", excel.decimal),
    excel.Column("每处扣分", "deduction", excel.decimal),
    excel.Column("扣分上限", "cap", excel.decimal, required=False),
    excel.Column("否决项", "critical", excel.yes_no, required=False),
    excel.Column("案件类别代码", "case_class", excel.text, required=False),
    excel.Column("立案条件", "criterion", excel.text, required=False),
]


def export(standard: Standard) -> bytes:
    """A standard's items as Excel (also the template: an empty standard gives the header row only)."""
    method_labels = {v: k for k, v in METHOD_LABELS.items()}
    rows = [(i.point_type.name, i.code, i.text, method_labels[i.method], i.points, i.deduction, i.cap,
             "是" if i.critical else "否", i.case_class.code if i.case_class else "",
             i.criterion.text if i.criterion else "")
            for i in standard.items.select_related("point_type", "case_class", "criterion")
            .order_by("point_type__sort_order", "sort_order", "code")]
    return excel.write(COLUMNS, rows, title=f"{standard.code} v{standard.version}")


@dataclass
class StandardImport:
    standard: Standard | None = None
    items: int = 0
    new_version: bool = False
    problems: list[excel.RowProblem] = field(default_factory=list)


def import_file(file, *, code: str, name: str, actor=None) -> StandardImport:
    """Import a checklist into standard `code`: a new standard, the unused latest version replaced, or —
    when the latest version is in use — a new version. Every bad row is reported; nothing is written then."""
    require_office(actor, _("修改测评标准"))
    rows, problems = excel.read(file, COLUMNS)
    types = {t.name: t for t in PointType.objects.all()} | {t.slug: t for t in PointType.objects.all()}
    classes = {c.code: c for c in CaseClass.objects.all()}
    criteria = {(c.case_class_id, c.text): c for c in FilingCriterion.objects.all()}
    seen: set[tuple[str, str]] = set()
    items = []
    for number, row in rows:
        point_type = types.get(row["point_type"])
        if point_type is None:
            problems.append(excel.RowProblem(number, "点位类型", _("未知点位类型“%s”") % row["point_type"]))
            continue
        if (point_type.slug, row["code"]) in seen:
            problems.append(excel.RowProblem(number, "检查项代码", _("%(code)s 在%(type)s中出现两次") % {
                "code": row["code"], "type": point_type.name}))
        seen.add((point_type.slug, row["code"]))
        if row["points"] <= 0:
            problems.append(excel.RowProblem(number, "分值", _("须大于0")))
        case_class = criterion = None
        if row.get("case_class"):
            case_class = classes.get(row["case_class"])
            if case_class is None:
                problems.append(excel.RowProblem(number, "案件类别代码", _("未知案件类别“%s”") % row["case_class"]))
        if row.get("criterion"):
            criterion = criteria.get((case_class.pk if case_class else None, row["criterion"]))
            if criterion is None:
                problems.append(excel.RowProblem(number, "立案条件", _("不是该类别的立案条件")))
        elif case_class is not None:
            criterion = case_class.criteria.order_by("id").first()
        items.append((number, point_type, row, case_class, criterion))
    result = StandardImport(problems=problems)
    if not code.strip() or not name.strip():
        result.problems.append(excel.RowProblem(0, "标准", _("标准须有代码和名称")))
    if not items and not problems:
        result.problems.append(excel.RowProblem(0, "检查项", _("表中没有检查项")))
    if result.problems:
        return result
    with transaction.atomic():
        latest = Standard.objects.select_for_update().filter(code=code).order_by("-version").first()
        if latest is None:
            standard = Standard.objects.create(code=code, name=name, issued_on=timezone.localdate())
        elif latest.in_use:
            standard = _successor(latest, name)
            result.new_version = True
        else:
            standard = latest
            standard.name = name
            standard.save(update_fields=["name", "updated_at"])
            standard.items.all().delete()
        StandardItem.objects.bulk_create([
            StandardItem(standard=standard, point_type=point_type, code=row["code"], text=row["text"],
                         method=row["method"], points=row["points"], deduction=row["deduction"], cap=row.get("cap"),
                         critical=row.get("critical") or False, case_class=case_class, criterion=criterion,
                         sort_order=n * 10)
            for n, (_number, point_type, row, case_class, criterion) in enumerate(items, start=1)])
        result.standard, result.items = standard, len(items)
    audit.record("import", actor=actor, target=f"standard:{code}", items=len(items))
    return result


def _successor(latest: Standard, name: str) -> Standard:
    """The next version of a standard; the one in use is retired, never edited."""
    Standard.objects.filter(pk=latest.pk).update(status=StandardStatus.RETIRED)
    return Standard.objects.create(code=latest.code, version=latest.version + 1, name=name, previous=latest,
                                   status=StandardStatus.ACTIVE, issued_on=timezone.localdate(), note=latest.note)


def new_version(standard: Standard, actor=None) -> Standard:
    """Copy a standard's items into a new version (to edit a standard already in use)."""
    require_office(actor, _("修改测评标准"))
    with transaction.atomic():
        latest = Standard.objects.select_for_update().filter(code=standard.code).order_by("-version").first()
        successor = _successor(latest, latest.name)
        items = list(latest.items.all())
        for item in items:
            item.pk, item.standard = None, successor
        StandardItem.objects.bulk_create(items)
    return successor
