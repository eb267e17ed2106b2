from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("civicgrid.api_urls")),
    path("open311/v2/", include("civicgrid.open311.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("civicgrid.web.urls")),
]
