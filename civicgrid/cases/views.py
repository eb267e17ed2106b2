"""Case pages. Thin: every change goes through civicgrid.cases.services, every read through restrict()."""

from __future__ import annotations

import zlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid import audit
from civicgrid.cases import exports as case_exports
from civicgrid.cases import services
from civicgrid.cases.choices import Action, PhotoRole, Source, State
from civicgrid.cases.filters import CaseFilter
from civicgrid.cases.forms import ActionForm, ReportForm
from civicgrid.cases.models import Case, CaseClass, Notification, Photo
from civicgrid.cases.photos import Variant, may_see_photo, photo_file, photos_for_step
from civicgrid.cases.selectors import (
    QUEUE_SORTS,
    describe_queue_rows,
    earlier_repeats,
    filter_menus,
    sorted_queue,
    work_queues,
)
from civicgrid.cases.workflow import STATELESS_ACTIONS, TRANSITIONS
from civicgrid.core import excel, exports
from civicgrid.core.exceptions import message_text
from civicgrid.core.http import download, serve_stored_file
from civicgrid.core.scoping import get_in_scope
from civicgrid.organizations.access import is_public_only
from civicgrid.organizations.choices import UnitKind
from civicgrid.organizations.models import Unit
from civicgrid.territory.models import Region


def staff_pages(view):
    """Staff pages: a citizen's account is sent to the public side (its own reports, the citizens' form), where
    no staff names, internal codes or criteria are shown."""
    import functools

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if is_public_only(request.user):
            return redirect("public-report" if view.__name__ == "report" else "public-mine")
        return view(request, *args, **kwargs)

    return wrapper


