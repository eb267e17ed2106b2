import json

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from civicgrid.core.api import GatedReadOnlyViewSet
from civicgrid.core.renderers import GeoJSONRenderer
from civicgrid.territory import locator
from civicgrid.territory.api import serializers as s
from civicgrid.territory.filters import PlaceFilter, RegionFilter
from civicgrid.territory.models import Place, Region
from civicgrid.territory.services import RegionImportError, export_regions, import_regions

GEOJSON_FORMAT = OpenApiParameter(
    "format", OpenApiTypes.STR, enum=["json", "geojson"],
    description="geojson: the whole filtered set as one FeatureCollection (not paginated)",
)


@extend_schema_view(
    list=extend_schema(parameters=[GEOJSON_FORMAT], summary="Regions in your scope",
                       responses={(200, "application/json"): s.RegionSerializer(many=True),
                                  (200, "application/geo+json"): s.RegionFeatureCollectionSerializer}),
    retrieve=extend_schema(parameters=[GEOJSON_FORMAT], summary="One region with its boundary",
                           responses={(200, "application/json"): s.RegionDetailSerializer,
                                      (200, "application/geo+json"): s.RegionFeatureSerializer}),
)
class RegionViewSet(GatedReadOnlyViewSet):
    """District → street → community → grid."""

    queryset = Region.objects.select_related("parent")
    filterset_class = RegionFilter
    lookup_field = "code"
    renderer_classes = [JSONRenderer, GeoJSONRenderer]

    def get_serializer_class(self):
        return s.RegionDetailSerializer if self.action == "retrieve" else s.RegionSerializer

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == "geojson":
            return Response(export_regions(self.filter_queryset(self.get_queryset())))
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        if request.accepted_renderer.format == "geojson":
            region = self.get_object()
            return Response(export_regions(Region.objects.filter(pk=region.pk))["features"][0])
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": s.RegionImportSerializer},
        responses={200: s.RegionImportResultSerializer,
                   400: OpenApiResponse(s.RegionImportProblemsSerializer,
                                        description="every broken rule of the file (problems), or field → messages "
                                                    "when the upload itself is unreadable; nothing was imported")},
        summary="Import boundaries (all or nothing)",
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser],
            renderer_classes=[JSONRenderer])
    def import_file(self, request):
        form = s.RegionImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            collection = json.load(form.validated_data["file"])
        except (ValueError, UnicodeDecodeError) as exc:
            return Response({"file": [f"not valid JSON: {exc}"]}, status=status.HTTP_400_BAD_REQUEST)
        except RecursionError:
            return Response({"file": ["not valid JSON: nested too deeply"]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            result = import_regions(collection, actor=request.user)
        except RegionImportError as exc:
            problems = s.RegionImportProblemSerializer(exc.problems, many=True).data
            return Response({"problems": problems}, status=status.HTTP_400_BAD_REQUEST)
        return Response(s.RegionImportResultSerializer(result).data)


class LocateView(APIView):
    """A point → its grid, community, street and district."""

    @extend_schema(
        parameters=[s.LocateQuerySerializer],
        responses={200: s.LocationSerializer, 404: OpenApiResponse(description="the point lies outside the district")},
        summary="Locate a point",
    )
    def get(self, request):
        query = s.LocateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        where = locator.locate(query.validated_data["lng"], query.validated_data["lat"], query.validated_data["crs"])
        if not where.inside:
            raise Http404(
                f"({where.lng:.6f}, {where.lat:.6f}) WGS-84 lies outside every grid of the district."
            )
        return Response(s.LocationSerializer(where).data)


@extend_schema_view(list=extend_schema(summary="Places in your scope"), retrieve=extend_schema(summary="One place"))
class PlaceViewSet(GatedReadOnlyViewSet):
    """Responsibility objects with their chief and responsible unit."""

    queryset = Place.objects.select_related("kind", "category", "responsible_unit", "chief", "parent").order_by("code")
    filterset_class = PlaceFilter
    lookup_field = "code"

    def get_serializer_class(self):
        return s.PlaceDetailSerializer if self.action == "retrieve" else s.PlaceSerializer
