"""What every page shares: a service's refusal on a form, in the visitor's language.

Services raise ``AppError(code, **params)``; its detail and field messages are rendered
in the active language when shown, so a page needs no lookup of English text.

"""

from __future__ import annotations

from django import forms
from django.forms.forms import NON_FIELD_ERRORS

from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError


def error_messages(exc: AppError) -> list[str]:
    """The detail, then each field message that says something else: for a flash message."""
    texts = [exc.detail]
    for messages in exc.rendered_errors().values():
        texts.extend(text for text in messages if text not in texts)
    return texts


def add_service_errors(form: forms.Form, exc: AppError) -> None:
    """Put a service's refusal on the form: field messages on their fields, the detail on top.

    The detail is left out when it repeats a field message, and the generic ``validation``
    detail when every field it names is on the form. A bound form may already show the
    same message (the service validated with the same form), so duplicates are skipped.
    """
    shown: list[str] = []
    all_on_form = True
    for field, messages in exc.rendered_errors().items():
        target = field if field in form.fields else None
        all_on_form = all_on_form and target is not None
        for text in messages:
            _add_once(form, target, text)
            shown.append(text)
    detail = exc.detail
    if detail in shown or (exc.code == CoreError.VALIDATION and exc.errors and all_on_form):
        return
    _add_once(form, None, detail)


def _add_once(form: forms.Form, field: str | None, text: str) -> None:
    if text not in form.errors.get(field or NON_FIELD_ERRORS, []):
        form.add_error(field, text)
