from django.urls import path

from civicgrid.inspections import views

urlpatterns = [
    path("", views.inspection_list, name="inspection-list"),
    path("start/", views.start, name="inspection-start"),
    path("start/nearby/", views.nearby, name="inspection-nearby"),
    path("coverage/", views.coverage, name="inspection-coverage"),
    path("results/", views.results, name="inspection-results"),
    path("rounds/", views.rounds, name="inspection-rounds"),
    path("rounds/<int:pk>/publish/", views.publish, name="inspection-round-publish"),
    path("standards/", views.standard_list, name="inspection-standards"),
    path("plans/", views.plans, name="inspection-plans"),
    path("plans/<int:pk>/generate/", views.generate, name="inspection-plan-generate"),
    path("assignments/", views.assignments, name="inspection-assignments"),
    path("standards/<int:pk>/export.xlsx", views.standard_export, name="inspection-standard-export"),
    path("<uuid:uid>/", views.detail, name="inspection-detail"),
]
