from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("documents/<int:document_id>/", views.document, name="document"),
]
