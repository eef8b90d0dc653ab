"""One access record per request, queued for the background writer (privacy.access_log)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import empty

from ex1000.core.http import client_ip

from . import access_log

logger = logging.getLogger(__name__)

DEFAULT_SKIP = ("/favicon.ico", "/robots.txt", "/health", "/healthz", "/readyz")


class AccessLogMiddleware:
    """Records the request after the response is built; never fails the request.

    Static and media files and health checks are skipped (``ACCESS_LOG_SKIP_PREFIXES``
    adds more). The path is kept without its query string and the referrer without its
    query: searches and other sites' parameters are not access data.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        prefixes = [settings.STATIC_URL, settings.MEDIA_URL, *DEFAULT_SKIP]
        prefixes += list(getattr(settings, "ACCESS_LOG_SKIP_PREFIXES", ()))
        self.skip = tuple(p if p.startswith("/") else f"/{p}" for p in prefixes if p)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(settings, "ACCESS_LOG_ENABLED", True) and not request.path.startswith(self.skip):
            try:
                self.record(request, response)
            except Exception:  # the access log must never cost the user their page
                logger.exception("access log: could not record %s", request.path[:100])
        return response

    @staticmethod
    def record(request: HttpRequest, response: HttpResponse) -> None:
        meta = request.META
        access_log.record(
            access_log.Hit(
                at=timezone.now(),
                user_id=_user_id(request),
                ip=client_ip(request),
                user_agent=meta.get("HTTP_USER_AGENT", "")[:1000],
                method=request.method or "",
                path=request.path,
                status=response.status_code,
                referrer=meta.get("HTTP_REFERER", "")[:1000],  # the writer drops its query
            )
        )


def _user_id(request: HttpRequest):
    """The user's id without loading the user when nothing else did (an API token's user
    is set by the API's authentication; a page's lazily by AuthenticationMiddleware)."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    if getattr(user, "_wrapped", None) is empty:  # never evaluated: ask the session only
        session = getattr(request, "session", None)
        if session is None or session.session_key is None:
            return None
        # Reading it must not mark the session accessed: the answer, already built, does
        # not depend on it, so it must not gain a "Vary: Cookie" for the log's sake.
        accessed = session.accessed
        try:
            return session.get(SESSION_KEY)
        finally:
            session.accessed = accessed
    return user.pk if user.is_authenticated else None
