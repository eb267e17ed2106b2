from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from civicgrid.inspections import services, standards
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


@admin.register(PointType)
class PointTypeAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "sort_order"]
    filter_horizontal = ["place_kinds"]


class StandardItemInline(admin.TabularInline):
    model = StandardItem
    extra = 0
    autocomplete_fields = ["case_class"]
    raw_id_fields = ["criterion"]

    def _locked(self, obj) -> bool:
        return obj is not None and obj.in_use

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    """A standard used by an inspection is read-only here; "new version" copies it for editing."""

    list_display = ["code", "version", "name", "status", "issued_on"]
    list_filter = ["status"]
    inlines = [StandardItemInline]
    actions = ["make_new_version"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.in_use:
            return ["code", "version", "name", "issued_on", "note", "previous"]
        return ["previous"]

    @admin.action(description=_("生成新版本（可编辑）"))
    def make_new_version(self, request, queryset):
        for standard in queryset:
            successor = standards.new_version(standard, actor=request.user)
            self.message_user(request, _("已生成 %s") % successor, messages.SUCCESS)


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "firm", "starts_on", "ends_on", "status", "published_at"]
    readonly_fields = ["status", "published_at", "published_by"]
    actions = ["publish"]

    @admin.action(description=_("发布所选暗访轮次（案件立即派遣）"))
    def publish(self, request, queryset):
        for round_ in queryset.filter(status="open"):
            outcome = services.publish_round(request.user, round_)
            self.message_user(request, _("%(name)s：%(c)d 件案件已派遣") % {"name": round_.name, "c": outcome.cases})


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "selection", "recurrence", "starts_on", "ends_on", "active"]
    list_filter = ["kind", "active"]
    filter_horizontal = ["inspectors", "teams", "point_types"]
    raw_id_fields = ["places"]

    def save_model(self, request, obj, form, change):
        # A plan of an unpublished round stays hidden from the inspected, as when made on the plans page.
        obj.embargoed = obj.round_id is not None and not obj.round.published
        super().save_model(request, obj, form, change)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "place", "assignee", "assignee_unit", "inspection"]
    list_filter = ["kind", "day"]
    raw_id_fields = ["plan", "place", "assignee", "assignee_unit", "inspection"]


class ResultInline(admin.TabularInline):
    model = InspectionResult
    extra = 0
    can_delete = False
    fields = ["item", "outcome", "findings", "note", "score", "case", "case_opened"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    """Inspections are read-only here: they are made in the field, through the services."""

    list_display = ["place", "kind", "inspector_name", "started_at", "status", "score_rate", "embargoed"]
    list_filter = ["kind", "status", "embargoed"]
    inlines = [ResultInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
