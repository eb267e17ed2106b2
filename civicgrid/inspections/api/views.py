"""REST endpoints of inspections: standards, plans, assignments, inspections, assessment rounds, coverage."""

import django_filters
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from civicgrid import audit
from civicgrid.cases.api.serializers import CaseSerializer
from civicgrid.cases.api.views import IDEMPOTENCY
from civicgrid.cases.photos import collect_photos
from civicgrid.core.api import GatedViewSet
from civicgrid.core.excel import ExcelError
from civicgrid.core.filters import IdFilter
from civicgrid.core.http import CONTENT_TYPES, download
from civicgrid.core.idempotency import idempotent
from civicgrid.inspections import coverage as coverage_service
from civicgrid.inspections import planning, services, standards
from civicgrid.inspections.api import serializers as s
from civicgrid.inspections.models import AssessmentRound, Assignment, Inspection, Plan, PointType, Standard
from civicgrid.territory.crs import to_wgs84
from civicgrid.territory.models import Place, Region

XLSX = CONTENT_TYPES["xlsx"]




class PointTypeViewSet(GatedViewSet, viewsets.ReadOnlyModelViewSet):
    """Point types of the evaluation (reference data)."""

    queryset = PointType.objects.prefetch_related("place_kinds")
    serializer_class = s.PointTypeSerializer
    lookup_field = "slug"
    pagination_class = None


@extend_schema_view(list=extend_schema(summary="Evaluation standards (every version)"),
                    retrieve=extend_schema(summary="One standard with its checklist items"))
