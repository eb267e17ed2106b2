from django.urls import path

from civicgrid.notifications import views

urlpatterns = [
    path("settings/", views.preferences, name="notification-preferences"),
    path("outbox/", views.outbox, name="notification-outbox"),
    path("outbox/<int:pk>/resend/", views.resend, name="notification-resend"),
]
