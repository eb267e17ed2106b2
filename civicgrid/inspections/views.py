"""Inspection pages. Thin: writes go through inspections.services, reads through restrict()."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid import audit
from civicgrid.cases.photos import collect_photos
from civicgrid.core.excel import ExcelError
from civicgrid.core.exceptions import Conflict, message_text
from civicgrid.core.http import download
from civicgrid.core.scoping import get_in_scope, is_office
from civicgrid.inspections import coverage as coverage_service
from civicgrid.inspections import planning, services, standards
from civicgrid.inspections.choices import InspectionKind, Outcome
from civicgrid.inspections.forms import GenerateForm, PlanForm, RoundForm, StandardImportForm
from civicgrid.inspections.models import AssessmentRound, Assignment, Inspection, Plan, Standard
from civicgrid.organizations.access import held_roles
from civicgrid.territory.choices import Level
from civicgrid.territory.models import Place, Region
from civicgrid.workcal.periods import period_from_query


@login_required
def inspection_list(request):
    """Inspections in the user's scope, filterable by place, kind and round; a place's results on top."""
    queryset = (Inspection.objects.restrict(request.user).select_related("place", "point_type", "round")
                .order_by("-started_at"))
    place = None
    if request.GET.get("place"):
        place = Place.objects.restrict(request.user).filter(code=request.GET["place"]).first()
        queryset = queryset.filter(place=place) if place else queryset.none()
    if request.GET.get("kind"):
        queryset = queryset.filter(kind=request.GET["kind"])
    if request.GET.get("round"):
        queryset = queryset.filter(round_id=request.GET["round"])
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    person = getattr(request.user, "person", None)
    today = timezone.localdate()
    todo = (Assignment.objects.restrict(request.user).filter(assignee=person, day=today, inspection__isnull=True)
            .select_related("place", "point_type").order_by("window_start") if person else [])
    context = {"page": page, "kinds": InspectionKind.choices, "place": place,
               "place_results": coverage_service.place_results(request.user, place) if place else None,
               "rounds": _rounds(request.user), "todo": todo}
    return render(request, "inspections/list.html", context)


def _rounds(user):
    return AssessmentRound.objects.restrict(user).select_related("firm", "standard").order_by("-starts_on", "-id")


@login_required
def start(request):
    """Phone page: find the place, pick the kind, start (the position goes with it)."""
    term = request.GET.get("q", "").strip()
    places = []
    if term:
        places = (Place.objects.restrict(request.user).filter(Q(name__contains=term) | Q(code=term))
                  .select_related("kind").order_by("code")[:20])
    person = getattr(request.user, "person", None)
    assignments = (Assignment.objects.restrict(request.user)
                   .filter(assignee=person, day=timezone.localdate(), inspection__isnull=True)
                   .select_related("place", "place__kind") if person else [])
    error = ""
    if request.method == "POST":
        place = get_object_or_404(Place, code=request.POST.get("place", ""))
        round_ = None
        if request.POST.get("round"):
            round_ = get_object_or_404(_rounds(request.user), pk=request.POST["round"])
        assignment = None
        if request.POST.get("assignment"):
            assignment = get_object_or_404(Assignment.objects.restrict(request.user), pk=request.POST["assignment"])
        recheck_of = None
        if request.POST.get("recheck_of"):
            recheck_of = get_in_scope(Inspection.objects, request.user, "view", uid=request.POST["recheck_of"])
        lng, lat = _float(request.POST.get("lng")), _float(request.POST.get("lat"))
        try:
            inspection = services.start_inspection(
                request.user, place=place, kind=request.POST.get("kind", ""), round_=round_, assignment=assignment,
                lng=lng if lat is not None else None, lat=lat if lng is not None else None, recheck_of=recheck_of)
        except (ValidationError, PermissionDenied) as exc:
            error = message_text(exc)
        else:
            return redirect("inspection-detail", uid=inspection.uid)
    rounds = (_rounds(request.user).filter(status="open") if held_roles(request.user) & services.ASSESSING_ROLES
              else AssessmentRound.objects.none())
    return render(request, "inspections/start.html", {
        "term": term, "places": places, "assignments": assignments, "kinds": InspectionKind.choices,
        "rounds": rounds, "error": error, "default_kind": _default_kind()})


@login_required
def nearby(request):
    """The places within NEARBY_METERS of the phone's position, nearest first (the start page asks once located)."""
    from civicgrid.territory.services import places_near

    lat, lng = _float(request.GET.get("lat")), _float(request.GET.get("lng"))
    found = []
    if lat is not None and lng is not None and -90 <= lat <= 90 and -180 <= lng <= 180:
        found = places_near(Place.objects.restrict(request.user).select_related("kind"), lat, lng, NEARBY_METERS)
    return render(request, "inspections/_nearby.html", {"nearby": found})


NEARBY_METERS = 300


