"""Routing order: place's unit → office rule (most specific region) → class department → community → street → triage."""

import pytest

from civicgrid.cases.models import Case, CaseClass, RoutingRule
from civicgrid.cases.routing import route
from civicgrid.cases.services import perform, report_case
from civicgrid.organizations.choices import UnitKind
from testsupport import grid_center, make_place, make_unit

pytestmark = pytest.mark.django_db


def new_case(world, case_class, place=None, point=None):
    lng, lat = point or world["point"]
    return report_case(world["users"]["gridworker"], case_class=case_class, description="测试", lng=lng, lat=lat,
                       place=place).case


def test_the_places_unit_comes_first(world):
    market = make_place("market", *world["point"], unit=world["committees"]["210112001001"])
    RoutingRule.objects.create(case_class=world["garbage"], region_code="210112", unit=world["other_department"])
    unit, why = route(new_case(world, world["garbage"], place=market))
    assert unit == world["committees"]["210112001001"] and "按责任对象" in why


def test_the_most_specific_routing_rule_beats_the_class_department(world):
    street_unit = make_unit("ST1", UnitKind.STREET_OFFICE, world["regions"]["210112001"])
    RoutingRule.objects.create(case_class=world["garbage"], region_code="210112", unit=world["other_department"])
    RoutingRule.objects.create(case_class=world["garbage"], region_code="210112001", unit=street_unit)
    unit, why = route(new_case(world, world["garbage"]))
    assert unit == street_unit and "按派遣规则" in why and "210112001" in why


def test_the_class_department_when_no_rule_applies(world):
    RoutingRule.objects.create(case_class=world["garbage"], region_code="210112002", unit=world["other_department"])
    unit, why = route(new_case(world, world["garbage"]))
    assert unit == world["department"] and "按类别责任部门" in why


def test_the_community_then_the_street_take_what_nobody_owns(world):
    orphan = CaseClass.objects.get(code="E0401")  # no default department in the test world
    unit, why = route(new_case(world, orphan))
    assert unit == world["committees"]["210112001001"] and "属地社区" in why
    street_unit = make_unit("ST1", UnitKind.STREET_OFFICE, world["regions"]["210112001"])
    unit, why = route(new_case(world, orphan, point=grid_center("210112001002001")))  # a community without committee
    assert unit == street_unit and "属地街道" in why


def test_a_case_nobody_can_take_waits_for_the_dispatcher(world):
    from civicgrid.cases.selectors import work_queues

    for committee in world["committees"].values():
        committee.delete()
    orphan = CaseClass.objects.get(code="E0401")
    case = new_case(world, orphan)
    filed = perform(world["users"]["shift_leader"], case.number, "file")
    assert filed.responsible_unit is None and "待派遣员分派" in filed.routing_note
    triage = {q.key: list(q.cases) for q in work_queues(world["users"]["dispatcher"])}["triage"]
    assert triage == [Case.objects.get(pk=case.pk)]
    with pytest.raises(Exception, match="指定派遣单位"):
        perform(world["users"]["dispatcher"], case.number, "dispatch")
    assert perform(world["users"]["dispatcher"], case.number, "dispatch", unit=world["department"]).state == "handling"


def test_rule_changes_take_effect_at_once_in_this_process(world):
    new_case(world, world["garbage"])  # warms the rule cache
    RoutingRule.objects.create(case_class=world["garbage"], region_code="210112001001", unit=world["other_department"])
    assert route(new_case(world, world["garbage"]))[0] == world["other_department"]


def test_renumbering_grids_recodes_their_cases(world):
    from civicgrid.territory.models import Region
    from civicgrid.territory.services import number_grids

    case = new_case(world, world["garbage"])
    assert case.region_code == "210112001001001"
    nw, se = Region.objects.get(code="210112001001001"), Region.objects.get(code="210112001001004")
    Region.objects.filter(pk=nw.pk).update(code="tmp")
    Region.objects.filter(pk=se.pk).update(code="210112001001001")
    Region.objects.filter(pk=nw.pk).update(code="210112001001004")
    Case.objects.filter(pk=case.pk).update(region_code="210112001001004")  # as if reported after the mix-up
    number_grids("210112001001")
    case.refresh_from_db()
    assert case.region_code == "210112001001001" and case.community_code == "210112001001"
