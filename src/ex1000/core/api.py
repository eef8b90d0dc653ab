"""What every router shares: authentication, problem JSON, pagination."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, Any, NamedTuple

from django.conf import settings
from django.core.exceptions import (
    ImproperlyConfigured,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer, SessionAuth
from pydantic import AfterValidator, Field

from . import ratelimit
from .error_codes import CoreError
from .errors import (
    AppError,
    FieldError,
    app_problem,
    errors_from_django,
    problem,
    server_error_for,
)
from .http import client_ip

logger = logging.getLogger(__name__)


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <token>`. The tokens are accounts': it sets `lookup` when
    Django loads it (AccountsConfig.ready), so core imports none of the apps above it
    while every app's router (privacy and notifications too) can require a login."""

    lookup: Callable[[str], Any] | None = None

    def authenticate(self, request: HttpRequest, token: str):
        if self.lookup is None:
            raise ImproperlyConfigured("No bearer token lookup: is ex1000.accounts installed?")
        user = _user_of_token(request, token)
        if user is not None:
            request.user = user
            request.bearer_token = token
        return user


class SessionCookieAuth(SessionAuth):
    """The web UI's session cookie, with CSRF — checked only when there is a logged-in
    session: a caller with no session (a client whose bearer token is missing or wrong)
    is unauthenticated, a 401 with WWW-Authenticate, not a CSRF 403."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


bearer_auth = BearerAuth()


def bearer_user(request: HttpRequest):
    """The user of the request's bearer token (None without a valid one), looked up once:
    the gates in middleware (two-factor, policy acceptance) and BearerAuth share it."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token or bearer_auth.lookup is None:
        return None
    return _user_of_token(request, token)


def _user_of_token(request: HttpRequest, token: str):
    """accounts' lookup, once per request and token."""
    earlier = getattr(request, "bearer_lookup", None)
    if earlier is not None and earlier[0] == token:
        return earlier[1]
    user = bearer_auth.lookup(token)
    request.bearer_lookup = (token, user)
    return user


session_auth = SessionCookieAuth()
# Integrators send a bearer token; the web UI uses the session cookie with CSRF.
user_auth = [bearer_auth, session_auth]


def limit_anonymous(request: HttpRequest, bucket: str) -> None:
    """An expensive endpoint open to visitors (search, the estimate of up to 50 cars):
    settings.ANONYMOUS_RATE_LIMITS[bucket] requests a minute per address, then 429 with
    Retry-After. Signed-in callers are not limited here."""
    if getattr(request.user, "is_authenticated", False):
        return
    if bearer_auth(request) is not None:  # an open endpoint, called with a valid token
        return
    ip = client_ip(request)
    limit = settings.ANONYMOUS_RATE_LIMITS.get(bucket)
    if not ip or not limit:
        return
    wait = ratelimit.consume(f"anon-{bucket}", ip, limit=limit, window=60)
    if wait:
        raise AppError(CoreError.RATE_LIMITED, retry_after=wait)


class Rendered(NamedTuple):
    """An answer as the API sends it, kept whole in the cache (catalog's search)."""

    content: bytes
    count: int

    def response(self) -> HttpResponse:
        return HttpResponse(self.content, content_type=JSON_CONTENT_TYPE)


JSON_CONTENT_TYPE = f"{JSONRenderer.media_type}; charset={JSONRenderer.charset}"


def rendered(schema: type[Schema], data: Any, count: int = 0) -> Rendered:
    """``data`` validated by its response ``schema`` and in JSON, as django-ninja answers it
    (the handler then returns ``.response()``, which ninja passes through as it is)."""
    answer = schema.model_validate(data).model_dump()
    return Rendered(JSONRenderer().render(None, answer, response_status=200), count)


def operator_only(request: HttpRequest) -> None:
    if not request.user.is_staff:
        raise AppError(CoreError.OPERATORS_ONLY)


MAX_PAGE_SIZE = 100