def _default_kind() -> str:
    hour = timezone.localtime().hour
    return InspectionKind.MORNING if hour < 12 else InspectionKind.NIGHT if hour >= 18 else InspectionKind.SPECIAL


def _float(value):
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


@login_required
def detail(request, uid):
    """An inspection: the checklist form while in progress (for its inspector), the scored record afterwards."""
    inspection = get_in_scope(
        Inspection.objects.select_related("place", "point_type", "standard", "round", "recheck_of"),
        request.user, "view", uid=uid)
    items = list(services.checklist(inspection.standard, inspection.point_type))
    results = {r.item_id: r for r in inspection.results.select_related("case").prefetch_related("photos")}
    errors: list[str] = []
    editable = not inspection.submitted and services.may_fill(request.user, inspection)
    if request.method == "POST" and editable:
        entries = []
        for item in items:
            try:
                entries.append(_entry(request, item, results.get(item.pk)))
            except ValidationError as exc:
                errors += exc.messages
        try:
            if errors:
                raise ValidationError(errors)
            with transaction.atomic():
                services.record_results(request.user, inspection, entries)
                outcome = services.submit_inspection(request.user, inspection)
        except ValidationError as exc:
            errors = exc.messages
        except Conflict:
            return redirect("inspection-detail", uid=inspection.uid)  # a resubmission: the record is already there
        else:
            messages.success(request, _("已提交：得分 %(score)s / %(max)s，新立案件 %(opened)d 件，追加到原案件 %(added)d 件。") % {
                "score": outcome.inspection.score, "max": outcome.inspection.max_score,
                "opened": len(outcome.opened), "added": len(outcome.added)})
            return redirect("inspection-detail", uid=inspection.uid)
    rows = [{"item": item, "result": results.get(item.pk), **_values(request, item, results.get(item.pk))}
            for item in items]
    may_recheck = (inspection.submitted and inspection.failed_items > 0 and inspection.kind != InspectionKind.RECHECK
                   and bool(held_roles(request.user) & services.ASSESSING_ROLES))
    return render(request, "inspections/detail.html", {
        "inspection": inspection, "rows": rows, "editable": editable, "errors": errors,
        "outcomes": Outcome.choices, "may_recheck": may_recheck})


def _values(request, item, result) -> dict:
    """What the form shows for an item: what was just posted, else what was saved."""
    if request.method == "POST":
        return {"outcome": request.POST.get(f"outcome_{item.code}", ""),
                "findings": request.POST.get(f"findings_{item.code}", ""),
                "note": request.POST.get(f"note_{item.code}", "")}
    if result is None:
        return {"outcome": "", "findings": "", "note": ""}
    return {"outcome": result.outcome, "findings": result.findings or "", "note": result.note}


def _entry(request, item, existing) -> services.ResultEntry:
    outcome = request.POST.get(f"outcome_{item.code}", "")
    if outcome == "":
        raise ValidationError(_("%s：请选择结果。") % item.code)
    findings = request.POST.get(f"findings_{item.code}", "") or "0"
    if not findings.isdigit():
        raise ValidationError(_("%s：问题处数须为整数。") % item.code)
    uploads = request.FILES.getlist(f"photos_{item.code}")
    photos = collect_photos(request.user, uploads=uploads)
    if not photos and existing is not None and outcome == Outcome.FAIL:
        photos = list(existing.photos.all())  # photos kept from an earlier save
    return services.ResultEntry(item.code, outcome, int(findings) if outcome == Outcome.FAIL else 0,
                                request.POST.get(f"note_{item.code}", ""), photos)


def _period(request) -> tuple[dt.date, dt.date]:
    return period_from_query(request.GET)


def _region(request) -> Region:
    return Region.objects.filter(code=request.GET.get("region") or settings.DISTRICT_CODE).first() or \
        get_object_or_404(Region, code=settings.DISTRICT_CODE)


@login_required
def coverage(request):
    """Coverage for a period and region: tables, the map of uncovered grids, Excel."""
    start, end = _period(request)
    region = _region(request)
    report = coverage_service.coverage(request.user, region, start, end)
    if request.GET.get("format") == "xlsx":
        audit.record("export", request=request, target=f"coverage:{region.code}", start=str(start), end=str(end))
        return download(coverage_service.coverage_workbook(report), f"coverage-{region.code}-{start}-{end}.xlsx")
    streets = Region.objects.filter(level__in=[Level.DISTRICT, Level.STREET]).order_by("code")
    return render(request, "inspections/coverage.html", {
        "report": report, "start": start, "end": end, "region": region, "regions": streets,
        "uncovered": report.uncovered_geojson()})


