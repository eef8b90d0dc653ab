from django.urls import path

from . import views

app_name = "messaging"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("threads/<int:thread_id>/", views.open_thread, name="open"),
    path("threads/<int:thread_id>/new/", views.poll, name="poll"),
    path("threads/<int:thread_id>/earlier/", views.earlier, name="earlier"),
    path("threads/<int:thread_id>/send/", views.post, name="post"),
]
