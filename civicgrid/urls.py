from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from civicgrid.field import views as field_views
from civicgrid.web.health import health

urlpatterns = [
    # The admin signs in through the site's login, so its code step and lockout message apply there too.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI sets inline styles as it draws; allowed on this page only (its scripts are still files).
    path("api/docs/", csp_update({"style-src": ["'unsafe-inline'"]})(
        SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
    path("api/v1/", include("civicgrid.api_urls")),
    path("open311/v2/", include("civicgrid.open311.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("field/", include("civicgrid.field.urls")),
    path("sw.js", field_views.service_worker, name="field-service-worker"),
    path("manifest.webmanifest", field_views.manifest, name="field-manifest"),
    path("", include("civicgrid.web.urls")),
]

handler400 = "civicgrid.web.errors.bad_request"
handler403 = "civicgrid.web.errors.permission_denied"
handler404 = "civicgrid.web.errors.page_not_found"
handler500 = "civicgrid.web.errors.server_error"
