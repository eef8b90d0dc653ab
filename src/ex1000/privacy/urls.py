from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("policy/", views.policy, name="policy"),
    path("policy/v/<str:version>/", views.policy, name="policy_version"),
    path("export/", views.export_page, name="export"),
    path("export/<int:pk>/", views.export_job, name="export_job"),
    path("export/<int:pk>/download/", views.export_download, name="export_download"),
]
