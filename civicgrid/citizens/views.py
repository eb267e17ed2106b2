"""The public side: report, track, rate and see, phone first, with no staff navigation; and the office's pages
for reviewing ratings and moderating public content. Thin: every change goes through citizens.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicgrid.cases.models import Case, CaseClass, EventPhoto
from civicgrid.cases.photos import Variant, photo_url
from civicgrid.citizens import categories, public, services
from civicgrid.citizens.forms import (
    BlockForm,
    PublicReportForm,
    RatingForm,
    ReviewForm,
    SignInForm,
    UpdateForm,
)
from civicgrid.citizens.models import Block, PublicReport, Review
from civicgrid.core.exceptions import message_text
from civicgrid.core.scoping import is_office
from civicgrid.territory.models import Place, Region
from civicgrid.territory.services import places_near

PUBLIC_LIST_DAYS = 90


def _client(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _errors(exc: ValidationError) -> JsonResponse:
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return JsonResponse({"errors": detail}, status=400)


def report(request):
    """GET: the form. POST (from the page's script, or a plain form post): 201 with the tracking link, or 400
    with a message per field; the page keeps everything typed and attached."""
    if request.method != "POST":
        return render(request, "citizens/report.html", {
            "groups": categories.grouped(), "tile_url": _tiles()[0], "tile_attribution": _tiles()[1],
            "signed_in_phone": services.account_phone(request.user)})
    form = PublicReportForm(request.POST)
    uploads = request.FILES.getlist("photos")
    if not form.is_valid():
        return JsonResponse({"errors": {k: [str(m) for m in v] for k, v in form.errors.items()}}, status=400)
    data = form.cleaned_data
    try:
        phone = services.reporter_phone(request.user, contact=data["contact"], phone=data["phone"],
                                        code=data["code"])
        place = Place.objects.filter(pk=data["place"]).first() if data["place"] else None
        filed = services.submit_report(
            case_class=data["case_class"], description=data["description"] or data["case_class"].minor_name,
            lat=data["lat"], lng=data["lng"], address=data["address"], place=place, uploads=uploads, phone=phone,
            user=request.user, client_address=_client(request))
    except ValidationError as exc:
        return _errors(exc)
    except PermissionDenied as exc:
        return JsonResponse({"errors": {"__all__": [str(exc)]}}, status=403)
    return JsonResponse({"number": filed.case.number, "track": services.tracking_path(filed)}, status=201)


def _tiles() -> tuple[str, str]:
    from django.conf import settings

    return settings.MAP_TILE_URL, settings.MAP_TILE_ATTRIBUTION


@require_POST
def send_code(request):
    try:
        services.send_code(request.POST.get("phone", ""), client_address=_client(request))
    except ValidationError as exc:
        return _errors(exc)
    except PermissionDenied as exc:
        return JsonResponse({"errors": {"phone": [str(exc)]}}, status=403)
    return JsonResponse({"sent": True, "message": _("验证码已发送，10分钟内有效。")})


@require_GET
def locate(request):
    try:
        point = services.where(request.GET.get("lat"), request.GET.get("lng"))
    except ValidationError as exc:
        return _errors(exc)
    near = _nearest_place(point.lat, point.lng)
    # The grid's outline: with no map tiles (the default: nothing is loaded from outside) it shows where the pin is.
    outline = Region.objects.filter(code=point.grid.code).values_list("boundary", flat=True).first()
    return JsonResponse({"words": services.in_words(point), "street": point.street.name if point.street else "",
                         "community": point.community.name if point.community else "", "grid": point.grid.name,
                         "grid_outline": outline, "place": _place_json(near) if near else None})


def _nearest_place(lat: float, lng: float, metres: float = 60) -> Place | None:
    """The known place the pin is on (place names and kinds are public; their chiefs are not shown)."""
    found = places_near(Place.objects.select_related("kind"), lat, lng, metres, limit=1)
    return found[0][1] if found else None


def _place_json(place: Place) -> dict:
    return {"id": place.pk, "name": place.name, "address": place.address, "kind": place.kind.slug,
            "kind_name": place.kind.name, "lat": place.lat, "lng": place.lng}


@require_GET
def places(request):
    """Known places whose name or address contains the words typed (for moving the pin to them)."""
    text = request.GET.get("q", "").strip()[:50]
    if not text:
        return JsonResponse({"places": []})
    found = Place.objects.filter(Q(name__contains=text) | Q(address__contains=text)).select_related("kind")[:10]
    return JsonResponse({"places": [_place_json(p) for p in found]})


@require_GET
def suggest(request):
    """Likely classes for the words typed and the place the pin is on; and the search's choices."""
    text = request.GET.get("text", "").strip()[:200]
    kind = ""
    if request.GET.get("place"):
        place = Place.objects.filter(pk=request.GET["place"]).select_related("kind").first() \
            if request.GET["place"].isdigit() else None
        kind = place.kind.slug if place else ""
    classes = list(CaseClass.objects.filter(active=True).order_by("code"))
    found = categories.suggest(text, kind, classes) if request.GET.get("mode") != "search" \
        else categories.search(text, classes)[:12]
    names = {c.code: str(g.name) for g, members in categories.grouped(classes) for c in members}
    return JsonResponse({"classes": [{"code": c.code, "name": c.minor_name, "group": names.get(c.code, "")}
                                     for c in found]})


def track(request, number: str, secret: str):
    """A report's public page: its plain-words timeline and public photos; the reporter adds to it and rates
    it here."""
    found = services.report_by_link(number, secret)
    if found is None:
        raise Http404("no such report")
    rating_form = RatingForm(request.POST if request.POST.get("form") == "rating" else None)
    update_form = UpdateForm(request.POST if request.POST.get("form") == "update" else None)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "rating" and rating_form.is_valid():
                services.rate(found, rating_form.cleaned_data["rating"], rating_form.cleaned_data["comment"])
                messages.success(request, _("感谢您的评价。"))
                return redirect(request.path)
            if request.POST.get("form") == "update" and update_form.is_valid():
                from civicgrid.cases.photos import photos_for_step

                with photos_for_step(None, uploads=request.FILES.getlist("photos")[:9]) as photos:
                    services.add_update(found.case, text=update_form.cleaned_data["text"], photos=photos)
                messages.success(request, _("已补充。"))
                return redirect(request.path)
        except ValidationError as exc:
            messages.error(request, message_text(exc))
    found.refresh_from_db()
    return render(request, "citizens/track.html", _track_context(request, found, rating_form, update_form))


def _track_context(request, found: PublicReport, rating_form=None, update_form=None) -> dict:
    case = found.case
    state, status, notes = public.case_status(case)
    entries = public.timeline(case)
    return {
        "report": found, "case": case, "state": state, "status": status, "notes": notes,
        "description": public.description(case), "where": _where_words(case),
        "entries": [(e, [(photo_url(request, p, Variant.THUMBNAIL), photo_url(request, p, Variant.PUBLIC))
                         for p in e.photos]) for e in entries],
        "may_rate": services.may_rate(found), "rating_form": rating_form or RatingForm(),
        "update_form": update_form or UpdateForm(), "closed": state == "closed",
    }


def _where_words(case: Case) -> str:
    names = dict(Region.objects.filter(code__in=[case.street_code, case.community_code, case.region_code])
                 .values_list("code", "name"))
    return "".join(names.get(c, "") for c in (case.street_code, case.community_code, case.region_code))


def sign_in(request):
    """Citizens sign in with a phone and a text-message code; the first sign-in makes the account."""
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone = services.verify_code(form.cleaned_data["phone"], form.cleaned_data["code"])
            services.check_not_blocked(phone=phone, client_address=_client(request))
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, message_text(exc))
        else:
            login(request, services.citizen_account(phone), backend="civicgrid.accounts.backends.LockoutAwareBackend")
            return redirect("public-mine")
    return render(request, "citizens/sign_in.html", {"form": form})


