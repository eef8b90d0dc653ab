from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("policy/", views.policy, name="policy"),
    path("policy/v/<str:version>/", views.policy, name="policy_version"),
]
