"""REST API v1."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from civicgrid.accounts.api.views import TokenView
from civicgrid.assessment.api.views import IndicatorsView
from civicgrid.audit.api.views import AuditEventViewSet
from civicgrid.briefings.api.views import BriefingDocxView, BriefingHtmlView, BriefingViewSet, FiguresView
from civicgrid.cases.api.views import (
    CaseClassViewSet,
    CaseViewSet,
    PhotoUploadView,
    RulebookExportView,
    RulebookImportView,
)
from civicgrid.field.api.views import BundleView
from civicgrid.inspections.api.views import (
    AssessmentRoundViewSet,
    AssignmentViewSet,
    CoverageExportView,
    CoverageView,
    InspectionViewSet,
    PlanViewSet,
    PointTypeViewSet,
    RollupView,
    StandardExportView,
    StandardViewSet,
)
from civicgrid.ledgers.api.views import ExportView, ImportView, LedgerListView, RecordsView, TemplateView
from civicgrid.organizations.api.views import ContractViewSet, UnitViewSet
from civicgrid.territory.api.views import LocateView, PlaceViewSet, RegionViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("regions", RegionViewSet, basename="region")
router.register("places", PlaceViewSet, basename="place")
router.register("units", UnitViewSet, basename="unit")
router.register("contracts", ContractViewSet, basename="contract")
router.register("cases", CaseViewSet, basename="case")
router.register("classes", CaseClassViewSet, basename="case-class")
router.register("point-types", PointTypeViewSet, basename="point-type")
router.register("standards", StandardViewSet, basename="standard")
router.register("plans", PlanViewSet, basename="plan")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("assessment-rounds", AssessmentRoundViewSet, basename="assessment-round")
router.register("briefings", BriefingViewSet, basename="briefing")
router.register("audit-events", AuditEventViewSet, basename="audit-event")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("locate/", LocateView.as_view(), name="api-locate"),
    path("photos/", PhotoUploadView.as_view(), name="api-photos"),
    path("field/bundle/", BundleView.as_view(), name="api-field-bundle"),
    path("rulebook/export.xlsx", RulebookExportView.as_view(), name="api-rulebook-export"),
    path("rulebook/import/", RulebookImportView.as_view(), name="api-rulebook-import"),
    path("coverage/", CoverageView.as_view(), name="api-coverage"),
    path("coverage/export.xlsx", CoverageExportView.as_view(), name="api-coverage-export"),
    path("inspection-rollups/", RollupView.as_view(), name="api-inspection-rollups"),
    path("ledgers/", LedgerListView.as_view(), name="api-ledgers"),
    path("ledgers/<slug:ledger>/template.xlsx", TemplateView.as_view(), name="api-ledger-template"),
    path("ledgers/<slug:ledger>/import/", ImportView.as_view(), name="api-ledger-import"),
    path("ledgers/<slug:ledger>/export.xlsx", ExportView.as_view(), name="api-ledger-export"),
    path("ledgers/<slug:ledger>/", RecordsView.as_view(), name="api-ledger-records"),
    path("briefings/figures/", FiguresView.as_view(), name="api-briefing-figures"),
    path("indicators/", IndicatorsView.as_view(), name="api-indicators"),
    path("briefings/<int:pk>/document.docx", BriefingDocxView.as_view(), name="api-briefing-docx"),
    path("briefings/<int:pk>/document.html", BriefingHtmlView.as_view(), name="api-briefing-html"),
    path("standards/<int:pk>/export.xlsx", StandardExportView.as_view(), name="api-standard-export"),
    *router.urls,
]
