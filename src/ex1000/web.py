"""What every page shares: service errors on forms, in the visitor's language.

Services raise ``ServiceError`` with English details; many of them are plain strings,
not marked for translation. The pages translate them here: the fixed messages are
listed below (so ``makemessages`` collects them) and the few with a value inside are
matched by pattern.
"""

from __future__ import annotations

import re

from django import forms
from django.forms.forms import NON_FIELD_ERRORS
from django.utils.translation import gettext, gettext_noop

from ex1000.core.errors import ServiceError

SERVICE_MESSAGES = (
    # accounts
    gettext_noop("Unknown country."),
    gettext_noop("Use an ISO 3166 alpha-2 code, e.g. KZ."),
    gettext_noop("Invalid currency."),
    gettext_noop("Use an ISO 4217 code, e.g. USD."),
    gettext_noop("Invalid role."),
    gettext_noop("Register as buyer or supplier."),
    gettext_noop("Invalid email."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Company name is required."),
    gettext_noop("This field is required."),
    gettext_noop("An account with this email already exists."),
    gettext_noop("Password too weak."),
    gettext_noop("Unknown fields."),
    gettext_noop("Not an editable field."),
    gettext_noop("You have no company."),
    gettext_noop("Verified company data is locked; send a correction request to the operator."),
    gettext_noop("Locked after verification."),
    gettext_noop("Required."),
    gettext_noop("Only buyers and suppliers submit qualification documents."),
    gettext_noop("A file is required."),
    gettext_noop("File too large."),
    gettext_noop("Unsupported file type."),
    gettext_noop("Upload a PDF, JPEG or PNG file."),
    gettext_noop("Only operators decide verifications."),
    gettext_noop("Invalid decision."),
    gettext_noop("Choose approve or reject."),
    gettext_noop("A rejection needs a reason."),
    gettext_noop("Tell the user why."),
    gettext_noop("Verification request not found."),
    gettext_noop("Only suppliers manage listings."),
    gettext_noop("Your company must be verified before you can publish listings."),
    gettext_noop("Too many failed attempts; try again later."),
    gettext_noop("Invalid email or password."),
    gettext_noop("Invalid phone number."),
    gettext_noop("Enter a valid number with its country code, e.g. +86 138 0013 8000."),
    # privacy
    gettext_noop("No privacy policy has been published yet."),
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
        re.compile(r"^You must accept the current privacy policy \(version (?P<version>.+)\)\.$"),
        gettext_noop("You must accept the current privacy policy (version %(version)s)."),
    ),
    (re.compile(r"^must be (?P<version>.+)$"), gettext_noop("must be version %(version)s")),
    (
        re.compile(r"^This request was already (?P<status>\w+)\.$"),
        gettext_noop("This request was decided already."),
    ),
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
    (
        re.compile(r"^Choose one of: (?P<choices>.+)\.$"),
        gettext_noop("Choose one of: %(choices)s."),
    ),
    (re.compile(r"^Invalid (?P<field>\w+)\.$"), gettext_noop("Invalid value.")),
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
    """The message in the active language when we know it, else as the service wrote it."""
    text = str(message).strip()
    translated = gettext(text)
    if translated != text:
        return translated
    for pattern, template in PATTERNS:
        if match := pattern.match(text):
            return gettext(template) % match.groupdict()
    return text


def add_service_errors(form: forms.Form, exc: ServiceError) -> None:
    """Put a service's refusal on the form: per field where it names one, else on top.

    A bound form may already show the same message (the service validated with the same
    form), so duplicates are skipped.
    """
    placed = False
    for field, messages in (exc.errors or {}).items():
        target = field if field in form.fields else None
        for message in messages:
            text = translate(message)
            if text not in form.errors.get(target or NON_FIELD_ERRORS, []):
                form.add_error(target, text)
            placed = True
    if not placed or not any(field in form.fields for field in exc.errors or {}):
        detail = translate(exc.detail)
        if detail not in form.errors.get(NON_FIELD_ERRORS, []):
            form.add_error(None, detail)