@login_required
def results(request):
    """Roll-ups by level, the most frequently failed items, and two rounds compared."""
    start, end = _period(request)
    level = request.GET.get("level", "street")
    if level not in coverage_service.ROLLUP_LEVELS:
        level = "street"
    rounds = list(_rounds(request.user))
    comparison = []
    if request.GET.get("first") and request.GET.get("second"):
        visible = {r.pk: r for r in rounds}
        first, second = visible.get(int(request.GET["first"] or 0)), visible.get(int(request.GET["second"] or 0))
        if first and second:
            comparison = coverage_service.compare_rounds(request.user, first, second)
    return render(request, "inspections/results.html", {
        "start": start, "end": end, "level": level,
        "rows": coverage_service.rollup(request.user, level, start, end),
        "failures": coverage_service.frequent_failures(request.user, start, end), "rounds": rounds,
        "comparison": comparison, "levels": [("street", _("街道")), ("community", _("社区")), ("grid", _("网格")),
                                             ("point_type", _("点位类型"))]})


@login_required
def rounds(request):
    """Assessment rounds; the office commissions and publishes them here."""
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.create_round(request.user, **form.cleaned_data)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已安排暗访轮次“%s”。") % round_.name)
            return redirect("inspection-rounds")
    return render(request, "inspections/rounds.html", {
        "rounds": _rounds(request.user).annotate(inspection_count=Count("inspections")),
        "may_publish": is_office(request.user), "form": form})


@login_required
@require_POST
def publish(request, pk):
    round_ = get_object_or_404(_rounds(request.user), pk=pk)
    try:
        outcome = services.publish_round(request.user, round_)
    except (PermissionDenied, Conflict) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已发布“%(name)s”：%(n)d 条检查记录可见，%(c)d 件案件已派遣。") % {
            "name": round_.name, "n": outcome.inspections, "c": outcome.cases})
    return redirect("inspection-rounds")


@login_required
def standard_list(request):
    """Standards with their items; the office imports a checklist from Excel here."""
    form = StandardImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = standards.import_file(data["file"], code=data["code"], name=data["name"], actor=request.user)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ExcelError as exc:
            form.add_error("file", str(exc))
        else:
            if result.problems:
                problems = result.problems
            else:
                messages.success(request, _("已导入 %(n)d 个检查项到 %(standard)s%(new)s。") % {
                    "n": result.items, "standard": result.standard,
                    "new": _("（标准已使用，已生成新版本）") if result.new_version else ""})
                return redirect("inspection-standards")
    return render(request, "inspections/standards.html", {
        "standards": Standard.objects.prefetch_related("items__point_type").order_by("code", "-version"),
        "form": form, "problems": problems, "may_import": is_office(request.user)})


@login_required
def plans(request):
    """Plans in the user's scope; the office makes plans and produces their assignments here."""
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        codes = form.place_codes()
        places = list(Place.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {p.code for p in places})
        if unknown:
            form.add_error("places", _("未知点位：%s") % "、".join(unknown))
        else:
            data.pop("places")
            data["draw_per_type"] = data.get("draw_per_type") or 0
            try:
                plan = planning.create_plan(request.user, round_=data.pop("round"), places=places, **data)
            except PermissionDenied as exc:
                messages.error(request, str(exc))
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("已制定检查计划“%s”。") % plan.name)
                return redirect("inspection-plans")
    queryset = (Plan.objects.restrict(request.user).select_related("standard", "round")
                .annotate(assignment_count=Count("assignments")).order_by("-starts_on", "id"))
    return render(request, "inspections/plans.html", {
        "plans": queryset, "form": form, "may_plan": is_office(request.user), "generate": GenerateForm()})


@login_required
@require_POST
def generate(request, pk):
    plan = get_object_or_404(Plan.objects.restrict(request.user), pk=pk)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写开始和结束日期。"))
        return redirect("inspection-plans")
    try:
        created = planning.generate_assignments(plan, form.cleaned_data["start"], form.cleaned_data["end"],
                                                actor=request.user)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, message_text(exc))
    else:
        messages.success(request, _("“%(plan)s”生成检查任务 %(n)d 条。") % {"plan": plan.name, "n": created})
    return redirect("inspection-plans")


@login_required
def assignments(request):
    """Dated assignments in the user's scope: whose, where, when, done or missed."""
    day = request.GET.get("day") or timezone.localdate().isoformat()
    queryset = (Assignment.objects.restrict(request.user).filter(day=day)
                .select_related("place", "point_type", "assignee", "assignee_unit", "inspection", "plan")
                .order_by("window_start", "place__code"))
    if request.GET.get("mine"):
        queryset = queryset.filter(assignee=getattr(request.user, "person", None))
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "inspections/assignments.html", {"page": page, "day": day, "now": timezone.now()})


@login_required
def standard_export(request, pk):
    standard = get_object_or_404(Standard.objects.restrict(request.user), pk=pk)
    audit.record("export", request=request, target=f"standard:{standard.code}-v{standard.version}")
    return download(standards.export(standard), f"standard-{standard.code}-v{standard.version}.xlsx")
