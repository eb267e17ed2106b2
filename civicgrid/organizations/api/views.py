from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from civicgrid.core.api import ScopedReadOnlyViewSet
from civicgrid.core.throttle import login_allowed, reset_login_attempts
from civicgrid.organizations.api.serializers import ContractSerializer, UnitSerializer
from civicgrid.organizations.filters import ContractFilter, UnitFilter
from civicgrid.organizations.models import Contract, Unit


@extend_schema_view(list=extend_schema(summary="Units in your scope"), retrieve=extend_schema(summary="One unit"))
class UnitViewSet(ScopedReadOnlyViewSet):
    queryset = Unit.objects.select_related("parent", "region").order_by("code")
    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    lookup_field = "code"


@extend_schema_view(
    list=extend_schema(summary="Contracting (包保) in your scope"), retrieve=extend_schema(summary="One contract")
)
class ContractViewSet(ScopedReadOnlyViewSet):
    queryset = Contract.objects.select_related("person", "unit", "region", "place").order_by("region_code", "starts_on")
    serializer_class = ContractSerializer
    filterset_class = ContractFilter
    lookup_field = "uid"


class TokenView(ObtainAuthToken):
    """POST username and password, receive a token for `Authorization: Token …`.

    Throttled by the same counter as the login page (per address and username).
    """

    def post(self, request, *args, **kwargs):
        username = str(request.data.get("username", ""))
        if not login_allowed(request, username):
            return Response({"detail": "Too many login attempts; try again later."},
                            status=status.HTTP_429_TOO_MANY_REQUESTS)
        response = super().post(request, *args, **kwargs)
        if response.status_code == status.HTTP_200_OK:
            reset_login_attempts(request, username)
        return response
