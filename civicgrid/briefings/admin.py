from django.contrib import admin

from civicgrid.briefings.models import Briefing


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin):
    """Published briefings are read-only (a correction is a new draft, made on the briefing page)."""

    list_display = ["title", "region", "start", "end", "status", "published_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "published_at", "published_by", "previous", "created_by"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and obj.published)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and obj.published)
