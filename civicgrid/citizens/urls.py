from django.urls import path

from civicgrid.citizens import views

urlpatterns = [
    path("", views.see, name="public-see"),
    path("reports.geojson", views.see_geojson, name="public-see-geojson"),
    path("streets.geojson", views.see_regions, name="public-streets"),
    path("report/", views.report, name="public-report"),
    path("report/code/", views.send_code, name="public-send-code"),
    path("report/locate/", views.locate, name="public-locate"),
    path("report/places/", views.places, name="public-places"),
    path("report/suggest/", views.suggest, name="public-suggest"),
    path("r/<str:number>/<str:secret>/", views.track, name="public-track"),
    path("sign-in/", views.sign_in, name="public-sign-in"),
    path("mine/", views.mine, name="public-mine"),
    path("office/", views.office, name="public-office"),
    path("office/<str:number>/", views.case_panel, name="public-case-panel"),
    path("office/<str:number>/review/", views.office_review, name="public-office-review"),
    path("office/<str:number>/moderate/", views.office_moderate, name="public-office-moderate"),
    path("office/blocks/<int:pk>/unblock/", views.office_unblock, name="public-office-unblock"),
]
