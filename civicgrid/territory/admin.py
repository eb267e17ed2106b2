from django.contrib import admin

from civicgrid.territory.models import BoundaryVersion, Place, PlaceCategory, PlaceKind, Region
from civicgrid.territory.services import bump_boundary_version, save_place


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "area_class", "parent"]
    list_filter = ["level", "area_class"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]

    readonly_fields = ["code", "level", "parent", "boundary"]

    def has_add_permission(self, request):
        # Regions arrive through import_regions (command or API), which checks every rule together.
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        bump_boundary_version()  # the locator caches names and area classes too


class PlaceCategoryInline(admin.TabularInline):
    model = PlaceCategory
    extra = 0


@admin.register(PlaceKind)
class PlaceKindAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "chief_title", "geometry_kind", "sort_order"]
    list_editable = ["sort_order"]
    inlines = [PlaceCategoryInline]


@admin.register(PlaceCategory)
class PlaceCategoryAdmin(admin.ModelAdmin):
    list_display = ["kind", "slug", "name", "note", "sort_order"]
    list_filter = ["kind"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "region_code", "responsible_unit", "chief", "is_old_compound"]
    list_filter = ["kind", "is_old_compound"]
    search_fields = ["code", "name", "address"]
    autocomplete_fields = ["parent", "responsible_unit", "chief"]
    readonly_fields = ["lng", "lat", "region_code", "grids"]

    def save_model(self, request, obj, form, change):
        save_place(obj)

    def save_related(self, request, form, formsets, change):
        # grids are derived by save_place; saving the form's (read-only) m2m would clear them.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(BoundaryVersion)
class BoundaryVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "changed_at"]
