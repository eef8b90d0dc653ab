from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("vehicles/", views.search, name="search"),
    path("vehicles/<int:pk>/", views.vehicle_detail, name="vehicle_detail"),
    path("supplier/", views.supplier_dashboard, name="supplier_dashboard"),
    path("supplier/vehicles/new/", views.vehicle_create, name="vehicle_create"),
    path("supplier/vehicles/<int:pk>/edit/", views.vehicle_edit, name="vehicle_edit"),
    path("supplier/vehicles/<int:pk>/photos/", views.vehicle_photos, name="vehicle_photos"),
    path(
        "supplier/vehicles/<int:pk>/photos/<int:photo_id>/delete/",
        views.vehicle_photo_delete,
        name="vehicle_photo_delete",
    ),
    path("supplier/vehicles/<int:pk>/withdraw/", views.vehicle_withdraw, name="vehicle_withdraw"),
    path("supplier/import/", views.import_upload, name="import_upload"),
    path("supplier/import/template.csv", views.import_template, name="import_template"),
    path("supplier/import/<int:pk>/", views.import_job, name="import_job"),
    path("supplier/import/<int:pk>/problems.csv", views.import_problems, name="import_problems"),
]
