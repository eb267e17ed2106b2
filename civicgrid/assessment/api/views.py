"""GET /api/v1/indicators/ — per unit, the period's indicators with numerators, denominators and the cases behind."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from civicgrid.assessment import services
from civicgrid.assessment.indicators import LEVELS
from civicgrid.core.validators import supported_date


class IndicatorQuerySerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=LEVELS)
    start = serializers.DateField(help_text="YYYY-MM-DD, first local day", validators=[supported_date])
    end = serializers.DateField(help_text="YYYY-MM-DD, last local day", validators=[supported_date])
    scheme = serializers.SlugField(required=False, help_text="scoring scheme (default: the office's choice for "
                                                             "the period, else the first preset)")


class IndicatorsView(APIView):
    @extend_schema(
        parameters=[IndicatorQuerySerializer],
        responses={200: OpenApiResponse(description=(
            "units: [{unit: {code, name}, indicators: {closure_rate: {value, numerator, denominator, cases}, …}, "
            "average_handling_hours, undercover_findings, cases, score, grade, rank}] — value is a fraction 0–1, "
            "null without a denominator; rank null below the scheme's minimum number of cases"))},
        summary="Evaluation indicators per unit for a period, scored and ranked")
    def get(self, request):
        form = IndicatorQuerySerializer(data=request.query_params)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        return Response(services.compute(request.user, data["level"], data["start"], data["end"],
                                         data.get("scheme")))
