"""Re-consent: after a material policy version, nothing goes on until the user accepts it.

One middleware for the API and the pages. An authenticated API call answers ``428`` problem
JSON (code ``policy_acceptance_required``, ``policy_url``); a page redirects to the policy,
whose accept button returns to ``next``. Exempt: the privacy centre itself (policy, accept,
consents, export, requests — a user who refuses the new text must still be able to read
it, take their data and leave), logging in and out, reading one's profile, language
switching, static files.

Cost: the blocking version is cached (selectors.blocking_policy); for users who joined
after it there is no query at all, otherwise one indexed query on the acceptance ledger.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from ex1000.core.api import bearer_user
from ex1000.core.errors import AppError, app_problem
from ex1000.core.http import gate_redirect
from ex1000.core.middleware import static_prefixes

from .error_codes import PrivacyError
from .selectors import acceptance_pending

API = "/api/v1/"
API_EXEMPT = (
    API + "auth/",  # log in, log out (DELETE auth/token), register, password reset
    API + "me/2fa",  # two-factor set-up comes first (accounts.middleware.TwoFactorMiddleware)
    API + "privacy/",
    API + "openapi.json",
    API + "docs",
)
API_READ_EXEMPT = (API + "me",)  # GET only: who am I
PAGE_EXEMPT = (
    "/privacy/",
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/2fa/",
    "/i18n/",
    "/admin/login/",
    "/admin/logout/",
    "/favicon.ico",
)


def api_exempt(method: str, path: str) -> bool:
    """An API call the re-consent gate lets through (the OpenAPI document's 428s use it)."""
    if path.startswith(API_EXEMPT):
        return True
    return method.upper() in ("GET", "HEAD") and path.rstrip("/") in API_READ_EXEMPT


class PolicyAcceptanceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.static = static_prefixes()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if self._exempt(request, path):
            return self.get_response(request)
        is_api = path.startswith(API)
        user = bearer_user(request) if is_api else None
        if user is None:
            user = getattr(request, "user", None)
        pending = acceptance_pending(user) if user is not None else None
        if pending is None:
            return self.get_response(request)
        policy_url = reverse("privacy:policy")
        if is_api:
            return app_problem(
                request,
                AppError(PrivacyError.POLICY_ACCEPTANCE_REQUIRED, version=pending.version),
                extra={"policy_url": policy_url, "version": pending.version},
            )
        return gate_redirect(request, policy_url)

    def _exempt(self, request: HttpRequest, path: str) -> bool:
        if path.startswith(self.static) or path.startswith(PAGE_EXEMPT):
            return True
        return api_exempt(request.method or "", path)
