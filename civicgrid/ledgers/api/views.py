"""Ledger endpoints: template, import (all or nothing, or good rows only), export, records as JSON."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from civicgrid.core.excel import ExcelError
from civicgrid.core.http import CONTENT_TYPES, download
from civicgrid.core.pagination import Pagination
from civicgrid.core.validators import supported_date
from civicgrid.ledgers import services
from civicgrid.ledgers.specs import LEDGERS

XLSX = CONTENT_TYPES["xlsx"]
LEDGER = OpenApiParameter("ledger", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(LEDGERS))




class LedgerColumnSerializer(serializers.Serializer):
    header = serializers.CharField(help_text="the template's column header")
    key = serializers.CharField()
    required = serializers.BooleanField()


class LedgerSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    dated = serializers.BooleanField(help_text="whether start/end filter its records")
    records = serializers.IntegerField(help_text="records in your scope")
    columns = LedgerColumnSerializer(many=True)
    breakdown = serializers.DictField(child=serializers.IntegerField(), required=False,
                                      help_text="records per category, where the ledger has categories (八小 trades)")
    links = serializers.DictField(child=serializers.CharField(), help_text="records, template, export, import")


class LedgerListView(APIView):
    @extend_schema(responses={200: LedgerSerializer(many=True)}, summary="The ledgers, with their records in your scope")
    def get(self, request):
        return Response([services.describe(slug, request.user) for slug in LEDGERS])


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    good_rows_only = serializers.BooleanField(default=False, help_text="import the good rows even if others are bad")


class PeriodSerializer(serializers.Serializer):
    region = serializers.CharField(required=False, default="", help_text="region code: its whole subtree")
    start = serializers.DateField(required=False, allow_null=True, default=None, validators=[supported_date])
    end = serializers.DateField(required=False, allow_null=True, default=None, validators=[supported_date])
    kind = serializers.CharField(required=False, default="", help_text="ledgers with kinds: that kind only")
    work_kind = serializers.CharField(required=False, default="", help_text="operations with this quantity")


class TemplateView(APIView):
    @extend_schema(parameters=[LEDGER], responses={(200, XLSX): bytes}, summary="A ledger's empty Excel template")
    def get(self, request, ledger):
        return download(services.template(ledger), f"{ledger}-template.xlsx")


class ImportView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(parameters=[LEDGER], request={"multipart/form-data": ImportSerializer},
                   responses={200: OpenApiResponse(description="the import report: created, updated, problems"),
                              400: OpenApiResponse(description="bad rows (row, column, reason); nothing imported")},
                   summary="Import a ledger from Excel")
    def post(self, request, ledger):
        form = ImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            report = services.import_ledger(ledger, form.validated_data["file"], request.user,
                                            good_rows_only=form.validated_data["good_rows_only"])
        except ExcelError as exc:
            return Response({"file": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        except PermissionDenied as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
        code = status.HTTP_400_BAD_REQUEST if report.problems and not report.written else status.HTTP_200_OK
        return Response(report.as_dict(), status=code)


class ExportView(APIView):
    @extend_schema(parameters=[LEDGER, PeriodSerializer], responses={(200, XLSX): bytes},
                   summary="A ledger as Excel, filtered by region and period (the template's columns)")
    def get(self, request, ledger):
        form = PeriodSerializer(data=request.query_params)
        form.is_valid(raise_exception=True)
        return download(services.export(ledger, request.user, **form.validated_data), f"{ledger}.xlsx")


class RecordsView(APIView):
    @extend_schema(parameters=[LEDGER, PeriodSerializer],
                   responses={200: OpenApiResponse(description="paginated rows, keyed by the template's headers")},
                   summary="A ledger's records in your scope")
    def get(self, request, ledger):
        form = PeriodSerializer(data=request.query_params)
        form.is_valid(raise_exception=True)
        spec = services.spec_for(ledger)
        queryset = services.records(ledger, request.user, **form.validated_data).order_by("pk")
        paginator = Pagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        headers = [c.header for c in spec.columns]
        rows = [row for obj in page for row in spec.export_rows(obj)]
        return paginator.get_paginated_response([dict(zip(headers, map(_json, row), strict=True)) for row in rows])


def _json(value):
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value.isoformat() if hasattr(value, "isoformat") else value
