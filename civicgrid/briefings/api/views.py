"""Briefing endpoints: the figures as JSON, drafts, publication, HTML and .docx."""

import datetime as dt

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from civicgrid.briefings import services
from civicgrid.briefings.models import Briefing
from civicgrid.core.api import GatedViewSet, RegionPeriodSerializer
from civicgrid.core.http import CONTENT_TYPES, download
from civicgrid.core.validators import xml_safe_text
from civicgrid.territory.models import Region

DOCX = CONTENT_TYPES["docx"]


class FiguresQuerySerializer(RegionPeriodSerializer):
    pass


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="stable key, e.g. publicity_boards")
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    unit = serializers.CharField()
    text = serializers.CharField(help_text="as it reads in the briefing, e.g. 52.58万平方米")
    number = serializers.CharField()
    link = serializers.CharField(help_text="the records behind the figure")
    sentence = serializers.CharField(help_text="the sentence of the briefing it appears in")


class FiguresView(APIView):
    @extend_schema(parameters=[FiguresQuerySerializer], responses={200: FigureSerializer(many=True)},
                   summary="Every briefing figure for a region and period, computed now, in your scope")
    def get(self, request):
        form = FiguresQuerySerializer(data=request.query_params)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        region = services.region_within_reach(request.user, data.get("region") or settings.DISTRICT_CODE)
        return Response(services.figures_with_sentences(request.user, region.code, data["start"], data["end"]))


class BriefingSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    template = serializers.CharField(required=False, allow_blank=True, help_text="default: the district report",
                                     validators=[xml_safe_text])

    class Meta:
        model = Briefing
        fields = ["id", "title", "region", "start", "end", "template", "status", "published_at", "public_at",
                  "previous"]
        read_only_fields = ["status", "published_at", "public_at", "previous"]


@extend_schema_view(list=extend_schema(summary="Briefings (drafts are the office's)"),
                    retrieve=extend_schema(summary="One briefing"))
class BriefingViewSet(GatedViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = BriefingSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Briefing.objects.select_related("region").order_by("-end", "-id")

    @extend_schema(summary="Draft a briefing (the campaign office)")
    def create(self, request):
        form = BriefingSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        briefing = services.create_briefing(request.user, **form.validated_data)
        return Response(BriefingSerializer(briefing).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Edit a draft (409 once published)")
    def partial_update(self, request, pk=None):
        form = BriefingSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        briefing = services.update_briefing(request.user, self.get_object(), **form.validated_data)
        return Response(BriefingSerializer(briefing).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: BriefingSerializer, 409: OpenApiResponse(description="published")},
                   summary="Publish: the text and figures are frozen")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return Response(BriefingSerializer(services.publish(request.user, self.get_object())).data)

    @extend_schema(request=None, responses={200: BriefingSerializer,
                                            409: OpenApiResponse(description="not published, or already public")},
                   summary="Make a published briefing readable by citizens and place chiefs (the office)")
    @action(detail=True, methods=["post"], url_path="make-public")
    def make_public(self, request, pk=None):
        return Response(BriefingSerializer(services.make_public(request.user, self.get_object())).data)

    @extend_schema(request=None, responses={201: BriefingSerializer}, summary="A new draft correcting a briefing")
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        draft = services.correct(request.user, self.get_object())
        return Response(BriefingSerializer(draft).data, status=status.HTTP_201_CREATED)


class BriefingDocxView(APIView):
    @extend_schema(responses={(200, DOCX): bytes}, summary="The briefing as Word (.docx)")
    def get(self, request, pk):
        briefing = get_object_or_404(Briefing.objects.restrict(request.user), pk=pk)
        return download(services.docx(briefing, request.user), f"briefing-{briefing.pk}-{dt.date.today()}.docx")


class BriefingHtmlView(APIView):
    @extend_schema(responses={(200, "text/html"): str}, summary="The briefing as HTML (figures link to records)")
    def get(self, request, pk):
        briefing = get_object_or_404(Briefing.objects.restrict(request.user), pk=pk)
        return HttpResponse(services.html_for(briefing, request.user), content_type="text/html; charset=utf-8")