def mine(request):
    """A signed-in citizen's reports: theirs by account or by their verified phone."""
    if not request.user.is_authenticated:
        return redirect("public-sign-in")
    phone = services.account_phone(request.user)
    rows = PublicReport.objects.filter(Q(user=request.user) | (Q(phone=phone) if phone else Q(pk__in=[])))
    rows = rows.select_related("case", "case__case_class").order_by("-created_at")
    rows = list(rows[:200])
    statuses = public.case_statuses([r.case for r in rows])
    return render(request, "citizens/mine.html", {"reports": [(r, statuses[r.case_id]) for r in rows]})


def see(request):
    """The public map and list of reports (FixMyStreet style): recent and fixed, by street and category."""
    cases = _publicly_seen(request)
    page = Paginator(cases, 20).get_page(request.GET.get("page"))
    statuses = public.case_statuses(list(page))
    streets = Region.objects.filter(level="street").order_by("code").values_list("code", "name")
    return render(request, "citizens/see.html", {
        "page": page, "rows": [(c, statuses[c.pk], public.description(c)) for c in page],
        "streets": streets, "groups": categories.GROUPS, "tile_url": _tiles()[0], "tile_attribution": _tiles()[1],
        "street": request.GET.get("street", ""), "group": request.GET.get("group", ""),
        "show": request.GET.get("show", "recent"),
    })


