from django.contrib import admin

from civicgrid.ledgers import models as m


class StaffInline(admin.TabularInline):
    model = m.StaffMember
    extra = 0
    fields = ["name", "certificate_number", "certificate_expires_on", "region_code"]


@admin.register(m.SmallBusiness)
class SmallBusinessAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "licence_number", "permit_expires_on", "letter_signed_on", "rectification"]
    list_filter = ["category", "rectification", "vector_control"]
    search_fields = ["name", "licence_number"]
    raw_id_fields = ["place"]
    inlines = [StaffInline]


@admin.register(m.StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "business", "certificate_expires_on"]
    search_fields = ["name", "business__name"]
    raw_id_fields = ["business"]


class RenovationInline(admin.StackedInline):
    model = m.Renovation
    extra = 0


@admin.register(m.Market)
class MarketAdmin(admin.ModelAdmin):
    list_display = ["place", "operator", "stalls", "testing_room"]
    raw_id_fields = ["place", "operator"]
    inlines = [RenovationInline]


class FundingInline(admin.TabularInline):
    model = m.Funding
    extra = 0


@admin.register(m.Renovation)
class RenovationAdmin(admin.ModelAdmin):
    list_display = ["name", "market", "budget", "progress", "accepted_on"]
    inlines = [FundingInline]


@admin.register(m.Funding)
class FundingAdmin(admin.ModelAdmin):
    list_display = ["renovation", "source", "amount", "received_on"]
    list_filter = ["source"]


@admin.register(m.WorkKind)
class WorkKindAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "unit", "sort_order"]


class QuantityInline(admin.TabularInline):
    model = m.Quantity
    extra = 0


@admin.register(m.Operation)
class OperationAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "kind", "region_code"]
    list_filter = ["kind"]
    raw_id_fields = ["places", "units"]
    inlines = [QuantityInline]


@admin.register(m.PublicityAsset)
class PublicityAssetAdmin(admin.ModelAdmin):
    list_display = ["place", "kind", "count", "installed_on"]
    list_filter = ["kind"]
    raw_id_fields = ["place", "photo"]


class MaterialInline(admin.TabularInline):
    model = m.Material
    extra = 0


@admin.register(m.MobilisationEvent)
class MobilisationEventAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "kind", "volunteers", "community_workers", "officials", "students",
                    "online_views"]
    list_filter = ["kind"]
    inlines = [MaterialInline]


@admin.register(m.HealthService)
class HealthServiceAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "item", "count", "region_code"]
    list_filter = ["kind"]
    raw_id_fields = ["place"]
