from django.urls import path

from . import messaging_views, order_views, privacy_views, processing_views, views

app_name = "ops"
urlpatterns = [
    path("verifications/", views.verifications, name="verifications"),
    path("verifications/<int:request_id>/decide/", views.decide, name="decide"),
    path("payments/", order_views.payments, name="payments"),
    path("payments/<int:payment_id>/decide/", order_views.decide_payment, name="decide_payment"),
    path("orders/", order_views.orders, name="orders"),
    path("messages/flagged/", messaging_views.flagged_messages, name="flagged_messages"),
    path("privacy/", privacy_views.privacy_requests, name="privacy_requests"),
    path("privacy/processing/", processing_views.processing_record, name="privacy_processing"),
    path("privacy/staff-access/", privacy_views.staff_access, name="staff_access"),
    path(
        "privacy/processing.<str:fmt>",
        processing_views.processing_record,
        name="privacy_processing_download",
    ),
    path("privacy/<int:request_id>/", privacy_views.privacy_request, name="privacy_request"),
    path(
        "privacy/<int:request_id>/decide/",
        privacy_views.decide_privacy_request,
        name="decide_privacy_request",
    ),
]