@login_required
@staff_pages
def report(request):
    """The mobile report form: class picker with search, GPS, camera."""
    form = ReportForm(request.POST or None, request.FILES or None,
                      sources=services.reportable_sources(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with photos_for_step(request.user, uploads=data["photos"]) as photos:
                result = services.report_case(
                    request.user, case_class=data["case_class"], description=data["description"],
                    lng=data["lng"], lat=data["lat"], address=data["address"], urgency=data["urgency"],
                    source=data["source"], photos=photos,
                )
        except ValidationError as exc:
            form.add_error(None, message_text(exc))
        else:
            messages.success(request, _("已上报，案件编号 %s") % result.case.number)
            if result.possible_duplicates:
                messages.warning(request, _("附近有同类未结案件：%s，如为重复可由受理员合并。") % "、".join(
                    c.number for c in result.possible_duplicates[:5]))
            return redirect("case-detail", number=result.case.number)
    classes = CaseClass.objects.filter(active=True).order_by("code")
    return render(request, "cases/report.html", {"form": form, "classes": classes})


def photo(request, uid, variant):
    """Every photo is served here, after the same permission rule as the record it is evidence of (404 for
    anyone else). Anonymous readers (Open311 clients) get the public copies of publicly listed cases."""
    if variant not in Variant.ALL:
        raise Http404("no such variant")
    found = Photo.objects.filter(uid=uid).first()
    if found is None or not may_see_photo(_api_or_session_user(request), found, variant):
        raise Http404("no such photo")
    field, content_type = photo_file(found, variant)
    return serve_stored_file(request, field.storage, field.name, content_type=content_type,
                             etag=f"{found.uid.hex}-{zlib.crc32(field.name.encode()):08x}")  # the file, not the variant


def _api_or_session_user(request):
    """API clients and the field app follow the photo links the API gives them with their key (a token, a device
    session), not a web session: the API's own authenticators decide, the session one aside."""
    if request.user.is_authenticated or not request.headers.get("Authorization"):
        return request.user
    from rest_framework.authentication import SessionAuthentication
    from rest_framework.exceptions import AuthenticationFailed
    from rest_framework.settings import api_settings

    for authenticator_class in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        if issubclass(authenticator_class, SessionAuthentication):
            continue
        try:
            found = authenticator_class().authenticate(request)
        except AuthenticationFailed:
            return request.user
        if found is not None:
            return found[0]
    return request.user


@login_required
@staff_pages
@require_POST
def queue_bulk(request, key: str):
    """Take a queue's action on the ticked cases, each in its own transaction; says what happened to each."""
    from civicgrid.cases.selectors import queue

    found = queue(request.user, key)
    if found is None or not found.bulk_action:
        raise Http404("no such queue")
    numbers = request.POST.getlist("numbers")[:200]
    if not numbers:
        messages.warning(request, _("请先勾选案件。"))
        return redirect(f"{reverse('case-queues')}#queue-{key}")
    done, refused = [], []
    for number in numbers:
        try:
            services.perform_by_codes(request.user, number, found.bulk_action)
        except (ValidationError, PermissionDenied, Http404, services.CaseConflict) as exc:
            refused.append(f"{number}：{message_text(exc) or _('不在您的范围内')}")
        else:
            done.append(number)
    label = TRANSITIONS[found.bulk_action].label
    if done:
        messages.success(request, _("已%(action)s %(n)d 件：%(numbers)s") % {
            "action": label, "n": len(done), "numbers": "、".join(done)})
    for line in refused:
        messages.error(request, _("未能%(action)s %(line)s") % {"action": label, "line": line})
    return redirect(f"{reverse('case-queues')}#queue-{key}")


@login_required
@staff_pages
def queues(request):
    """Every queue of the user's roles, filtered by the same words and menus as the case list, sorted as asked,
    50 to a page (each queue pages on its own: `<key>_page`)."""
    now = timezone.now()
    sort = request.GET.get("sort") if request.GET.get("sort") in QUEUE_SORTS else "oldest"
    filterset = CaseFilter(request.GET, queryset=Case.objects.none())
    if not filterset.is_valid():
        messages.error(request, _("筛选条件有误：%s") % filterset.errors.as_text())
    filtered = filterset.is_valid() and any(request.GET.get(k) for k in QUEUE_FILTERS)
    rows = []
    for q in work_queues(request.user):
        cases = CaseFilter(request.GET, queryset=q.cases).qs if filtered else q.cases
        page = Paginator(sorted_queue(cases, q.key, sort).select_related("place"), 50).get_page(
            request.GET.get(f"{q.key}_page"))
        rows.append({
            "queue": q, "page": page, "total": q.cases.count() if filtered else page.paginator.count,
            "bulk_label": TRANSITIONS[q.bulk_action].label if q.bulk_action else "",
            "previous": _with(request, {f"{q.key}_page": page.previous_page_number()}) if page.has_previous() else "",
            "next": _with(request, {f"{q.key}_page": page.next_page_number()}) if page.has_next() else "",
        })
    describe_queue_rows({row["queue"].key: row["page"] for row in rows}, now)
    # The queues with work first; the empty ones are named in one line at the end.
    rows.sort(key=lambda row: not row["page"].paginator.count)
    return render(request, "cases/queues.html", {
        "queues": rows, "now": now, "filter": filterset, "filtered": filtered, "sort": sort,
        "unit_queues": ("triage", "dispatch", "extension", "handle", "area_overdue", "area_due_today"),
        "sorts": {key: _with(request, {"sort": key}, drop_pages=True) for key in QUEUE_SORTS},
        **filter_menus(request.user)})


# The list's filters a queue honours (the queue itself decides the state).
QUEUE_FILTERS = ("q", "region", "case_class", "unit", "overdue")


def _with(request, changes: dict, drop_pages: bool = False) -> str:
    """This page's query string with `changes` applied (a new order starts every queue at its first page)."""
    params = request.GET.copy()
    if drop_pages:
        for key in [k for k in params if k.endswith("_page")]:
            del params[key]
    for key, value in changes.items():
        params[key] = value
    return f"?{params.urlencode()}"


@login_required
@staff_pages
def case_list(request):
    """A filtered, paginated list; the same FilterSet as the API. htmx requests get the table only."""
    filterset = CaseFilter(request.GET, queryset=Case.objects.restrict(request.user, "view").select_related(
        "case_class", "responsible_unit", "place"))
    if not filterset.is_valid():
        messages.error(request, _("筛选条件有误：%s") % filterset.errors.as_text())
    page = Paginator(filterset.qs.order_by("-reported_at"), 50).get_page(request.GET.get("page"))
    # Grids by name, not code: one query for the page.
    grids = dict(Region.objects.filter(code__in={c.region_code for c in page}).values_list("code", "name"))
    for case in page:
        case.grid_name = grids.get(case.region_code, case.region_code)
    template = "cases/_table.html" if request.headers.get("HX-Request") else "cases/list.html"
    context = {"filter": filterset, "page": page, "states": State.choices, "sources": Source.choices}
    if template == "cases/list.html":
        context.update(filter_menus(request.user))
    return render(request, template, context)




@login_required
def export(request):
    """The filtered list as Excel (at most 100,000 rows): at once when small, as a background job with a progress
    page when larger than EXPORT_BACKGROUND_ROWS."""
    params = {key: request.GET.getlist(key) for key in request.GET if key != "page"}
    queryset = case_exports.export_cases(request.user, params)
    total = queryset.count()
    audit.record("export", request=request, target="cases", rows=total, filters=params)
    if total > settings.EXPORT_BACKGROUND_ROWS:
        job = exports.start(request.user, "cases", params, total)
        return redirect("export-job", uid=job.uid)
    spec = exports.KINDS["cases"]
    return download(excel.write(spec.columns, spec.rows(queryset), title=spec.title), spec.filename(params))




@login_required
def detail(request, number: str):
    case = get_in_scope(Case.objects.select_related("case_class", "criterion", "responsible_unit", "place",
                                                     "merged_into"), request.user, "view", number=number)
    if is_public_only(request.user):  # their own report: its public page, reached from their list
        return redirect("public-mine")
    events = case.events.select_related("actor").prefetch_related("photos__photo").order_by("seq")
    actions = [TRANSITIONS[a] for a in services.available_actions(request.user, case)]
    Notification.objects.filter(user=request.user, case=case, read_at__isnull=True).update(read_at=timezone.now())
    units = Unit.objects.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.STREET_OFFICE, UnitKind.COMMUNITY_COMMITTEE]
                                ).order_by("kind", "code") if any(a.action == "dispatch" for a in actions) else []
    grid = Region.objects.filter(code=case.region_code).values_list("boundary", flat=True).first()
    links = [link for event in events for link in event.photos.all()]
    after = [link for link in links if link.role == PhotoRole.AFTER]
    latest_after = [link for link in after if link.event_id == after[-1].event_id] if after else []
    for event in events:
        event.label = (Action(event.action).label if event.action in STATELESS_LABELLED or not event.from_state
                       else event.get_to_state_display())
    queue_key = request.GET.get("queue", "")
    return render(request, "cases/detail.html", {
        "queue_key": queue_key if queue_key.isidentifier() else "",
        "public_note_actions": PUBLIC_NOTE_ACTIONS, "irreversible_actions": IRREVERSIBLE_ACTIONS,
        "case": case, "events": events, "actions": actions, "units": units, "form": ActionForm(), "grid": grid,
        "duplicates": case.duplicates.all(), "before": PhotoRole.BEFORE,
        # What the acceptor merges into: the earlier open cases of the class within the duplicate radius, the first
        # reported first.
        "merge_targets": earlier_repeats(request.user, case)[:5] if any(
            a.action == "merge" for a in actions) else [],
        # Before and after side by side: the first report's photos against the latest handling's.
        "before_photos": [link for link in links if link.role == PhotoRole.BEFORE][:3], "after_photos": latest_after[:3],
        "sees_originals": not is_public_only(request.user),
    })


