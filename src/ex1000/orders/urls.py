from django.urls import path

from . import views

app_name = "orders"
urlpatterns = [
    path("quotes/<int:pk>/accept/", views.accept, name="accept"),
]
