"""Every page in the user's time zone: ``{{ value|date }}`` and forms' datetimes follow it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from ex1000.core.middleware import API_PREFIX

from .selectors import time_zone_of


class UserTimeZoneMiddleware:
    """Activate the logged-in user's zone (chosen, else their country's) for the request;
    anonymous visitors get the default (UTC). The zone is thread-local: reset afterwards.

    Not for the API: it speaks ISO 8601 with offsets whatever zone is active, and reading
    the user there would add "Vary: Cookie" to public answers (the access log avoids it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = None if request.path.startswith(API_PREFIX) else getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(time_zone_of(user))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
