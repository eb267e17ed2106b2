from django.contrib import admin

from civicgrid.open311.models import ApiKey, Submission


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "user", "active", "created_at"]
    list_filter = ["active"]
    readonly_fields = ["created_at"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """The first answers of retried Open311 POSTs: written only with the case or update they answer."""

    list_display = ["api_key", "key", "status_code", "created_at"]
    search_fields = ["key"]
    readonly_fields = [f.name for f in Submission._meta.fields]

    def has_add_permission(self, request):
        return False
