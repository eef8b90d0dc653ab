"""Per-request account state: the user's time zone on every page, and the two-factor gate."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from ex1000.core.api import bearer_user
from ex1000.core.errors import AppError, app_problem
from ex1000.core.http import gate_redirect
from ex1000.core.middleware import API_PREFIX, static_prefixes

from .error_codes import AccountError
from .selectors import second_factor_missing, time_zone_of


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


# What a logged-in user without their second factor may still reach: logging in and out,
# their profile and the two-factor set-up (api.md: "only /me and /me/2fa*"), language
# switching; static files and public media.
_API = API_PREFIX + "v1/"
API_EXEMPT = (_API + "auth/", _API + "me/2fa", _API + "openapi.json", _API + "docs")
API_EXACT = (_API + "me",)
PAGE_EXEMPT = (
    "/accounts/2fa/",
    "/accounts/login/",
    "/accounts/logout/",
    "/admin/login/",
    "/admin/logout/",
    "/i18n/",
    "/favicon.ico",
)


def two_factor_exempt(path: str) -> bool:
    """A path the two-factor gate lets through (the OpenAPI document's 403s use it too)."""
    return path.startswith(static_prefixes() + PAGE_EXEMPT + API_EXEMPT) or path in API_EXACT


class TwoFactorMiddleware:
    """The two-factor gate for the API and the pages alike. A role that must use
    two-factor (settings.TWO_FACTOR_REQUIRED_ROLES) and has not set it up reaches only the
    set-up; a session of a user who has it reaches nothing until the code is given (the
    admin included). The API answers 403 ``two_factor_required``; pages redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if two_factor_exempt(path):
            return self.get_response(request)
        is_api = path.startswith(API_PREFIX)
        user = bearer_user(request) if is_api else None
        if user is not None:
            missing = second_factor_missing(user, session_verified=None)
        elif is_api and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)  # no login; reading the user would vary on Cookie
        else:
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                return self.get_response(request)
            verified = getattr(user, "is_verified", lambda: False)()  # OTPMiddleware
            missing = second_factor_missing(user, session_verified=verified)
        if missing is None:
            return self.get_response(request)
        if is_api:
            return app_problem(
                request,
                AppError(AccountError.TWO_FACTOR_REQUIRED),
                extra={"two_factor": missing, "setup_url": reverse("accounts:two_factor")},
            )
        name = "accounts:two_factor" if missing == "enrol" else "accounts:two_factor_verify"
        return gate_redirect(request, reverse(name))
