from django.urls import path

from civicgrid.ledgers import views

urlpatterns = [
    path("", views.index, name="ledger-index"),
    path("certificates/", views.certificates, name="ledger-certificates"),
    path("<slug:slug>/", views.ledger, name="ledger-list"),
]
