"""django-axes hooks: one username for the page, the admin and the API; a friendly lockout."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render


def username_of(request, credentials: dict | None = None) -> str:
    """The email being tried, however it arrived (form field, admin ``username``, API body).

    Lower-cased so that changing the case of an address does not reset the failure count.
    """
    credentials = credentials or {}
    for value in (credentials.get("email"), credentials.get("username")):
        if value:
            return str(value).strip().lower()
    data = _form_data(request)
    for value in (data.get("email"), data.get("username")):
        if value:
            return str(value).strip().lower()
    return ""


def _form_data(request) -> dict:
    # Read the form only when the credentials lack the email: an API body with a broken
    # multipart header would otherwise raise here, inside authenticate(), as a 500.
    try:
        return getattr(request, "POST", None) or {}
    except (MultiPartParserError, RequestDataTooBig, UnicodeDecodeError, ValueError):
        return {}


def lockout_response(request, original_response=None, credentials: dict | None = None):
    """The API keeps its problem JSON (429); pages get an explanation instead of a bare text."""
    if request.path.startswith("/api/") and original_response is not None:
        return original_response
    seconds = cool_off_seconds()
    minutes = round(seconds / 60) if seconds is not None else None
    response = render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(lockout_seconds())
    return response


def cool_off_seconds() -> int | None:
    """django-axes' cool-off (AXES_COOLOFF_TIME, in hours) in seconds; None when unset."""
    cool_off = getattr(settings, "AXES_COOLOFF_TIME", None)
    return round(cool_off * 3600) if isinstance(cool_off, int | float) else None


def lockout_seconds() -> int:
    """How long a locked-out login waits: the cool-off, else 15 minutes."""
    seconds = cool_off_seconds()
    return seconds if seconds is not None else 900


def lockout_warning(request, email: str):
    """The field message a failed login gets when one more failure locks the account (the
    same for an unknown address: django-axes counts those too, so it reveals nothing)."""
    from ex1000.core.errors import FieldError

    from .error_codes import AccountError

    if not getattr(settings, "AXES_ENABLED", True):
        return None
    from axes.handlers.proxy import AxesProxyHandler

    failures = AxesProxyHandler.get_failures(request, {"email": (email or "").strip().lower()})
    if settings.AXES_FAILURE_LIMIT - failures != 1:
        return None
    return FieldError(AccountError.LOCKOUT_WARNING, minutes=round(lockout_seconds() / 60))
