"""What every page shares: a service's refusal on a form, in the visitor's language.

Services raise ``AppError(code, **params)``; its detail and field messages are rendered
in the active language when shown, so a page needs no lookup of English text.

Legacy ``ServiceError`` (still raised by apps not yet on the error catalogue) carries English
details; ``translate()`` looks them up or matches them by pattern. That fallback, with
``SERVICE_MESSAGES`` and ``PATTERNS``, is deleted when the last legacy raise is gone.
"""

from __future__ import annotations

import re

from django import forms
from django.forms.forms import NON_FIELD_ERRORS
from django.utils.translation import gettext, gettext_noop

from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError, ServiceError

SERVICE_MESSAGES = (
    # shared by the catalogue and quotations
    gettext_noop("This field is required."),
    gettext_noop("Required."),
    gettext_noop("A file is required."),
    gettext_noop("File too large."),
    gettext_noop("Only suppliers manage listings."),
    # catalogue
    gettext_noop("The listing has invalid fields."),
    gettext_noop("A reserved or sold listing cannot be edited."),
    gettext_noop("A reserved or sold listing cannot be withdrawn."),
    gettext_noop("A photo is required."),
    gettext_noop("Choose an image."),
    gettext_noop("Photo too large."),
    gettext_noop("At most 10 MB."),
    gettext_noop("Not an image we can read."),
    gettext_noop("Upload a JPEG, PNG or WebP photo."),
    gettext_noop("Photo too small."),
    gettext_noop("Photo dimensions too large."),
    gettext_noop("At least 200 px a side."),
    gettext_noop("Unsupported file."),
    gettext_noop("Upload a .csv or .xlsx file."),
    gettext_noop("Choose a CSV or XLSX."),
    gettext_noop("The CSV is not UTF-8 or GB18030 text."),
    gettext_noop("The file is not a readable XLSX workbook."),
    gettext_noop("The import stopped unexpectedly; rows before this point were imported."),
    gettext_noop("VIN check digit (9th character) does not match."),
    gettext_noop("VIN number must only contain alphanumeric symbols except 'I', 'O', and 'Q'"),
    # quotations
    gettext_noop("No rate book has been imported yet."),
    gettext_noop("Some fields are too long."),
    gettext_noop("Unknown insurance cover."),
    gettext_noop("Use true, false or a cover of the rate book, e.g. ICC-A."),
    gettext_noop("The total is too large to quote; ask for fewer vehicles at once."),
    gettext_noop("Name at least one vehicle."),
    gettext_noop("Unknown vehicle."),
    gettext_noop("Quantities start at 1."),
    gettext_noop("At least 1."),
    gettext_noop("Some vehicles cannot be asked for."),
    gettext_noop("Send one inquiry per supplier."),
    gettext_noop("Only buyers send inquiries."),
    gettext_noop("Adjustment label too long."),
    gettext_noop("Invalid adjustment amount."),
    gettext_noop("A decimal amount in the quote currency."),
    gettext_noop("Only the supplier revises its quotations."),
    gettext_noop("The adjustments would bring the total to zero or below."),
    gettext_noop("The total must stay above zero."),
    gettext_noop("Only the buyer who asked accepts a quotation."),
    gettext_noop("This inquiry has already been accepted."),
    gettext_noop("This quotation has already been accepted."),
)

