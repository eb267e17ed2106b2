from rest_framework import serializers

from civicgrid.cases.choices import Source, Urgency
from civicgrid.cases.models import Case, CaseClass, CaseEvent, FilingCriterion, Photo
from civicgrid.cases.photos import Variant, photo_url
from civicgrid.territory.crs import CRS


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = FilingCriterion
        fields = ["id", "text", "limit_a", "limit_b", "limit_c", "unit", "closing_criterion"]


class CaseClassSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)
    default_department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = CaseClass
        fields = ["code", "type", "major_code", "major_name", "minor_code", "minor_name", "default_department",
                  "active", "criteria"]


class PhotoSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uid", read_only=True)
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = ["id", "url", "thumbnail_url", "width", "height", "taken_at", "gps_lat", "gps_lng"]

    def get_url(self, photo) -> str:
        return photo_url(self.context.get("request"), photo, Variant.PUBLIC)

    def get_thumbnail_url(self, photo) -> str:
        return photo_url(self.context.get("request"), photo, Variant.THUMBNAIL)


class PhotoUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    taken_at = serializers.DateTimeField(required=False, help_text="when the device took it (used without EXIF)")
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90,
                                 help_text="where the device took it, WGS-84 (used without EXIF)")
    lng = serializers.FloatField(required=False, min_value=-180, max_value=180)

    def validate(self, attrs):
        if ("lat" in attrs) != ("lng" in attrs):
            raise serializers.ValidationError({"lng" if "lat" in attrs else "lat": ["lat and lng go together"]})
        return attrs


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_name")
    photos = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = ["seq", "action", "actor", "at", "from_state", "to_state", "note", "data", "photos"]

    def get_photos(self, event) -> list[dict]:
        return [{"role": link.role, **PhotoSerializer(link.photo, context=self.context).data}
                for link in event.photos.all()]


class CaseSerializer(serializers.ModelSerializer):
    case_class = serializers.SlugRelatedField(slug_field="code", read_only=True)
    class_name = serializers.CharField(source="case_class.minor_name", read_only=True)
    state_name = serializers.CharField(source="get_state_display", read_only=True)
    responsible_unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    responsible_unit_name = serializers.CharField(source="responsible_unit.name", read_only=True, default=None,
                                                  allow_null=True)
    grid = serializers.CharField(source="region_code", read_only=True)
    place = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    due_soon = serializers.BooleanField(source="is_due_soon", read_only=True)

    class Meta:
        model = Case
        fields = [
            "number", "state", "state_name", "source", "case_class", "class_name", "description", "urgency",
            "lat", "lng", "address", "grid", "area_class", "place", "component_id", "responsible_unit",
            "responsible_unit_name", "routing_note", "reported_at", "verified_at", "filed_at", "dispatched_at",
            "handled_at", "checked_at", "closed_at", "handle_due", "overdue", "due_soon", "rework_count",
            "version",
        ]


class CaseDetailSerializer(CaseSerializer):
    criterion = CriterionSerializer(read_only=True, allow_null=True)
    events = EventSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()
    duplicates = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    merged_into = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields, "criterion", "verify_due", "file_due", "dispatch_due", "check_due",
            "calendar_warning", "return_count", "extension_count", "close_type", "review_flags", "merged_into",
            "duplicates", "reporter_name", "events", "allowed_actions",
        ]

    def get_allowed_actions(self, case) -> list[str]:
        from civicgrid.cases.services import available_actions

        return available_actions(self.context["request"].user, case)


class CaseCreateSerializer(serializers.Serializer):
    case_class = serializers.SlugRelatedField(slug_field="code", queryset=CaseClass.objects.filter(active=True),
                                              help_text="class code, e.g. E0102")
    criterion = serializers.PrimaryKeyRelatedField(queryset=FilingCriterion.objects.all(), required=False)
    description = serializers.CharField(max_length=4000)
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lng = serializers.FloatField(min_value=-180, max_value=180)
    crs = serializers.ChoiceField(choices=[c.value for c in CRS], default=CRS.WGS84.value)
    address = serializers.CharField(max_length=300, required=False, default="")
    place = serializers.CharField(required=False, help_text="place code")
    component_id = serializers.CharField(max_length=20, required=False, default="")
    source = serializers.ChoiceField(
        choices=Source.choices, required=False,
        help_text="the channel the problem came in by; only the sources your role may report under "
                  "(inspection and undercover findings come from inspections). Default: your first allowed source")
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    reporter_name = serializers.CharField(max_length=100, required=False, default="")
    reporter_contact = serializers.CharField(max_length=100, required=False, default="")
    photo_ids = serializers.ListField(child=serializers.UUIDField(), required=False, default=list, max_length=9)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list, max_length=9,
                                   help_text="inline photos (multipart, repeatable)")


class ActionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, default="", allow_blank=True)
    public_note = serializers.CharField(required=False, default="", allow_blank=True, max_length=300,
                                        help_text="words for the reporter and the public side; the note stays internal")
    unit = serializers.CharField(required=False, help_text="dispatch: the unit code to send the case to")
    criterion = serializers.PrimaryKeyRelatedField(queryset=FilingCriterion.objects.all(), required=False)
    amount = serializers.IntegerField(required=False, min_value=1,
                                      help_text="request_extension: extra time in the case's limit unit")
    target = serializers.CharField(required=False, help_text="merge: the original case's number")
    photo_ids = serializers.ListField(child=serializers.UUIDField(), required=False, default=list, max_length=9)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list, max_length=9)


class ReportResponseSerializer(serializers.Serializer):
    case = CaseDetailSerializer()
    possible_duplicates = CaseSerializer(many=True)

