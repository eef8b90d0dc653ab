from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from .api import api
from .core.media import public_media

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
# Public media (photos) only, DEBUG or not; identity documents are never under MEDIA_URL.
urlpatterns.append(
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", public_media, name="public_media")
)

# DEBUG off: problem JSON for the API, 503 + Retry-After while the database restarts.
handler500 = "ex1000.core.views.server_error"
