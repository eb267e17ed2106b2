from django.urls import path

from civicgrid.notifications import views

urlpatterns = [
    path("settings/", views.preferences, name="notification-preferences"),
    path("read/", views.mark_read, name="notifications-read"),
    path("outbox/", views.outbox, name="notification-outbox"),
    path("outbox/<int:pk>/resend/", views.resend, name="notification-resend"),
]
