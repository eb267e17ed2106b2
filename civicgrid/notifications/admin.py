from django import forms
from django.contrib import admin
from django.db import models

from civicgrid.notifications.models import Delivery, GroupRobot, Preference


@admin.register(GroupRobot)
class GroupRobotAdmin(admin.ModelAdmin):
    list_display = ["unit", "provider", "active"]
    list_filter = ["provider", "active"]
    autocomplete_fields = ["unit"]
    # Robots' webhooks are https; a pasted address without a scheme means that.
    formfield_overrides = {models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}}


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "channels", "phone", "email", "quiet_start", "quiet_end"]
    search_fields = ["user__username", "phone", "email"]
    autocomplete_fields = ["user"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Every send as it happened (the outbox page is the office's reading of it)."""

    list_display = ["created_at", "kind", "channel", "address", "case_number", "status", "attempts"]
    list_filter = ["channel", "status", "kind"]
    search_fields = ["address", "case_number", "body"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False
