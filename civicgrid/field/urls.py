from django.urls import path

from civicgrid.field import views

urlpatterns = [
    path("", views.shell, name="field-shell"),
    path("session/", views.start, name="field-session-start"),
    path("sessions/", views.sessions, name="field-sessions"),
    path("sessions/<int:pk>/revoke/", views.revoke, name="field-session-revoke"),
]
