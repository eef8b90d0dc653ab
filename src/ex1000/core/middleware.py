from django.http import HttpRequest, HttpResponse

from .error_codes import CoreError
from .errors import AppError, app_problem

API_PREFIX = "/api/"


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
