"""REST API v1."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from civicgrid.cases.api.views import (
    CaseClassViewSet,
    CaseViewSet,
    PhotoUploadView,
    RulebookExportView,
    RulebookImportView,
)
from civicgrid.organizations.api.views import ContractViewSet, TokenView, UnitViewSet
from civicgrid.territory.api.views import LocateView, PlaceViewSet, RegionViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("regions", RegionViewSet, basename="region")
router.register("places", PlaceViewSet, basename="place")
router.register("units", UnitViewSet, basename="unit")
router.register("contracts", ContractViewSet, basename="contract")
router.register("cases", CaseViewSet, basename="case")
router.register("classes", CaseClassViewSet, basename="case-class")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("locate/", LocateView.as_view(), name="api-locate"),
    path("photos/", PhotoUploadView.as_view(), name="api-photos"),
    path("rulebook/export.xlsx", RulebookExportView.as_view(), name="api-rulebook-export"),
    path("rulebook/import/", RulebookImportView.as_view(), name="api-rulebook-import"),
    *router.urls,
]
