from django.urls import path

from . import order_views, views

app_name = "ops"
urlpatterns = [
    path("verifications/", views.verifications, name="verifications"),
    path("verifications/<int:request_id>/decide/", views.decide, name="decide"),
    path("payments/", order_views.payments, name="payments"),
    path("payments/<int:payment_id>/decide/", order_views.decide_payment, name="decide_payment"),
    path("orders/", order_views.orders, name="orders"),
]
