"""REST API v1."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from civicgrid.organizations.api.views import ContractViewSet, TokenView, UnitViewSet
from civicgrid.territory.api.views import LocateView, PlaceViewSet, RegionViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("regions", RegionViewSet, basename="region")
router.register("places", PlaceViewSet, basename="place")
router.register("units", UnitViewSet, basename="unit")
router.register("contracts", ContractViewSet, basename="contract")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("locate/", LocateView.as_view(), name="api-locate"),
    *router.urls,
]