class StandardViewSet(GatedViewSet, viewsets.ReadOnlyModelViewSet):
    queryset = Standard.objects.order_by("code", "-version")
    parser_classes = [JSONParser, MultiPartParser]

    def get_serializer_class(self):
        return s.StandardDetailSerializer if self.action == "retrieve" else s.StandardSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            return queryset.prefetch_related("items__point_type", "items__case_class", "items__criterion")
        return queryset

    @extend_schema(request={"multipart/form-data": s.StandardImportSerializer},
                   responses={200: s.StandardSerializer,
                              400: OpenApiResponse(description="each bad row: row, column, reason")},
                   summary="Import a checklist (a standard in use gets a new version; all or nothing)")
    @action(detail=False, methods=["post"], url_path="import")
    def import_(self, request):
        form = s.StandardImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            result = standards.import_file(form.validated_data["file"], code=form.validated_data["code"],
                                           name=form.validated_data["name"], actor=request.user)
        except ExcelError as exc:
            return Response({"file": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        if result.problems:
            return Response({"problems": [p.as_dict() for p in result.problems]}, status=status.HTTP_400_BAD_REQUEST)
        body = {**s.StandardSerializer(result.standard).data, "new_version": result.new_version}
        return Response(body)

    @extend_schema(request=None, responses={201: s.StandardSerializer}, summary="Make a new version to edit")
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        successor = standards.new_version(self.get_object(), actor=request.user)
        return Response(s.StandardSerializer(successor).data, status=status.HTTP_201_CREATED)


class StandardExportView(APIView):
    @extend_schema(responses={(200, XLSX): bytes}, summary="A standard's items as Excel")
    def get(self, request, pk):
        standard = get_object_or_404(Standard.objects.restrict(request.user), pk=pk)
        audit.record("export", request=request, target=f"standard:{standard.code}-v{standard.version}")
        return download(standards.export(standard), f"standard-{standard.code}-v{standard.version}.xlsx")


@extend_schema_view(list=extend_schema(summary="Inspection plans"), retrieve=extend_schema(summary="One plan"))
class PlanViewSet(GatedViewSet, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.PlanSerializer
    queryset = Plan.objects.select_related("standard").prefetch_related(
        "inspectors", "teams", "places", "point_types").order_by("-starts_on", "id")

    @extend_schema(summary="Make a plan (the campaign office)")
    def create(self, request):
        form = s.PlanSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        data.pop("active", None)
        plan = planning.create_plan(request.user, round_=data.pop("round", None), **data)
        return Response(s.PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.GenerateSerializer, responses={200: OpenApiResponse(description="{created: n}")},
                   summary="Produce the plan's dated assignments for a range of days")
    @action(detail=True, methods=["post"])
    def generate(self, request, pk=None):
        plan = self.get_object()  # a plan out of reach answers 404 before its parameters are judged
        form = s.GenerateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        created = planning.generate_assignments(plan, form.validated_data["start"],
                                                form.validated_data["end"], actor=request.user)
        return Response({"created": created})


class AssignmentFilter(django_filters.FilterSet):
    day = django_filters.DateFilter()
    start = django_filters.DateFilter(field_name="day", lookup_expr="gte")
    end = django_filters.DateFilter(field_name="day", lookup_expr="lte")
    kind = django_filters.CharFilter()
    done = django_filters.BooleanFilter(field_name="inspection", lookup_expr="isnull", exclude=True)
    mine = django_filters.BooleanFilter(method="filter_mine")

    class Meta:
        model = Assignment
        fields = ["day", "kind", "plan"]

    def filter_mine(self, queryset, name, value):
        person = getattr(self.request.user, "person", None)
        return queryset.filter(assignee=person) if value and person else queryset


@extend_schema_view(list=extend_schema(summary="Dated assignments in your scope (mine=true: yours)"),
                    retrieve=extend_schema(summary="One assignment"))
class AssignmentViewSet(GatedViewSet, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.AssignmentSerializer
    filterset_class = AssignmentFilter
    queryset = (Assignment.objects.select_related("place", "point_type", "assignee", "assignee_unit", "inspection")
                .order_by("day", "window_start", "id"))


class InspectionFilter(django_filters.FilterSet):
    place = django_filters.CharFilter(field_name="place__code")
    round = IdFilter(field_name="round_id")
    kind = django_filters.CharFilter()
    status = django_filters.CharFilter()
    region = django_filters.CharFilter(method="filter_region")
    start = django_filters.DateFilter(field_name="started_at", lookup_expr="date__gte")
    end = django_filters.DateFilter(field_name="started_at", lookup_expr="date__lte")

    class Meta:
        model = Inspection
        fields = ["place", "round", "kind", "status"]

    def filter_region(self, queryset, name, value):
        from civicgrid.core.scoping import prefix_q

        return queryset.filter(prefix_q("region_code", value))


@extend_schema_view(list=extend_schema(summary="Inspections in your scope"),
                    retrieve=extend_schema(summary="One inspection with its items and results"))
class InspectionViewSet(GatedViewSet, viewsets.ReadOnlyModelViewSet):
    lookup_field = "uid"
    lookup_url_kwarg = "id"
    filterset_class = InspectionFilter
    parser_classes = [JSONParser]
    queryset = Inspection.objects.select_related("place", "point_type", "recheck_of").order_by("-started_at")
    # Starting, filling in and submitting are an inspector's work on what they see; the services check who.
    action_scopes = {"create": "view", "results": "view", "submit": "view"}

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            queryset = queryset.select_related("standard").prefetch_related(
                "results__item", "results__photos", "results__case")
        return queryset

    def get_serializer_class(self):
        return s.InspectionSerializer if self.action == "list" else s.InspectionDetailSerializer

    def _detail(self, inspection) -> dict:
        return s.InspectionDetailSerializer(self.get_queryset().get(pk=inspection.pk)).data

    @extend_schema(request=s.InspectionCreateSerializer,
                   responses={201: s.InspectionDetailSerializer,
                              404: OpenApiResponse(description="the assignment or the inspection to recheck is "
                                                               "not in your scope")},
                   parameters=[IDEMPOTENCY], summary="Start an inspection at a place (GPS recorded)")
    @idempotent
    def create(self, request):
        form = s.InspectionCreateSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        place = Place.objects.filter(code=data["place"]).first()
        # A place the user may not inspect is as unknown as one that does not exist: the answer reveals nothing.
        if place is None or not services.reachable(request.user, place):
            raise ValidationError({"place": [f"unknown place {data['place']}"]})
        lng = lat = None
        if data.get("lng") is not None and data.get("lat") is not None:
            lng, lat = (float(v) for v in to_wgs84(data["lng"], data["lat"], data["crs"]))
        elif data.get("lng") is not None or data.get("lat") is not None:
            raise ValidationError({"lat": ["give both lng and lat"]})
        round_ = data.get("round")  # only the office and assessors may inspect in a round (the service checks)
        assignment = None
        if data.get("assignment"):
            assignment = get_object_or_404(Assignment.objects.restrict(request.user), pk=data["assignment"])
        recheck_of = None
        if data.get("recheck_of"):
            recheck_of = get_object_or_404(Inspection.objects.restrict(request.user), uid=data["recheck_of"])
        inspection = services.start_inspection(
            request.user, place=place, kind=data["kind"], standard=data.get("standard"),
            point_type=data.get("point_type"), round_=round_, lng=lng, lat=lat, assignment=assignment,
            recheck_of=recheck_of)
        return Response(self._detail(inspection), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ResultEntrySerializer(many=True), responses={200: s.InspectionDetailSerializer},
                   parameters=[IDEMPOTENCY],
                   summary="Record item results: a list of {item, outcome, findings, note, photo_ids} "
                           "(also accepted as {\"results\": [...]}); photos uploaded first via /photos/")
    @action(detail=True, methods=["post"])
    @idempotent
    def results(self, request, id=None):
        inspection = self.get_object()
        body = {"results": request.data} if isinstance(request.data, list) else request.data
        form = s.ResultsRequestSerializer(data=body)
        form.is_valid(raise_exception=True)
        with transaction.atomic():
            entries = [services.ResultEntry(item=e["item"], outcome=e["outcome"], findings=e["findings"],
                                            note=e["note"], photos=collect_photos(request.user, e["photo_ids"]))
                       for e in form.validated_data["results"]]
            services.record_results(request.user, inspection, entries)
        return Response(self._detail(inspection))

    @extend_schema(request=None, responses={200: s.SubmitResponseSerializer,
                                            409: OpenApiResponse(description="already submitted")},
                   parameters=[IDEMPOTENCY], summary="Submit: the score and the cases opened")
    @action(detail=True, methods=["post"])
    @idempotent
    def submit(self, request, id=None):
        outcome = services.submit_inspection(request.user, self.get_object())
        body = {
            "inspection": self._detail(outcome.inspection),
            "cases_opened": CaseSerializer(outcome.opened, many=True).data,
            "cases_added_to": CaseSerializer(outcome.added, many=True).data,
            "cases_settled": {what: [c.number for c in cases] for what, cases in outcome.settled.items()},
            "items_without_class": outcome.without_class,
        }
        return Response(body)


@extend_schema_view(list=extend_schema(summary="Assessment rounds (the inspected see published ones only)"),
                    retrieve=extend_schema(summary="One assessment round"))
class AssessmentRoundViewSet(GatedViewSet, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.RoundSerializer
    queryset = (AssessmentRound.objects.select_related("firm")
                .annotate(inspection_count=Count("inspections")).order_by("-starts_on", "-id"))

    @extend_schema(summary="Commission an undercover round (the campaign office)")
    def create(self, request):
        form = s.RoundSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        round_ = services.create_round(request.user, **form.validated_data)
        return Response(s.RoundSerializer(round_).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.PublishResultSerializer,
                                            409: OpenApiResponse(description="already published")},
                   summary="Publish: findings become visible and their cases are dispatched now")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        outcome = services.publish_round(request.user, self.get_object())
        return Response({"round": s.RoundSerializer(outcome.round).data, "inspections": outcome.inspections,
                         "cases": outcome.cases})

    @extend_schema(parameters=[s.CompareSerializer],
                   responses={200: OpenApiResponse(description="per point type: points, with problems, rate")},
                   summary="Compare this round with another")
    @action(detail=True, methods=["get"])
    def compare(self, request, pk=None):
        round_ = self.get_object()  # a round out of reach answers 404 before its parameters are judged
        form = s.CompareSerializer(data=request.query_params)
        form.is_valid(raise_exception=True)
        other = get_object_or_404(self.get_queryset(), pk=form.validated_data["other"])
        return Response(coverage_service.compare_rounds(request.user, round_, other))


def _region(request, code: str | None) -> Region:
    """The region asked for (default: the district); the figures themselves are scoped to the viewer."""
    return get_object_or_404(Region, code=code or settings.DISTRICT_CODE)


def _coverage_report(request) -> coverage_service.Coverage:
    form = s.CoverageQuerySerializer(data=request.query_params)
    form.is_valid(raise_exception=True)
    data = form.validated_data
    return coverage_service.coverage(request.user, _region(request, data.get("region")), data["start"], data["end"])


class CoverageView(APIView):
    @extend_schema(parameters=[s.CoverageQuerySerializer],
                   responses={200: OpenApiResponse(description="places per point type, uncovered grids, "
                                                               "morning/night windows, missed checks, chiefs")},
                   summary="Coverage (三个全覆盖) for a period and region")
    def get(self, request):
        return Response(_coverage_report(request).as_dict())


class CoverageExportView(APIView):
    @extend_schema(parameters=[s.CoverageQuerySerializer], responses={(200, XLSX): bytes},
                   summary="Coverage as Excel")
    def get(self, request):
        report = _coverage_report(request)
        audit.record("export", request=request, target=f"coverage:{report.region.code}", start=str(report.start),
                     end=str(report.end))
        return download(coverage_service.coverage_workbook(report),
                             f"coverage-{report.region.code}-{report.start}-{report.end}.xlsx")


class RollupView(APIView):
    @extend_schema(parameters=[s.RollupQuerySerializer],
                   responses={200: OpenApiResponse(description="per grid/community/street/point type")},
                   summary="Inspection results rolled up, and the most frequently failed items")
    def get(self, request):
        form = s.RollupQuerySerializer(data=request.query_params)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        region = data.get("region", "")
        rows = coverage_service.rollup(request.user, data["level"], data["start"], data["end"], region,
                                       data.get("round"))
        failures = coverage_service.frequent_failures(request.user, data["start"], data["end"], region)
        return Response({"rows": rows, "frequent_failures": failures})
