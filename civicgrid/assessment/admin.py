from django.contrib import admin

from civicgrid.assessment.models import SchemeChoice, ScoringScheme


@admin.register(ScoringScheme)
class ScoringSchemeAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "updated_at"]


@admin.register(SchemeChoice)
class SchemeChoiceAdmin(admin.ModelAdmin):
    list_display = ["starts_on", "ends_on", "scheme"]
