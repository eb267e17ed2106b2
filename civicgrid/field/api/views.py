"""The field app's one read: everything a device keeps for offline work (see field.selectors.bundle)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from civicgrid.field import selectors


class BundleView(APIView):
    @extend_schema(responses={200: OpenApiResponse(description=(
        "classes, assignments (today and the next 7 days, yours), checklists by 'standard/point type', places, "
        "open cases you act on in the field or reported (queue, thumbnails), grid outlines"))},
        summary="The field app's offline bundle")
    def get(self, request):
        return Response(selectors.bundle(request.user))
