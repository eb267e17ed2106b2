from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from civicgrid import audit
from civicgrid.cases import rulebook, services
from civicgrid.cases.api import serializers as s
from civicgrid.cases.filters import CaseFilter
from civicgrid.cases.models import Case, CaseClass
from civicgrid.cases.photos import photos_for_step, store_photo
from civicgrid.cases.workflow import ACTION_NAMES
from civicgrid.core.api import GatedViewSet
from civicgrid.core.excel import ExcelError
from civicgrid.core.idempotency import idempotent
from civicgrid.core.openapi import ERROR_DETAIL, VALIDATION_ERROR
from civicgrid.territory.crs import to_wgs84
from civicgrid.territory.models import Place

IDEMPOTENCY = OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
                               description="a retried request with the same key returns the first answer")
ACTION = OpenApiParameter("action", OpenApiTypes.STR, OpenApiParameter.PATH, enum=ACTION_NAMES)


class PhotoUploadView(APIView):
    """Upload a photo first (bad networks), then reference it by id in a later request."""

    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": s.PhotoUploadSerializer},
                   responses={201: s.PhotoSerializer,
                              429: OpenApiResponse(description="the account's photo quota for 24 hours is used")},
                   summary="Upload a photo")
    def post(self, request):
        form = s.PhotoUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        photo = store_photo(data["file"], request.user, captured_at=data.get("taken_at"),
                            captured_at_point=(data["lat"], data["lng"]) if "lat" in data else None)
        return Response(s.PhotoSerializer(photo, context={"request": request}).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Cases in your scope"),
    retrieve=extend_schema(summary="One case with its events and the actions you may take"),
)
class CaseViewSet(GatedViewSet, viewsets.ReadOnlyModelViewSet):
    queryset = Case.objects.select_related("case_class", "responsible_unit", "place").order_by("-reported_at")
    filterset_class = CaseFilter
    lookup_field = "number"
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    # A case is acted on by whoever sees it; the transition service checks the role and the scope again.
    action_scopes = {"act": "view"}

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.select_related("criterion").prefetch_related(
                "events__photos__photo", Prefetch("duplicates", queryset=Case.objects.order_by("id")))
        return queryset

    def get_serializer_class(self):
        return s.CaseDetailSerializer if self.action == "retrieve" else s.CaseSerializer

    @extend_schema(request={"application/json": s.CaseCreateSerializer, "multipart/form-data": s.CaseCreateSerializer},
                   responses={201: s.ReportResponseSerializer}, parameters=[IDEMPOTENCY], summary="Report a case")
    @idempotent
    def create(self, request):
        form = s.CaseCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        lng, lat = (float(v) for v in to_wgs84(data["lng"], data["lat"], data["crs"]))
        place = None
        if data.get("place"):
            place = Place.objects.filter(code=data["place"]).first()
            if place is None:
                raise ValidationError({"place": [f"unknown place {data['place']}"]})
        with photos_for_step(request.user, data["photo_ids"], data["photos"]) as photos:
            result = services.report_case(
                request.user, case_class=data["case_class"], criterion=data.get("criterion"),
                description=data["description"], lng=lng, lat=lat, address=data["address"], place=place,
                component_id=data["component_id"], source=data.get("source"), urgency=data["urgency"],
                reporter_name=data["reporter_name"], reporter_contact=data["reporter_contact"], photos=photos,
            )
        body = {
            "case": s.CaseDetailSerializer(result.case, context={"request": request}).data,
            "possible_duplicates": s.CaseSerializer(result.possible_duplicates, many=True).data,
        }
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"application/json": s.ActionSerializer, "multipart/form-data": s.ActionSerializer},
        responses={200: s.CaseDetailSerializer, 403: OpenApiResponse(description="your role may not take it"),
                   404: OpenApiResponse({"anyOf": [ERROR_DETAIL, VALIDATION_ERROR]},
                                        description="no such case in your scope, or no such action ({action: [...]})"),
                   409: OpenApiResponse(description="the case's state does not allow it (now)")},
        parameters=[ACTION, IDEMPOTENCY], summary="Take an action on a case",
    )
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_name>[a-z_]+)")
    @idempotent
    def act(self, request, number=None, action_name=None):
        if action_name not in ACTION_NAMES:
            return Response({"action": [f"unknown action {action_name!r}"]}, status=status.HTTP_404_NOT_FOUND)
        form = s.ActionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        with photos_for_step(request.user, data["photo_ids"], data["photos"]) as photos:
            case = services.perform_by_codes(
                request.user, number, action_name, note=data["note"], photos=photos, unit=data.get("unit", ""),
                target=data.get("target", ""), amount=data.get("amount"), criterion=data.get("criterion"),
                public_note=data["public_note"])
        case = self.get_queryset().get(pk=case.pk)
        return Response(s.CaseDetailSerializer(case, context={"request": request}).data)


class CaseClassViewSet(GatedViewSet, viewsets.ReadOnlyModelViewSet):
    """The classification with filing criteria and limits (reference data, visible to every signed-in user)."""

    queryset = CaseClass.objects.filter(active=True).select_related("default_department").prefetch_related("criteria")
    serializer_class = s.CaseClassSerializer
    lookup_field = "code"
    pagination_class = None


class RulebookExportView(APIView):
    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes},
                   summary="The rulebook as Excel")
    def get(self, request):
        audit.record("export", request=request, target="rulebook")
        response = HttpResponse(rulebook.export(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = 'attachment; filename="rulebook.xlsx"'
        return response


class RulebookImportView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": s.PhotoUploadSerializer},
                   responses={200: OpenApiResponse(description="classes and criteria imported"),
                              400: OpenApiResponse(description="each bad row: row, column, reason")},
                   summary="Import the rulebook from Excel (all or nothing)")
    def post(self, request):
        upload = request.data.get("file")
        if upload is None:
            return Response({"file": ["required"]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            result = rulebook.import_file(upload, actor=request.user)
        except ExcelError as exc:
            return Response({"file": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        if result.problems:
            return Response({"problems": [p.as_dict() for p in result.problems]}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"classes": result.classes, "criteria": result.criteria})
