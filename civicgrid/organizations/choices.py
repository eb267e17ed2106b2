"""Vocabularies of units and roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    LEADERSHIP = "leadership", _("区领导")
    CAMPAIGN_OFFICE = "campaign_office", _("创城办")
    ASSESSMENT_OFFICE = "assessment_office", _("绩考办")
    STREET_OFFICE = "street_office", _("街道办事处")
    COMMUNITY_COMMITTEE = "community_committee", _("社区居委会")
    DEPARTMENT = "department", _("职能部门")
    ASSESSMENT_FIRM = "assessment_firm", _("第三方评估机构")
    PROPERTY_COMPANY = "property_company", _("物业公司")
    MARKET_OPERATOR = "market_operator", _("市场经营主体")
    BUSINESS = "business", _("经营业户")


class Role(models.TextChoices):
    """What a user does; where they may do it comes from the grant's region or unit."""

    ADMIN = "admin", _("创城办管理员")
    LEADER = "leader", _("区领导")
    ACCEPTOR = "acceptor", _("受理员")
    SHIFT_LEADER = "shift_leader", _("值班长")
    DISPATCHER = "dispatcher", _("派遣员")
    HANDLER = "handler", _("部门处置人员")
    STREET_STAFF = "street_staff", _("街道工作人员")
    COMMUNITY_STAFF = "community_staff", _("社区工作人员")
    GRID_WORKER = "grid_worker", _("网格员")
    INSPECTOR = "inspector", _("监督员")
    ASSESSOR = "assessor", _("第三方评估员")
    PLACE_CHIEF = "place_chief", _("责任对象负责人")
    PUBLIC = "public", _("公众")


# The actions each role may take on the territory-bound records within its grant.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset({"view", "add", "change", "delete"}),
    Role.LEADER: frozenset({"view"}),
    Role.ACCEPTOR: frozenset({"view"}),
    Role.SHIFT_LEADER: frozenset({"view"}),
    Role.DISPATCHER: frozenset({"view"}),
    Role.HANDLER: frozenset({"view"}),
    Role.STREET_STAFF: frozenset({"view", "add", "change"}),
    Role.COMMUNITY_STAFF: frozenset({"view", "add", "change"}),
    Role.GRID_WORKER: frozenset({"view", "change"}),
    Role.INSPECTOR: frozenset({"view"}),
    Role.ASSESSOR: frozenset({"view"}),
    Role.PLACE_CHIEF: frozenset({"view", "change"}),
    Role.PUBLIC: frozenset({"view"}),  # only what they reported themselves: no region or unit
}

# Roles that reach the whole district whatever their grant names (the campaign office runs everything).
DISTRICT_WIDE_ROLES = frozenset({Role.ADMIN})
# Roles that see undercover findings before the campaign office publishes them (the office and the assessors).
EMBARGO_ROLES = frozenset({Role.ADMIN, Role.ASSESSOR})
# Roles that need no region or unit on their grant.
UNANCHORED_ROLES = frozenset({Role.ADMIN, Role.PUBLIC, Role.PLACE_CHIEF})
