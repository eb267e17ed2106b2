from django.contrib import admin

from civicgrid.organizations.models import Contract, Grant, Person, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "region"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "region"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "phone", "unit", "user"]
    search_fields = ["name", "phone"]
    autocomplete_fields = ["unit", "user"]


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "region", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username"]
    autocomplete_fields = ["user", "region", "unit"]


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["person", "unit", "region", "place", "starts_on", "ends_on", "letter_signed_on"]
    search_fields = ["person__name", "unit__name", "region__name", "place__name"]
    autocomplete_fields = ["person", "unit", "region", "place"]
    readonly_fields = ["region_code"]

    def save_model(self, request, obj, form, change):
        # region_code follows the target; the check constraints guard the rest.
        obj.region_code = obj.region.code if obj.region_id else obj.place.region_code
        super().save_model(request, obj, form, change)
