"""RFC 9457 problem details for the API, and the error services raise."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse


class ServiceError(Exception):
    """A business rule refused the change; the API maps it to problem JSON."""

    status = 400
    code = "invalid"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        status: int | None = None,
        errors: dict[str, list[str]] | None = None,
    ):
        super().__init__(detail)
        self.detail = detail
        self.code = code or self.code
        self.status = status or self.status
        self.errors = errors or {}


class ValidationFailed(ServiceError):
    status = 422
    code = "validation"


class PermissionDenied(ServiceError):
    status = 403
    code = "forbidden"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


def problem(
    request: HttpRequest | None,
    status: int,
    detail: str = "",
    *,
    code: str | None = None,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    slug = code or HTTPStatus(status).phrase.lower().replace(" ", "-")
    body: dict[str, Any] = {
        "type": f"https://ex1000.example/problems/{slug}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or HTTPStatus(status).description,
    }
    if errors:
        body["errors"] = errors
    response = JsonResponse(body, status=status, content_type="application/problem+json")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def errors_from_django(exc) -> dict[str, list[str]]:
    """Flatten a django.core.exceptions.ValidationError into field → messages."""
    if hasattr(exc, "error_dict"):
        return {
            ("detail" if name == "__all__" else name): [str(m) for e in errs for m in e.messages]
            for name, errs in exc.error_dict.items()
        }
    return {"detail": [str(m) for m in exc.messages]}
