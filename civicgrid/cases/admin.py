"""Admin for the rulebook (editable) and for cases (read-only: every change goes through the services)."""

from django.contrib import admin

from civicgrid.cases.models import (
    Case,
    CaseClass,
    CaseEvent,
    FilingCriterion,
    Notification,
    Photo,
    RoutingRule,
)


class FilingCriterionInline(admin.TabularInline):
    model = FilingCriterion
    extra = 0


@admin.register(CaseClass)
class CaseClassAdmin(admin.ModelAdmin):
    list_display = ["code", "type", "major_name", "minor_name", "default_department", "location_blurred", "active"]
    list_filter = ["type", "major_name", "location_blurred", "active"]
    search_fields = ["code", "minor_name", "major_name"]
    autocomplete_fields = ["default_department"]
    inlines = [FilingCriterionInline]


@admin.register(FilingCriterion)
class FilingCriterionAdmin(admin.ModelAdmin):
    list_display = ["case_class", "text", "limit_a", "limit_b", "limit_c", "unit"]
    list_filter = ["unit", "case_class__type"]
    search_fields = ["text", "case_class__minor_name"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["case_class", "region_code", "unit"]
    list_filter = ["case_class__major_name"]
    search_fields = ["region_code", "case_class__minor_name", "unit__name"]
    autocomplete_fields = ["case_class", "unit"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never edited here: state changes belong to civicgrid.cases.services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    fields = ["seq", "action", "from_state", "to_state", "actor_name", "at", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "case_class", "state", "source", "region_code", "responsible_unit", "reported_at",
                    "handle_due"]
    list_filter = ["state", "source", "urgency", "case_class__major_name"]
    search_fields = ["number", "description", "address"]
    date_hierarchy = "reported_at"
    list_select_related = ["case_class", "responsible_unit"]
    show_full_result_count = False  # a million rows: no second COUNT(*) per page
    inlines = [CaseEventInline]
    actions = ["publish"]

    @admin.action(description="发布所选暗访发现")
    def publish(self, request, queryset):
        from civicgrid.cases.services import publish_findings

        count = publish_findings(request.user, list(queryset.filter(embargoed=True)))
        self.message_user(request, f"已发布 {count} 件暗访发现。")


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["case", "seq", "action", "from_state", "to_state", "actor_name", "at"]
    list_filter = ["action"]
    search_fields = ["case__number"]
    list_select_related = ["case"]
    show_full_result_count = False


@admin.register(Photo)
class PhotoAdmin(ReadOnlyAdmin):
    list_display = ["uid", "width", "height", "taken_at", "gps_lat", "gps_lng", "uploaded_by", "uploaded_at"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "case", "kind", "message", "created_at", "read_at"]
    list_filter = ["kind"]
