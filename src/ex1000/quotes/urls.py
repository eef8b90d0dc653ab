from django.urls import path

from . import views

app_name = "quotes"
urlpatterns = [
    path("vehicles/<int:pk>/calculator/", views.calculator, name="calculator"),
    path("inquiries/", views.inquiries, name="inquiries"),
    path("inquiries/<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
    path("inquiries/<int:pk>/revise/", views.revise, name="revise"),
    path("supplier/inquiries/", views.supplier_inbox, name="supplier_inbox"),
    path("quotes/<int:pk>/pdf/", views.quote_pdf, name="quote_pdf"),
]
