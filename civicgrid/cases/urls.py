from django.urls import path

from civicgrid.cases import views

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("report/", views.report, name="case-report"),
    path("queues/", views.queues, name="case-queues"),
    path("queues/<slug:key>/bulk/", views.queue_bulk, name="case-queue-bulk"),
    path("export.xlsx", views.export, name="case-export"),
    path("<str:number>/", views.detail, name="case-detail"),
    path("<str:number>/act/<str:action>/", views.act, name="case-act"),
]
