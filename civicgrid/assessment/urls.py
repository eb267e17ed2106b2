from django.urls import path

from civicgrid.assessment import views

urlpatterns = [
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("dashboard/command/", views.command_page, name="dashboard-command"),
    path("dashboard/data.json", views.dashboard_data, name="dashboard-data"),
    path("dashboard/grids.geojson", views.grid_outlines, name="dashboard-grids"),
    path("assessment/", views.indicators_page, name="indicators"),
    path("bulletins/", views.bulletin_list, name="bulletin-list"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin-detail"),
    path("bulletins/<int:pk>/preview/", views.bulletin_preview, name="bulletin-preview"),
    path("bulletins/<int:pk>/publish/", views.bulletin_publish, name="bulletin-publish"),
    path("bulletins/<int:pk>/make-public/", views.bulletin_make_public, name="bulletin-make-public"),
    path("bulletins/<int:pk>/correct/", views.bulletin_correct, name="bulletin-correct"),
    path("bulletins/<int:pk>/document.docx", views.bulletin_docx, name="bulletin-docx"),
    path("accountability/", views.accountability_list, name="accountability"),
]
