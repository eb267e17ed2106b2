from django.urls import path

from civicgrid.audit import views

urlpatterns = [
    path("", views.events, name="audit-events"),
]
