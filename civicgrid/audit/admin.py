from django.contrib import admin

from civicgrid.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only, so nobody adds, edits or deletes here."""

    list_display = ["at", "kind", "actor_username", "address", "target"]
    list_filter = ["kind"]
    search_fields = ["actor_username", "target"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
