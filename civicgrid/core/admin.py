from django.contrib import admin

from civicgrid.core.idempotency import IdempotencyRecord


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    list_display = ["user", "key", "status_code", "created_at"]
    search_fields = ["key", "user__username"]
    readonly_fields = ["user", "key", "fingerprint", "status_code", "body", "created_at"]

    def has_add_permission(self, request):
        return False
