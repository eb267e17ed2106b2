"""Who handles a filed case, and why (domain.md §2, 属地管理 + 谁主管谁负责).

Order: the place's responsible unit; an office routing rule for the class in the most specific
region; the class's default department; the grid's community, then its street (属地兜底).
Nobody found: the case waits in the dispatcher's triage queue.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from civicgrid.cases.models import Case
from civicgrid.cases.reference import routing_rules
from civicgrid.organizations.choices import UnitKind
from civicgrid.organizations.models import Unit
from civicgrid.territory.choices import Level
from civicgrid.territory.codes import code_length


def route(case: Case) -> tuple[Unit | None, str]:
    """The unit a case should go to, and a sentence saying why."""
    if case.place_id and case.place.responsible_unit_id:
        unit = case.place.responsible_unit
        return unit, _("%(place)s → %(unit)s（按责任对象）") % {"place": case.place.name, "unit": unit.name}
    rule = next((r for r in routing_rules(case.case_class_id) if case.region_code.startswith(r.region_code)), None)
    if rule is not None:
        return rule.unit, _("%(cls)s 在 %(region)s → %(unit)s（按派遣规则）") % {
            "cls": case.case_class.minor_name, "region": rule.region_code, "unit": rule.unit.name}
    if case.case_class.default_department_id:
        unit = case.case_class.default_department
        return unit, _("%(cls)s → %(unit)s（按类别责任部门）") % {"cls": case.case_class.minor_name, "unit": unit.name}
    for level, kind, label in ((Level.COMMUNITY, UnitKind.COMMUNITY_COMMITTEE, _("属地社区")),
                               (Level.STREET, UnitKind.STREET_OFFICE, _("属地街道"))):
        unit = Unit.objects.filter(kind=kind, region__code=case.region_code[: code_length(level)]).first()
        if unit is not None:
            return unit, _("网格 %(grid)s → %(unit)s（%(why)s）") % {"grid": case.region_code, "unit": unit.name,
                                                                  "why": label}
    return None, _("未找到责任单位，待派遣员分派")
