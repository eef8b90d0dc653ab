from django.urls import path

from . import views

app_name = "ops"
urlpatterns = [
    path("verifications/", views.verifications, name="verifications"),
    path("verifications/<int:request_id>/decide/", views.decide, name="decide"),
]
