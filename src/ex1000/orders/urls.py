from django.urls import path

from . import views

app_name = "orders"
urlpatterns = [
    path("quotes/<int:pk>/accept/", views.accept, name="accept"),
    path("orders/", views.order_list, name="list"),
    path("supplier/orders/", views.order_list, name="supplier_list"),
    path("orders/<str:number>/", views.order_detail, name="detail"),
    path("orders/<str:number>/actions/<str:action>/", views.order_action, name="action"),
    path("orders/<str:number>/payments/", views.submit_payment, name="submit_payment"),
    path("orders/<str:number>/consignee/", views.set_consignee, name="consignee"),
    path("orders/<str:number>/documents/", views.upload_document, name="upload_document"),
    path("orders/<str:number>/documents/<int:pk>/", views.uploaded, name="uploaded_document"),
    path(
        "orders/<str:number>/documents/<slug:kind>.pdf", views.generated, name="generated_document"
    ),
    path("payments/<int:payment_id>/proof/", views.payment_proof, name="payment_proof"),
]