# A database id: beyond 64 bits no row can exist, and SQLite or PostgreSQL would raise (500)
# on the lookup instead of answering; the range makes it a 422 before any query.
ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class PageParams(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


def paginate(queryset, page: int, page_size: int) -> tuple[list[Any], dict[str, int]]:
    count = queryset.count()
    start = (page - 1) * page_size
    return list(queryset[start : start + page_size]), {
        "count": count,
        "page": page,
        "page_size": page_size,
    }


_SOURCES = ("body", "query", "path", "form", "file", "header", "cookie")
_CONTAINERS = ("payload", "data", "filters", "params", "paging")


def _location(error: dict) -> str:
    """The field an error is about: ninja locations look like ("body", "payload", "email")
    or ("query", "year_min"); a schema-wide rule may name its field in ctx["field"]."""
    parts = [str(p) for p in error.get("loc", ())]
    if parts and parts[0] in _SOURCES:  # where it came from, e.g. ("file", "file")
        parts = parts[1:]
    if parts and parts[0] in _CONTAINERS:  # the schema parameter holding the fields
        parts = parts[1:]
    ctx = error.get("ctx")
    if not parts and isinstance(ctx, dict) and isinstance(ctx.get("field"), str):
        return ctx["field"]
    return ".".join(parts) or "detail"


# pydantic's error types → our field messages, so `errors` reads in the caller's language
# like everything else (pydantic's own texts are English only).
_BY_TYPE = {
    "missing": CoreError.REQUIRED,
    "int_parsing": CoreError.INVALID_NUMBER,
    "int_type": CoreError.INVALID_NUMBER,
    "int_from_float": CoreError.INVALID_NUMBER,
    "float_parsing": CoreError.INVALID_NUMBER,
    "float_type": CoreError.INVALID_NUMBER,
    "decimal_parsing": CoreError.INVALID_NUMBER,
    "decimal_type": CoreError.INVALID_NUMBER,
    "finite_number": CoreError.INVALID_NUMBER,
    "bool_parsing": CoreError.INVALID_BOOLEAN,
    "bool_type": CoreError.INVALID_BOOLEAN,
    "datetime_parsing": CoreError.INVALID_DATETIME,
    "datetime_from_date_parsing": CoreError.INVALID_DATETIME,
    "datetime_type": CoreError.INVALID_DATETIME,
    "date_parsing": CoreError.INVALID_DATE,
    "date_from_datetime_parsing": CoreError.INVALID_DATE,
    "date_type": CoreError.INVALID_DATE,
    "string_pattern_mismatch": CoreError.INVALID_FORMAT,
    "url_parsing": CoreError.INVALID_FORMAT,
    "url_scheme": CoreError.INVALID_FORMAT,
    "string_type": CoreError.WRONG_TYPE,
    "list_type": CoreError.WRONG_TYPE,
    "dict_type": CoreError.WRONG_TYPE,
    "model_type": CoreError.WRONG_TYPE,
    "model_attributes_type": CoreError.WRONG_TYPE,
}


def field_message(error: dict) -> FieldError:
    """One pydantic error as a code of the catalogue, with its limits as parameters."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") if isinstance(error.get("ctx"), dict) else {}
    if kind in _BY_TYPE:
        return FieldError(_BY_TYPE[kind])
    if kind == "string_too_long":
        return FieldError(CoreError.TOO_LONG, count=ctx.get("max_length", ""))
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return FieldError(CoreError.REQUIRED)
        return FieldError(CoreError.TOO_SHORT, count=ctx.get("min_length", ""))
    if kind == "too_long":
        return FieldError(CoreError.TOO_MANY_ITEMS, count=ctx.get("max_length", ""))
    if kind == "too_short":
        return FieldError(CoreError.TOO_FEW_ITEMS, count=ctx.get("min_length", ""))
    if kind in ("greater_than_equal", "greater_than"):
        return FieldError(CoreError.AT_LEAST, limit=ctx.get("ge", ctx.get("gt", "")))
    if kind in ("less_than_equal", "less_than"):
        return FieldError(CoreError.AT_MOST, limit=ctx.get("le", ctx.get("lt", "")))
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "")
        return FieldError(CoreError.INVALID_CHOICE, choices=expected)
    return FieldError(CoreError.INVALID_VALUE)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def on_validation(request, exc):
        errors: dict[str, list[FieldError]] = {}
        for error in exc.errors:
            errors.setdefault(_location(error), []).append(field_message(error))
        return app_problem(request, AppError(CoreError.VALIDATION, errors=errors))

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request, exc):
        return app_problem(request, AppError(CoreError.TOO_LARGE))

    @api.exception_handler(MultiPartParserError)
    def on_bad_multipart(request, exc):
        return app_problem(request, AppError(CoreError.MALFORMED))

    @api.exception_handler(SuspiciousOperation)
    def on_suspicious(request, exc):  # too many fields or files, a malformed header…
        return app_problem(request, AppError(CoreError.MALFORMED))

    @api.exception_handler(AppError)
    def on_app_error(request, exc: AppError):
        return app_problem(request, exc)

    @api.exception_handler(DjangoValidationError)
    def on_django_validation(request, exc):
        return app_problem(request, AppError(CoreError.VALIDATION, errors=errors_from_django(exc)))

    @api.exception_handler(AuthenticationError)
    def on_auth(request, exc):
        return app_problem(
            request,
            AppError(CoreError.NOT_AUTHENTICATED),
            headers={"WWW-Authenticate": 'Bearer realm="ex1000"'},
        )

    @api.exception_handler(Http404)
    def on_404(request, exc):
        return app_problem(request, AppError(CoreError.NOT_FOUND))

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        if exc.status_code == 400:  # ninja could not parse the body: say so, not its parser
            return app_problem(request, AppError(CoreError.MALFORMED))
        return problem(request, exc.status_code, str(exc))

    @api.exception_handler(DatabaseError)
    def on_database_down(request, exc):
        """The database restarting or unreachable: 503 with Retry-After, so clients retry;
        any other database error stays a logged 500."""
        error, headers = server_error_for(exc)
        if headers:
            logger.warning("database unavailable: %s", exc)
        else:
            logger.exception("database error", exc_info=exc)
        return app_problem(request, error, headers=headers)

    @api.exception_handler(Exception)
    def on_unexpected(request, exc):
        logger.exception("unhandled API error", exc_info=exc)
        return app_problem(request, AppError(CoreError.SERVER_ERROR))


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


# Text from the outside world; PostgreSQL refuses NUL bytes, so refuse them first (422). The
# OpenAPI document says so (a pattern in the schema only: the validator gives the message).
Text = Annotated[str, AfterValidator(_no_nul), Field(json_schema_extra={"pattern": "^[^\\x00]*$"})]

# An address Django's validate_email accepts, for the document only (services validate and
# answer invalid_email): a conservative subset, so generated "valid" addresses are valid.
EMAIL_PATTERN = (
    r"^[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
