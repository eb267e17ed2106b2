from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from civicgrid.cases.api.serializers import CaseSerializer, PhotoSerializer
from civicgrid.core.api import RegionPeriodSerializer
from civicgrid.core.filters import MAX_ID
from civicgrid.core.validators import supported_date
from civicgrid.inspections.choices import InspectionKind, Outcome, Recurrence, Selection
from civicgrid.inspections.models import (
    AssessmentRound,
    Assignment,
    Inspection,
    InspectionResult,
    Plan,
    PointType,
    Standard,
    StandardItem,
)
from civicgrid.organizations.models import Person, Unit
from civicgrid.territory.crs import CRS
from civicgrid.territory.models import Place


class PointTypeSerializer(serializers.ModelSerializer):
    place_kinds = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = PointType
        fields = ["slug", "name", "place_kinds", "sort_order"]


class StandardItemSerializer(serializers.ModelSerializer):
    point_type = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    case_class = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    criterion = serializers.CharField(source="criterion.text", read_only=True, default=None, allow_null=True)
    cap = serializers.DecimalField(source="effective_cap", max_digits=6, decimal_places=2, read_only=True)

    class Meta:
        model = StandardItem
        fields = ["id", "point_type", "code", "text", "method", "points", "deduction", "cap", "critical",
                  "case_class", "criterion"]


class StandardSerializer(serializers.ModelSerializer):
    items = serializers.IntegerField(source="items.count", read_only=True)

    class Meta:
        model = Standard
        fields = ["id", "code", "version", "name", "status", "issued_on", "note", "previous", "items"]


class StandardDetailSerializer(StandardSerializer):
    items = StandardItemSerializer(many=True, read_only=True)


class StandardImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=200)


class RoundSerializer(serializers.ModelSerializer):
    firm = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.filter(kind="assessment_firm"))
    standard = serializers.PrimaryKeyRelatedField(queryset=Standard.objects.all())
    # Counted by the list and detail queries only; a round just created or published answers null.
    inspection_count = serializers.IntegerField(read_only=True, default=None, allow_null=True)

    class Meta:
        model = AssessmentRound
        fields = ["id", "name", "firm", "standard", "starts_on", "ends_on", "status", "published_at", "note",
                  "inspection_count"]
        read_only_fields = ["status", "published_at"]


class PublishResultSerializer(serializers.Serializer):
    round = RoundSerializer()
    inspections = serializers.IntegerField()
    cases = serializers.IntegerField(help_text="cases published and dispatched")


@extend_schema_field(OpenApiTypes.INT)
class VisibleRoundField(serializers.PrimaryKeyRelatedField):
    """A round the requesting user may see: an unpublished round's id answers like an id that does not exist,
    so its existence does not leak to the inspected."""

    def get_queryset(self):
        request = self.context.get("request")
        return AssessmentRound.objects.restrict(request.user if request else None)


class PlanSerializer(serializers.ModelSerializer):
    standard = serializers.PrimaryKeyRelatedField(queryset=Standard.objects.all())
    round = VisibleRoundField(required=False, allow_null=True)
    inspectors = serializers.SlugRelatedField(slug_field="uid", many=True, required=False,
                                              queryset=Person.objects.all())
    teams = serializers.SlugRelatedField(slug_field="code", many=True, required=False,
                                         queryset=Unit.objects.all())
    places = serializers.SlugRelatedField(slug_field="code", many=True, required=False,
                                          queryset=Place.objects.all())
    point_types = serializers.SlugRelatedField(slug_field="slug", many=True, required=False,
                                               queryset=PointType.objects.all())
    kind = serializers.ChoiceField(choices=InspectionKind.choices)
    selection = serializers.ChoiceField(choices=Selection.choices, default=Selection.TYPE_IN_REGION)
    recurrence = serializers.ChoiceField(choices=Recurrence.choices, default=Recurrence.DAILY)
    window_start = serializers.TimeField(required=False, allow_null=True, default=None)
    window_end = serializers.TimeField(required=False, allow_null=True, default=None)

    class Meta:
        model = Plan
        fields = ["id", "name", "kind", "standard", "round", "inspectors", "teams", "contracted", "chiefs",
                  "selection", "places", "point_types", "region_code", "draw_per_type", "draw_seed", "recurrence",
                  "weekday", "starts_on", "ends_on", "window_start", "window_end", "active"]
        read_only_fields = ["active"]


