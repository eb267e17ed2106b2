"""Pages. Views stay thin: they call selectors/services and always read through restrict()."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicgrid.core.scoping import get_in_scope
from civicgrid.organizations.filters import ContractFilter
from civicgrid.organizations.models import Contract
from civicgrid.territory.filters import PlaceFilter
from civicgrid.territory.models import Place, PlaceKind, Region
from civicgrid.web.selectors import attention, contracted_overdue, standings, workspace


@login_required
def home(request):
    from civicgrid.cases.selectors import notifications_by_kind, work_queues
    from civicgrid.organizations.access import is_citizen_account

    if is_citizen_account(request.user):  # their own reports, on the public side
        return redirect("public-mine")
    from civicgrid.inspections.models import Assignment

    queues = [(q, q.cases.count()) for q in work_queues(request.user)]
    person = getattr(request.user, "person", None)
    checks_today = (Assignment.objects.restrict(request.user).filter(
        assignee=person, day=timezone.localdate(), inspection__isnull=True).select_related("place")
        .order_by("window_start")[:20] if person else [])
    from civicgrid.assessment.bulletins import for_user

    return render(request, "web/home.html", {
        "ws": workspace(request.user),
        "attention": attention(request.user),
        "standings": standings(request.user),
        "checks_today": checks_today,
        "bulletins": for_user(request.user),
        "queues": [(q, n) for q, n in queues if n],
        "notification_groups": notifications_by_kind(request.user),
        "contracted_overdue": contracted_overdue(request.user),
        "shortcuts": shortcuts(request.user),
    })


# The home page's common tasks, each offered only to those whose menu has it.
SHORTCUTS = {"case-report": gettext_lazy("上报问题"), "map": gettext_lazy("网格地图"),
             "places": gettext_lazy("责任对象"), "contracts": gettext_lazy("包保关系")}


def shortcuts(user) -> list[tuple[str, str]]:
    from civicgrid.web.context_processors import menu_for

    return [(SHORTCUTS[name], reverse(name)) for _label, name in menu_for(user) if name in SHORTCUTS]


@login_required
def map_page(request):
    return render(request, "web/map.html", {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "kinds": PlaceKind.objects.all(),
    })


@login_required
def map_places(request):
    """Places in scope as a light GeoJSON of points (the map's place layer)."""
    places = PlaceFilter(request.GET, queryset=Place.objects.restrict(request.user, "view")).qs
    rows = places.values_list("code", "name", "kind__slug", "kind__name", "lng", "lat")[:20000]
    return JsonResponse({
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lng, lat]},
             "properties": {"code": code, "name": name, "kind": slug, "kind_name": kind_name}}
            for code, name, slug, kind_name, lng, lat in rows
        ],
    }, content_type="application/geo+json")


@login_required
def regions(request, code: str | None = None):
    """Browse the region tree within scope: a region and its children."""
    visible = Region.objects.restrict(request.user, "view")
    region = get_in_scope(Region.objects, request.user, "view", code=code) if code else None
    if region is not None:
        children = visible.filter(parent=region)
    else:
        # The top of what this user sees: regions whose parent is not visible to them.
        children = visible.exclude(parent__in=visible)
    return render(request, "web/regions.html", {
        "region": region,
        "ancestors": _ancestors(region),
        "children": children.order_by("code")[:500],
    })


def _ancestors(region):
    chain = []
    while region is not None and region.parent_id:
        region = region.parent
        chain.insert(0, region)
    return chain


@login_required
def places(request):
    """A filtered, paginated list of places; htmx requests get only the table."""
    filterset = PlaceFilter(
        request.GET,
        queryset=Place.objects.restrict(request.user, "view").select_related(
            "kind", "category", "chief", "responsible_unit"),
    )
    if not filterset.is_valid():
        messages.error(request, _("筛选条件有误：%s") % filterset.errors.as_text())
    page = Paginator(filterset.qs.order_by("code"), 50).get_page(request.GET.get("page"))
    template = "web/_places_table.html" if request.headers.get("HX-Request") else "web/places.html"
    return render(request, template, {"filter": filterset, "page": page, "kinds": PlaceKind.objects.all()})


@login_required
def contracts(request):
    filterset = ContractFilter(
        request.GET,
        queryset=Contract.objects.restrict(request.user, "view").select_related("person", "unit", "region", "place"),
    )
    page = Paginator(filterset.qs.order_by("region_code", "starts_on"), 50).get_page(request.GET.get("page"))
    return render(request, "web/contracts.html", {"page": page})


class LogoutView(auth_views.LogoutView):
    """Signing out also clears what this site keeps in the browser: the field app's data and caches, so that
    nothing cached is left for the next person on the same device."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response

