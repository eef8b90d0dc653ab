"""Public media (listing photos) served by the app itself, with DEBUG on or off, so `make
serve` shows the photos without a separate web server. Only MEDIA_ROOT is reachable: the
private storage lives elsewhere and has no URL. Behind nginx or a CDN, serve /media/ there
instead; this view then never sees a request."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.static import serve

# Photo names are random and never rewritten (a new photo gets a new name): a browser may
# keep them as long as it likes.
MAX_AGE = 30 * 24 * 3600


@require_safe
def public_media(request: HttpRequest, path: str) -> HttpResponse:
    response = serve(request, path, document_root=settings.MEDIA_ROOT)  # 404 outside the root
    if response.status_code != 200 and response.status_code != 304:
        raise Http404
    patch_cache_control(response, public=True, max_age=MAX_AGE, immutable=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response
