"""Input rules shared by the registration page, the profile page and the API."""

import phonenumbers

from ex1000.core.errors import AppError

from .error_codes import AccountError

UPLOAD_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def normalise_phone(value: str | None, country: str | None, field: str = "phone") -> str:
    """Return the number in E.164, or raise naming the field; blank stays blank."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, (country or "").upper() or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise AppError(AccountError.INVALID_PHONE, errors={field: [AccountError.INVALID_PHONE]})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def sniff_document_type(head: bytes) -> str | None:
    """The type by content, not by file name: PDF, JPEG and PNG only."""
    for signature, content_type in UPLOAD_SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None
