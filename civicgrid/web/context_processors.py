from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from civicgrid.core.scoping import is_office
from civicgrid.organizations.choices import Role

R = Role
CASE_DESK = {R.ACCEPTOR, R.SHIFT_LEADER, R.DISPATCHER}
TERRITORIAL = {R.STREET_STAFF, R.COMMUNITY_STAFF, R.GRID_WORKER}
EVERY_STAFF = None  # every account that is not a citizen's (one without roles yet included)
# The menu follows the work of each role, in the order of a day's work: what needs me first. The office sees
# every entry; a citizen's account has the public side's own menu.
MENU = [
    (gettext_noop("工作台"), "home", EVERY_STAFF),
    (gettext_noop("待办"), "case-queues", CASE_DESK | TERRITORIAL | {R.HANDLER, R.INSPECTOR}),
    (gettext_noop("上报"), "case-report", CASE_DESK | TERRITORIAL | {R.INSPECTOR, R.PLACE_CHIEF}),
    (gettext_noop("案件"), "case-list", EVERY_STAFF),
    (gettext_noop("检查"), "inspection-list", TERRITORIAL | {R.INSPECTOR, R.ASSESSOR, R.LEADER, R.HANDLER, R.PLACE_CHIEF}),
    (gettext_noop("看板"), "dashboard", {R.LEADER, R.STREET_STAFF, R.COMMUNITY_STAFF, R.SHIFT_LEADER, R.DISPATCHER}),
    (gettext_noop("覆盖"), "inspection-coverage", {R.LEADER, R.ASSESSOR, R.STREET_STAFF, R.COMMUNITY_STAFF}),
    (gettext_noop("台账"), "ledger-index", TERRITORIAL | {R.LEADER, R.HANDLER}),
    (gettext_noop("简报"), "briefing-list", {R.LEADER, R.STREET_STAFF}),
    (gettext_noop("考核"), "bulletin-list", {R.LEADER, R.STREET_STAFF, R.COMMUNITY_STAFF, R.HANDLER, R.ASSESSOR}),
    (gettext_noop("网格地图"), "map", EVERY_STAFF),
    (gettext_noop("区域"), "regions", TERRITORIAL | {R.LEADER}),
    (gettext_noop("责任对象"), "places", TERRITORIAL | {R.LEADER, R.HANDLER, R.INSPECTOR, R.PLACE_CHIEF}),
    (gettext_noop("包保"), "contracts", {R.LEADER, R.STREET_STAFF}),
    (gettext_noop("外勤应用"), "field-shell", TERRITORIAL | {R.INSPECTOR, R.HANDLER}),
    (gettext_noop("外勤设备"), "field-sessions", TERRITORIAL | {R.INSPECTOR, R.HANDLER}),
    (gettext_noop("接口文档"), "api-docs", set()),
    (gettext_noop("通知设置"), "notification-preferences", EVERY_STAFF),
    (gettext_noop("账号安全"), "account-two-factor", EVERY_STAFF),
]
OFFICE_MENU = [(gettext_noop("群众反映"), "public-office"), (gettext_noop("发送记录"), "notification-outbox"), (gettext_noop("安全审计"), "audit-events"),
               (gettext_noop("锁定的账号"), "accounts-locked")]


def menu_for(user) -> list[tuple[str, str]]:
    """(label, url name) of the entries the user's roles call for."""
    from civicgrid.organizations.access import held_roles

    roles = held_roles(user)
    office = is_office(user)
    entries = [(label, name) for label, name, wanted in MENU
               if office or wanted is None or roles & wanted]
    if office:
        entries += OFFICE_MENU
    return entries


def navigation(request):
    """The menu of the signed-in user's roles; staff also get the admin."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    from civicgrid.organizations.access import is_citizen_account

    if is_citizen_account(user):  # the public side's own navigation
        return {"nav_items": [], "citizen_account": True}
    items = [(_(label), reverse(name)) for label, name in menu_for(user)]
    if user.is_staff:
        items.append((_("后台管理"), reverse("admin:index")))
    entries = [{"label": label, "url": url, "active": request.path == url} for label, url in items]
    # The daily pages stay in the bar; settings and the office's records fold under 更多, so that the office's
    # long menu takes one line of a desktop.
    rare = {reverse(name) for name in RARE} | {reverse("admin:index")}
    return {"nav_items": [e for e in entries if e["url"] not in rare],
            "nav_more": [e for e in entries if e["url"] in rare]}


RARE = ["field-sessions", "api-docs", "notification-preferences", "account-two-factor", "public-office", "notification-outbox",
        "audit-events", "accounts-locked"]
