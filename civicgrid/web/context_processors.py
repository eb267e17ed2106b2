from django.urls import reverse
from django.utils.translation import gettext as _

from civicgrid.core.scoping import is_office


def navigation(request):
    """The menu: every signed-in user gets the pages; staff also get the admin."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    from civicgrid.organizations.access import held_roles
    from civicgrid.organizations.choices import Role

    if held_roles(user) == {Role.PUBLIC}:  # a citizen's account: the public side's own navigation
        return {"nav_items": [], "citizen_account": True}
    items = [
        (_("工作台"), reverse("home")),
        (_("看板"), reverse("dashboard")),
        (_("上报"), reverse("case-report")),
        (_("待办"), reverse("case-queues")),
        (_("案件"), reverse("case-list")),
        (_("检查"), reverse("inspection-list")),
        (_("覆盖"), reverse("inspection-coverage")),
        (_("台账"), reverse("ledger-index")),
        (_("简报"), reverse("briefing-list")),
        (_("考核"), reverse("bulletin-list")),
        (_("网格地图"), reverse("map")),
        (_("区域"), reverse("regions")),
        (_("责任对象"), reverse("places")),
        (_("包保"), reverse("contracts")),
        (_("接口文档"), reverse("api-docs")),
    ]
    items += [(_("通知设置"), reverse("notification-preferences")), (_("账号安全"), reverse("account-two-factor"))]
    if is_office(user):
        items += [(_("群众反映"), reverse("public-office")), (_("发送记录"), reverse("notification-outbox")),
                  (_("安全审计"), reverse("audit-events")), (_("锁定的账号"), reverse("accounts-locked"))]
    if user.is_staff:
        items.append((_("后台管理"), reverse("admin:index")))
    return {"nav_items": [{"label": label, "url": url, "active": request.path == url} for label, url in items]}
