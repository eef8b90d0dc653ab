"""The last-resort error page (urls.handler500, used with DEBUG off): the API keeps
speaking problem JSON, and a database that is restarting is a 503 with Retry-After —
clients and browsers retry — rather than a 500."""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse

from .errors import app_problem, server_error_for
from .middleware import API_PREFIX


def server_error(request: HttpRequest) -> HttpResponse:
    error, headers = server_error_for(sys.exc_info()[1])
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
