from django.urls import path

from civicgrid.briefings import views

urlpatterns = [
    path("", views.briefing_list, name="briefing-list"),
    path("<int:pk>/", views.briefing_detail, name="briefing-detail"),
    path("<int:pk>/preview/", views.briefing_preview, name="briefing-preview"),
    path("<int:pk>/publish/", views.briefing_publish, name="briefing-publish"),
    path("<int:pk>/make-public/", views.briefing_make_public, name="briefing-make-public"),
    path("<int:pk>/correct/", views.briefing_correct, name="briefing-correct"),
    path("<int:pk>/document.docx", views.briefing_docx, name="briefing-docx"),
]
