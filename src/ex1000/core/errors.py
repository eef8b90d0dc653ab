"""Stable error codes, the error services raise, and RFC 9457 problem JSON.

Each app declares its codes in ``<app>/error_codes.py`` as an ``ErrorCode`` enum: the
code (the API contract), its HTTP status and a translatable message template with named
parameters. Services raise ``AppError(Code.X, **params)``; the message is rendered only
when it is shown, in the language of whoever reads it (API ``detail``, a form on a page,
an email), so no layer ever parses or translates an English sentence back.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.functional import Promise

PROBLEM_BASE = "https://ex1000.example/problems/"


class ErrorCode(enum.StrEnum):
    """Base of every app's catalogue: ``NAME = "code", status, gettext_lazy("template")``."""

    status: int
    template: Promise | str

    def __new__(cls, code: str, status: int, template: Promise | str):
        member = str.__new__(cls, code)
        member._value_ = code
        member.status = status
        member.template = template
        return member

    def __str__(self) -> str:  # the code itself, e.g. in f-strings and JSON
        return self.value

    def render(self, params: Mapping[str, Any] | None = None) -> str:
        """The message in the active language, with its parameters filled in."""
        text = str(self.template)
        if params:
            try:
                return text % {k: _display(v) for k, v in params.items()}
            except (KeyError, ValueError, TypeError):
                return text
        return text


def _display(value: Any) -> Any:
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(str(_display(v)) for v in value)
    return value


class FieldError:
    """One message about one field: a code and its parameters, rendered when shown."""

    __slots__ = ("code", "params")

    def __init__(self, code: ErrorCode, **params: Any):
        self.code = code
        self.params = params

    def __str__(self) -> str:
        return self.code.render(self.params)

    def __repr__(self) -> str:
        return f"FieldError({self.code.value!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FieldError):
            return (self.code, self.params) == (other.code, other.params)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.code)


# A field message is a FieldError, a bare code, or an already translatable text
# (a Django validator's message, say).
FieldMessage = FieldError | ErrorCode | Promise | str


def render_message(message: FieldMessage) -> str:
    if isinstance(message, ErrorCode):
        return message.render()
    return str(message)


class AppError(Exception):
    """A business rule refused the change. ``errors`` names the fields it is about."""

    def __init__(
        self,
        code: ErrorCode,
        *,
        errors: Mapping[str, Iterable[FieldMessage]] | None = None,
        http_status: int | None = None,
        **params: Any,
    ):
        self.code = code
        self.params = params
        self.status = http_status or code.status
        self.errors: dict[str, list[FieldMessage]] = {
            field: list(messages) for field, messages in (errors or {}).items()
        }
        super().__init__(code.value)

    @property
    def detail(self) -> str:
        """The message in the active language."""
        return self.code.render(self.params)

    def rendered_errors(self) -> dict[str, list[str]]:
        """Field messages in the active language; a bare code takes this error's parameters."""
        return {
            field: [
                self.code.render(self.params) if m is self.code else render_message(m)
                for m in messages
            ]
            for field, messages in self.errors.items()
        }

    def __str__(self) -> str:
        return f"{self.code.value}: {self.detail}"


def problem(
    request: HttpRequest | None,
    status: int,
    detail: str = "",
    *,
    code: str | ErrorCode | None = None,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> HttpResponse:
    slug = str(code) if code else HTTPStatus(status).phrase.lower().replace(" ", "_")
    body: dict[str, Any] = {
        "type": f"{PROBLEM_BASE}{slug}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or HTTPStatus(status).description,
        "code": slug,
    }
    if errors:
        body["errors"] = errors
    if extra:
        body.update(extra)
    response = JsonResponse(body, status=status, content_type="application/problem+json")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


RETRY_AFTER_SECONDS = 60  # a 429 that does not know better


def app_problem(request: HttpRequest | None, exc: AppError, **kwargs: Any) -> HttpResponse:
    """The error as problem JSON; a 429 says when to come back (``Retry-After``: the
    error's ``retry_after`` parameter in seconds, else a minute)."""
    if exc.status == 429:
        headers = dict(kwargs.pop("headers", None) or {})
        headers.setdefault(
            "Retry-After", str(int(exc.params.get("retry_after") or RETRY_AFTER_SECONDS))
        )
        kwargs["headers"] = headers
    return problem(
        request,
        exc.status,
        exc.detail,
        code=exc.code,
        errors=exc.rendered_errors() or None,
        **kwargs,
    )


def errors_from_django(exc) -> dict[str, list[str]]:
    """Flatten a django.core.exceptions.ValidationError into field → messages."""
    if hasattr(exc, "error_dict"):
        return {
            ("detail" if name == "__all__" else name): [str(m) for e in errs for m in e.messages]
            for name, errs in exc.error_dict.items()
        }
    return {"detail": [str(m) for m in exc.messages]}


def all_error_codes() -> list[type[ErrorCode]]:
    """Every app's catalogue, for the test that renders each message in every language."""
    return _all_subclasses(ErrorCode)


def _all_subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_all_subclasses(sub))
    return found


def server_error_for(exc: BaseException | None) -> tuple[AppError, dict[str, str] | None]:
    """What an unexpected error answers: the database restarting or unreachable is a 503
    with Retry-After (clients retry), anything else a 500. For the API's handler and the
    pages' handler500 alike."""
    from django.db import InterfaceError, OperationalError

    from .error_codes import CoreError

    if isinstance(exc, OperationalError | InterfaceError):
        return AppError(CoreError.UNAVAILABLE), {"Retry-After": "5"}
    return AppError(CoreError.SERVER_ERROR), None
