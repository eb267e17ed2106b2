from django.contrib import admin

from civicgrid.citizens.models import Block, PhoneCode, PublicReport


@admin.register(PublicReport)
class PublicReportAdmin(admin.ModelAdmin):
    """Public reports come only from the public side; the office moderates and reviews on its pages."""

    list_display = ["case", "phone", "created_at", "rating", "review", "text_hidden"]
    list_filter = ["rating", "review", "text_hidden"]
    search_fields = ["case__number", "phone"]
    readonly_fields = [f.name for f in PublicReport._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(PhoneCode)
class PhoneCodeAdmin(admin.ModelAdmin):
    list_display = ["phone", "created_at", "expires_at", "attempts", "used_at"]
    search_fields = ["phone"]
    readonly_fields = [f.name for f in PhoneCode._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["kind", "value", "reason", "created_by", "created_at", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["value", "reason"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
