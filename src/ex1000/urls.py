from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("ex1000.accounts.urls")),
    path("privacy/", include("ex1000.privacy.urls")),
    path("ops/", include("ex1000.ops.urls")),
    path("notifications/", include("ex1000.notifications.urls")),
    path("messages/", include("ex1000.messaging.urls")),
    path("", include("ex1000.orders.urls")),
    path("", include("ex1000.logistics.urls")),
    path("", include("ex1000.quotes.urls")),
    path("", include("ex1000.catalog.urls")),
]
if settings.DEBUG:
    # Public media (photos) only; identity documents are never under MEDIA_URL.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
