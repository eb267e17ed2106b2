from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from civicgrid.territory.choices import AreaClass, Level
from civicgrid.territory.crs import CRS
from civicgrid.territory.models import Place, Region


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "area_class"]


class RegionDetailSerializer(RegionSerializer):
    boundary = serializers.JSONField(help_text="GeoJSON geometry, WGS-84")

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "boundary"]


class RegionImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="a GeoJSON FeatureCollection; properties code, name, [level, parent, area_class]")


class RegionImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    places_relocated = serializers.IntegerField()


class RegionImportProblemSerializer(serializers.Serializer):
    feature = serializers.IntegerField(allow_null=True, help_text="1-based position in the file")
    code = serializers.CharField()
    rule = serializers.CharField()
    message = serializers.CharField()


class RegionImportProblemsSerializer(serializers.Serializer):
    # Not required: an unreadable upload answers {"file": [...]} under the same status.
    problems = RegionImportProblemSerializer(many=True, required=False)


class RegionFeaturePropertiesSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=Level.choices)
    parent = serializers.CharField(allow_null=True, help_text="null for the district")
    area_class = serializers.ChoiceField(choices=AreaClass.choices)


class RegionFeatureSerializer(serializers.Serializer):
    """A region as a GeoJSON Feature, with the properties `import` reads: an export can be imported again."""

    type = serializers.ChoiceField(choices=["Feature"])
    id = serializers.CharField(help_text="the region's code")
    properties = RegionFeaturePropertiesSerializer()
    geometry = serializers.JSONField(help_text="GeoJSON geometry (Polygon or MultiPolygon), WGS-84")


@extend_schema_serializer(many=False)  # one collection of the whole filtered set, never paginated
class RegionFeatureCollectionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = RegionFeatureSerializer(many=True)


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class LocateQuerySerializer(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lng = serializers.FloatField(min_value=-180, max_value=180)
    crs = serializers.ChoiceField(choices=[c.value for c in CRS], default=CRS.WGS84.value,
                                  help_text="coordinate system of lat/lng: wgs84 (GPS), gcj02 (AMap/Tencent), bd09 (Baidu)")


class LocationSerializer(serializers.Serializer):
    lat = serializers.FloatField(help_text="WGS-84")
    lng = serializers.FloatField(help_text="WGS-84")
    grid = RegionRefSerializer()
    community = RegionRefSerializer()
    street = RegionRefSerializer()
    district = RegionRefSerializer()


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place.responsible_unit.field.related_model  # organizations.Unit, reached without importing upwards
        fields = ["code", "name", "kind"]


class PersonRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place.chief.field.related_model  # organizations.Person
        fields = ["uid", "name", "title", "phone"]


class PlaceSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    chief_title = serializers.CharField(source="kind.chief_title", read_only=True)
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    category_name = serializers.CharField(source="category.name", read_only=True, default=None, allow_null=True)
    grid = serializers.CharField(source="region_code", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    responsible_unit = UnitRefSerializer(read_only=True, allow_null=True)
    chief = PersonRefSerializer(read_only=True, allow_null=True)
    # Declared so the schema does not depend on the database backend's integer ranges.
    build_year = serializers.IntegerField(read_only=True, allow_null=True, min_value=1900, max_value=2100)

    class Meta:
        model = Place
        fields = [
            "code", "name", "kind", "kind_name", "category", "category_name", "chief_title", "address", "lng", "lat", "grid", "parent",
            "responsible_unit", "chief", "is_old_compound", "build_year",
        ]


class PlaceDetailSerializer(PlaceSerializer):
    geometry = serializers.JSONField(help_text="GeoJSON geometry, WGS-84")
    grids = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta(PlaceSerializer.Meta):
        fields = [*PlaceSerializer.Meta.fields, "geometry", "grids"]
