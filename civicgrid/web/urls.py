from django.urls import include, path

from civicgrid.accounts.views import LoginView
from civicgrid.cases import views as case_views
from civicgrid.web import exports, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("map/", views.map_page, name="map"),
    path("map/places.geojson", views.map_places, name="map-places"),
    path("regions/", views.regions, name="regions"),
    path("regions/<str:code>/", views.regions, name="region"),
    path("places/", views.places, name="places"),
    path("contracts/", views.contracts, name="contracts"),
    path("", include("civicgrid.accounts.urls")),
    path("audit/", include("civicgrid.audit.urls")),
    path("cases/", include("civicgrid.cases.urls")),
    path("photos/<uuid:uid>/<slug:variant>/", case_views.photo, name="photo"),
    path("exports/<uuid:uid>/", exports.job, name="export-job"),
    path("exports/<uuid:uid>/download/", exports.download, name="export-download"),
    path("inspections/", include("civicgrid.inspections.urls")),
    path("ledgers/", include("civicgrid.ledgers.urls")),
    path("briefings/", include("civicgrid.briefings.urls")),
    path("public/", include("civicgrid.citizens.urls")),
    path("notifications/", include("civicgrid.notifications.urls")),
    path("", include("civicgrid.assessment.urls")),
]