class CompareSerializer(serializers.Serializer):
    other = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="the other round's id")


class GenerateSerializer(serializers.Serializer):
    start = serializers.DateField(validators=[supported_date])
    end = serializers.DateField(validators=[supported_date])


class AssignmentSerializer(serializers.ModelSerializer):
    place = serializers.SlugRelatedField(slug_field="code", read_only=True)
    place_name = serializers.CharField(source="place.name", read_only=True)
    point_type = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    assignee = serializers.CharField(source="assignee.name", read_only=True, default=None, allow_null=True)
    assignee_unit = serializers.CharField(source="assignee_unit.name", read_only=True, default=None,
                                          allow_null=True)
    inspection = serializers.UUIDField(source="inspection.uid", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Assignment
        fields = ["id", "plan", "day", "kind", "place", "place_name", "point_type", "assignee", "assignee_unit",
                  "window_start", "window_end", "inspection"]


class ResultSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code")
    photos = PhotoSerializer(many=True, read_only=True)
    case = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = InspectionResult
        fields = ["item", "outcome", "findings", "note", "photos", "score", "case", "case_opened"]


class InspectionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uid", read_only=True)
    place = serializers.SlugRelatedField(slug_field="code", read_only=True)
    place_name = serializers.CharField(source="place.name", read_only=True)
    point_type = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    kind_name = serializers.CharField(source="get_kind_display", read_only=True)
    round = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    recheck_of = serializers.UUIDField(source="recheck_of.uid", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Inspection
        fields = ["id", "place", "place_name", "point_type", "standard", "kind", "kind_name", "round", "recheck_of",
                  "inspector_name", "status", "started_at", "submitted_at", "lng", "lat", "distance_m",
                  "far_from_place", "score", "max_score", "score_rate", "failed_items", "critical_failed",
                  "region_code"]


class InspectionDetailSerializer(InspectionSerializer):
    items = serializers.SerializerMethodField()
    results = ResultSerializer(many=True, read_only=True)

    class Meta(InspectionSerializer.Meta):
        fields = [*InspectionSerializer.Meta.fields, "items", "results"]

    def get_items(self, inspection) -> list[dict]:
        from civicgrid.inspections.services import checklist

        return StandardItemSerializer(checklist(inspection.standard, inspection.point_type), many=True).data


class InspectionCreateSerializer(serializers.Serializer):
    place = serializers.CharField(help_text="the place's code")
    standard = serializers.PrimaryKeyRelatedField(queryset=Standard.objects.all(), required=False, allow_null=True,
                                                  help_text="default: the plan's, the round's or the newest active")
    point_type = serializers.SlugRelatedField(slug_field="slug", queryset=PointType.objects.all(), required=False,
                                              allow_null=True)
    kind = serializers.ChoiceField(choices=InspectionKind.choices)
    round = VisibleRoundField(required=False, allow_null=True)
    assignment = serializers.IntegerField(required=False, allow_null=True)
    recheck_of = serializers.UUIDField(required=False, allow_null=True)
    lng = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    crs = serializers.ChoiceField(choices=[c.value for c in CRS], default=CRS.WGS84.value)


class ResultEntrySerializer(serializers.Serializer):
    item = serializers.CharField(help_text="the item's code")
    outcome = serializers.ChoiceField(choices=Outcome.values)
    findings = serializers.IntegerField(min_value=0, max_value=999, default=0)
    note = serializers.CharField(allow_blank=True, default="", max_length=1000)
    photo_ids = serializers.ListField(child=serializers.UUIDField(), default=list, max_length=9)


class ResultsRequestSerializer(serializers.Serializer):
    results = ResultEntrySerializer(many=True, allow_empty=False)


class SubmitResponseSerializer(serializers.Serializer):
    inspection = InspectionDetailSerializer()
    cases_opened = CaseSerializer(many=True)
    cases_added_to = CaseSerializer(many=True)
    cases_settled = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    items_without_class = serializers.ListField(child=serializers.CharField())


class CoverageQuerySerializer(RegionPeriodSerializer):
    max_days = 367


class RollupQuerySerializer(CoverageQuerySerializer):
    level = serializers.ChoiceField(choices=["grid", "community", "street", "point_type"])
    round = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