# Messages with a value inside: (pattern, translatable template with the same names).
PATTERNS = (
    (
        re.compile(r"^At most (?P<count>\d+) rows per file\.$"),
        gettext_noop("At most %(count)s rows per file."),
    ),
    (
        re.compile(r"^VIN number requires 17 chars \((?P<count>\d+) given\)$"),
        gettext_noop("A VIN has 17 characters (%(count)s given)."),
    ),
    (
        re.compile(r"^At most (?P<count>\d+) megapixels\.$"),
        gettext_noop("At most %(count)s megapixels."),
    ),
    (
        re.compile(r"^At least (?P<count>\d+) px a side\.$"),
        gettext_noop("At least %(count)s px a side."),
    ),
    (
        re.compile(r"^The CSV cannot be read: (?P<reason>.+)\.$"),
        gettext_noop("The CSV cannot be read: %(reason)s."),
    ),
    # quotations
    (
        re.compile(r"^At most (?P<count>\d+) characters\.$"),
        gettext_noop("At most %(count)s characters."),
    ),
    (
        re.compile(r"^At most (?P<count>\d+) vehicles per inquiry\.$"),
        gettext_noop("At most %(count)s vehicles per inquiry."),
    ),
    (
        re.compile(r"^At most (?P<count>\d+) adjustments\.$"),
        gettext_noop("At most %(count)s adjustments."),
    ),
    (
        re.compile(r"^Vehicle (?P<vehicle>\d+) is listed twice; give it one quantity\.$"),
        gettext_noop("Vehicle %(vehicle)s is listed twice; give it one quantity."),
    ),
    (
        re.compile(r"^Vehicle (?P<vehicle>\d+) is not available\.$"),
        gettext_noop("Vehicle %(vehicle)s is not available."),
    ),
    (
        re.compile(r"^Vehicle (?P<vehicle>\d+): only (?P<count>\d+) (available|left)\.$"),
        gettext_noop("Vehicle %(vehicle)s: only %(count)s available."),
    ),
    (
        re.compile(r"^Vehicle (?P<vehicle>\d+) is no longer offered\.$"),
        gettext_noop("Vehicle %(vehicle)s is no longer offered."),
    ),
    (
        re.compile(r"^These vehicles come from (?P<count>\d+) different suppliers; "),
        gettext_noop(
            "These vehicles come from %(count)s different suppliers; send one inquiry per supplier."
        ),
    ),
    (
        re.compile(r"^This inquiry is (?P<status>\w+)(; it can no longer be revised)?\.$"),
        gettext_noop("This inquiry is no longer open."),
    ),
    (
        re.compile(r"^A newer version exists \(version (?P<version>\d+)\); accept that one\.$"),
        gettext_noop("A newer version exists (version %(version)s); accept that one."),
    ),
    (
        re.compile(r"^This quotation expired on (?P<date>[\d-]+); "),
        gettext_noop("This quotation expired on %(date)s; ask the supplier for a new version."),
    ),
)


def translate(message) -> str:
    """Legacy ServiceError text in the active language when we know it, else as written.

    Deleted with the last legacy raise; an AppError is rendered, never translated back.
    """
    text = str(message).strip()
    translated = gettext(text)
    if translated != text:
        return translated
    for pattern, template in PATTERNS:
        if match := pattern.match(text):
            return gettext(template) % match.groupdict()
    return text


def error_messages(exc: AppError) -> list[str]:
    """The detail, then each field message that says something else: for a flash message."""
    texts = [exc.detail]
    for messages in exc.rendered_errors().values():
        texts.extend(text for text in messages if text not in texts)
    return texts


def add_service_errors(form: forms.Form, exc: AppError | ServiceError) -> None:
    """Put a service's refusal on the form: field messages on their fields, the detail on top.

    The detail is left out when it repeats a field message, and the generic ``validation``
    detail when every field it names is on the form. A bound form may already show the
    same message (the service validated with the same form), so duplicates are skipped.
    """
    if isinstance(exc, ServiceError):
        _add_legacy_errors(form, exc)
        return
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


def _add_legacy_errors(form: forms.Form, exc: ServiceError) -> None:
    """Legacy ServiceError: deleted when the last legacy raise is gone."""
    placed = False
    for field, messages in (exc.errors or {}).items():
        target = field if field in form.fields else None
        for message in messages:
            _add_once(form, target, translate(message))
            placed = True
    if not placed or not any(field in form.fields for field in exc.errors or {}):
        _add_once(form, None, translate(exc.detail))
