from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .error_codes import CoreError
from .errors import AppError, app_problem

API_PREFIX = "/api/"


def static_prefixes() -> tuple[str, ...]:
    """Where static files and public media are served: no gate stands before them."""
    return tuple(
        "/" + p.lstrip("/") for p in (settings.STATIC_URL, settings.MEDIA_URL) if p and p != "/"
    )


class ApiMethodNotAllowedMiddleware:
    """django-ninja answers a wrong method with plain text; the API speaks problem JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and request.path.startswith(API_PREFIX):
            allowed = response.get("Allow", "")
            return app_problem(
                request,
                AppError(CoreError.METHOD_NOT_ALLOWED, method=request.method, allowed=allowed),
                headers={"Allow": allowed} if allowed else None,
            )
        return response


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set (settings.CONTENT_SECURITY_POLICY,
    settings.PERMISSIONS_POLICY), and ``Cache-Control: private, no-store`` on every answer
    to a signed-in caller (session or bearer token): a shared cache or the browser's
    back button must never show one person's page or JSON to another."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        self.permissions = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.csp and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.csp
        if self.permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False) and "no-store" not in response.get(
            "Cache-Control", ""
        ):
            response["Cache-Control"] = "private, no-store"
        return response
