from rest_framework import serializers

from civicgrid.organizations.models import Contract, Unit
from civicgrid.territory.api.serializers import PersonRefSerializer, UnitRefSerializer


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    kind_name = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "kind_name", "parent", "region", "responsibilities"]


class ContractSerializer(serializers.ModelSerializer):
    # A contract binds a person or a unit to a region or a place: one of each pair is always null.
    person = PersonRefSerializer(read_only=True, allow_null=True)
    unit = UnitRefSerializer(read_only=True, allow_null=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    region_name = serializers.CharField(source="region.name", read_only=True, default=None, allow_null=True)
    place = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    place_name = serializers.CharField(source="place.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Contract
        fields = [
            "uid", "person", "unit", "region", "region_name", "place", "place_name", "region_code",
            "starts_on", "ends_on", "letter_signed_on", "note",
        ]
