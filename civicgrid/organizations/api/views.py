from drf_spectacular.utils import extend_schema, extend_schema_view

from civicgrid.core.api import GatedReadOnlyViewSet
from civicgrid.organizations.api.serializers import ContractSerializer, UnitSerializer
from civicgrid.organizations.filters import ContractFilter, UnitFilter
from civicgrid.organizations.models import Contract, Unit


@extend_schema_view(list=extend_schema(summary="Units in your scope"), retrieve=extend_schema(summary="One unit"))
class UnitViewSet(GatedReadOnlyViewSet):
    queryset = Unit.objects.select_related("parent", "region").order_by("code")
    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    lookup_field = "code"


@extend_schema_view(
    list=extend_schema(summary="Contracting (包保) in your scope"), retrieve=extend_schema(summary="One contract")
)
class ContractViewSet(GatedReadOnlyViewSet):
    queryset = Contract.objects.select_related("person", "unit", "region", "place").order_by("region_code", "starts_on")
    serializer_class = ContractSerializer
    filterset_class = ContractFilter
    lookup_field = "uid"