def _publicly_seen(request):
    since = timezone.now() - timezone.timedelta(days=PUBLIC_LIST_DAYS)
    cases = (Case.objects.publicly_listed().filter(reported_at__gte=since)
             .select_related("case_class", "public_report").order_by("-reported_at"))
    if request.GET.get("show") == "fixed":
        cases = cases.filter(state="closed")
    street = request.GET.get("street", "")
    if street and street.isdigit():
        cases = cases.filter(street_code=street)
    group = next((g for g in categories.GROUPS if g.key == request.GET.get("group")), None)
    if group is not None:
        cases = cases.filter(case_class__code__in=group.codes)
    return cases


def see_geojson(request):
    """The public map's points: no personal data, private classes at their grid's centre."""
    features = []
    cases = list(_publicly_seen(request)[:1000])
    statuses = public.case_statuses(cases)
    for case in cases:
        lat, lng = public.position(case)
        state, status, notes = statuses[case.pk]
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lng, lat]},
                         "properties": {"number": case.number, "category": case.case_class.minor_name,
                                        "state": state, "notes": notes,
                                        "reported": timezone.localtime(case.reported_at).strftime("%Y-%m-%d")}})
    return JsonResponse({"type": "FeatureCollection", "features": features})


def see_regions(request):
    """The streets' outlines for the public maps (no tiles by default: the product loads nothing outside)."""
    return JsonResponse({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": boundary, "properties": {"code": code, "name": name}}
        for code, name, boundary in Region.objects.filter(level="street").values_list("code", "name", "boundary")]})


# The office's side --------------------------------------------------------------------------------------------

def _office(request):
    if not is_office(request.user):
        raise PermissionDenied(_("只有创城办可以处理群众反映的公开内容与评价。"))


@login_required
def office(request):
    """Ratings awaiting review, public reports to moderate, and the blocked numbers and accounts."""
    _office(request)
    block_form = BlockForm(request.POST if request.POST.get("form") == "block" else None)
    if request.method == "POST" and request.POST.get("form") == "block" and block_form.is_valid():
        try:
            services.block(request.user, **block_form.cleaned_data)
        except ValidationError as exc:
            block_form.add_error(None, message_text(exc))
        else:
            messages.success(request, _("已封禁。"))
            return redirect("public-office")
    reports = PublicReport.objects.restrict(request.user, "view").select_related("case", "case__case_class")
    pending = reports.filter(review=Review.PENDING)
    recent = reports.order_by("-case__reported_at")[:50]
    return render(request, "citizens/office.html", {
        "pending": pending, "recent": recent, "blocks": Block.objects.restrict(request.user, "view").filter(active=True).order_by("-created_at"),
        "block_form": block_form, "review_form": ReviewForm()})


@login_required
def case_panel(request, number: str):
    """The citizen's side of a case on its staff page (loaded into it): contact, rating, and the office's
    moderation of the public copy."""
    from civicgrid.core.scoping import get_in_scope

    case = get_in_scope(Case.objects, request.user, "view", number=number)
    found = PublicReport.objects.filter(case=case).first() or PublicReport(case=case)
    hidden = set(found.hidden_photos)
    photos = [(link.photo, str(link.photo.uid) in hidden) for link in
              EventPhoto.objects.filter(event__case=case, role="before").select_related("photo").order_by("id")]
    return render(request, "citizens/_case_panel.html", {"case": case, "report": found, "photos": photos,
                                                          "moderates": is_office(request.user)})


@login_required
@require_POST
def office_review(request, number: str):
    _office(request)
    found = PublicReport.objects.filter(case__number=number).first()
    if found is None:
        raise Http404
    form = ReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.get("note") or form.errors.get("decision"))
        services.review(found, request.user, reopen=form.cleaned_data["decision"] == "reopen",
                        note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, message_text(exc))
    else:
        messages.success(request, _("已复核 %s。") % number)
    return redirect("public-office")


@login_required
@require_POST
def office_moderate(request, number: str):
    _office(request)
    case = Case.objects.restrict(request.user, "change").filter(number=number).first()
    if case is None:
        raise Http404
    hide_text = {"hide": True, "show": False}.get(request.POST.get("text", ""))
    try:
        services.moderate(case, request.user, hide_text=hide_text, hide_photo=request.POST.get("hide_photo", ""),
                          show_photo=request.POST.get("show_photo", ""), note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, message_text(exc))
    else:
        messages.success(request, _("已更新 %s 的公开内容。") % number)
    return redirect("case-detail", number=number) if request.POST.get("back") == "case" else redirect("public-office")


@login_required
@require_POST
def office_unblock(request, pk: int):
    _office(request)
    if services.unblock(request.user, pk):
        messages.success(request, _("已解除封禁。"))
    return redirect("public-office")
