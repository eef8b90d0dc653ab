"""The last-resort error page (urls.handler500, used with DEBUG off): the API keeps
speaking problem JSON, and a database that is restarting is a 503 with Retry-After —
clients and browsers retry — rather than a 500."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

from .error_codes import CoreError
from .errors import AppError, app_problem

API_PREFIX = "/api/"


def server_error(request: HttpRequest) -> HttpResponse:
    exc = sys.exc_info()[1]
    unavailable = isinstance(exc, OperationalError | InterfaceError)
    error = AppError(CoreError.UNAVAILABLE if unavailable else CoreError.SERVER_ERROR)
    headers = {"Retry-After": "5"} if unavailable else None
    if request.path.startswith(API_PREFIX):
        return app_problem(request, error, headers=headers)
    # No template, no database, no translation catalogue that could fail again here.
    response = HttpResponse(
        f"<!doctype html><title>EX1000</title><p>{error.detail}</p>",
        status=error.status,
        content_type="text/html; charset=utf-8",
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
