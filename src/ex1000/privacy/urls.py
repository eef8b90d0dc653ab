from django.urls import path

from . import disclosure_views, ticket_views, views

app_name = "privacy"
urlpatterns = [
    path("", views.centre, name="centre"),
    path("policy/", views.policy, name="policy"),
    path("policy/accept/", views.accept_policy, name="accept_policy"),
    path("policy/v/<str:version>/", views.policy, name="policy_version"),
    path("consents/", views.consents, name="consents"),
    path("requests/", ticket_views.my_requests, name="requests"),
    path(
        "requests/<int:request_id>/confirm/",
        ticket_views.confirm_deletion,
        name="confirm_deletion",
    ),
    path("disclosures/", disclosure_views.my_disclosures, name="disclosures"),
    path("export/", views.export_page, name="export"),
    path("export/<int:pk>/", views.export_job, name="export_job"),
    path("export/<int:pk>/download/", views.export_download, name="export_download"),
]
