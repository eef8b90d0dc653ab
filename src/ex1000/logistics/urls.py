from django.urls import path

from . import views

app_name = "logistics"
urlpatterns = [
    path("partner/", views.dashboard, name="dashboard"),
    path("orders/<str:number>/shipments/new/", views.book_shipment, name="book_shipment"),
    path(
        "shipments/<int:shipment_id>/events/",
        views.add_tracking_event,
        name="add_tracking_event",
    ),
]
