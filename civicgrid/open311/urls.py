from django.urls import re_path

from civicgrid.open311 import views

FMT = r"\.(?P<fmt>xml|json)$"
urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="open311-discovery"),
    re_path(r"^services" + FMT, views.services, name="open311-services"),
    re_path(r"^services/(?P<code>[A-Za-z0-9]+)" + FMT, views.service_definition, name="open311-service"),
    re_path(r"^requests" + FMT, views.requests_, name="open311-requests"),
    re_path(r"^requests/(?P<number>[0-9-]+)" + FMT, views.request_detail, name="open311-request"),
    re_path(r"^tokens/(?P<token_id>[0-9-]+)" + FMT, views.token, name="open311-token"),
    re_path(r"^servicerequestupdates" + FMT, views.updates, name="open311-updates"),
    # Last: any other path (or format) is answered with the spec's <errors>, not the site's HTML 404.
    re_path(r"^(?P<path>.*)$", views.unknown, name="open311-unknown"),
]
