from django.contrib import admin

from civicgrid.open311.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "user", "active", "created_at"]
    list_filter = ["active"]
    readonly_fields = ["created_at"]