# Events that change no state read as their action (a citizen's rating, a review, moderation, a finding).
STATELESS_LABELLED = frozenset(STATELESS_ACTIONS | {Action.REPORT})
# Actions whose outcome the reporter reads: the staff may add words written for them.
PUBLIC_NOTE_ACTIONS = ("reject", "void", "handle", "close", "park")
# Actions that end a case for good: they look different and ask first.
IRREVERSIBLE_ACTIONS = ("reject", "void", "merge")


@login_required
@require_POST
def act(request, number: str, action: str):
    form = ActionForm(request.POST, request.FILES)
    if not form.is_valid() or action not in TRANSITIONS:
        messages.error(request, _("提交有误。"))
        return redirect("case-detail", number=number)
    data = form.cleaned_data
    try:
        with photos_for_step(request.user, uploads=data["photos"]) as photos:
            services.perform_by_codes(request.user, number, action, note=data["note"], photos=photos,
                                      unit=data["unit"], target=data["target"], amount=data["amount"],
                                      public_note=data["public_note"])
    except ValidationError as exc:
        messages.error(request, message_text(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except services.CaseConflict as exc:
        messages.warning(request, str(exc))
    else:
        messages.success(request, _("已%(action)s %(number)s。") % {"action": TRANSITIONS[action].label, "number": number})
        queue_key = request.POST.get("queue", "")
        if queue_key:  # working through a queue: the next case opens, or the queue says it is done
            from civicgrid.cases.selectors import next_in_queue

            following = next_in_queue(request.user, queue_key)
            if following is None:
                messages.info(request, _("该队列已处理完。"))
                return redirect(f"{reverse('case-queues')}#queue-{queue_key}")
            return redirect(f"{reverse('case-detail', args=[following.number])}?queue={queue_key}")
    queue_key = request.POST.get("queue", "")
    return redirect(f"{reverse('case-detail', args=[number])}" + (f"?queue={queue_key}" if queue_key.isidentifier() else ""))
