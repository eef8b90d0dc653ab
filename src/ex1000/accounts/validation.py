"""Input rules shared by the registration page, the profile page and the API."""

import phonenumbers
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import ngettext

from ex1000.core.errors import AppError

from .error_codes import AccountError


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


class MaximumLengthValidator:
    """Django's password validators set a minimum only; a 10,000-character "password" costs
    the server an Argon2 hash of it, and nobody types one (issue 9: 12–128 characters)."""

    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise DjangoValidationError(
                ngettext(
                    "This password is too long. It must contain at most %(max_length)d character.",
                    "This password is too long. It must contain at most %(max_length)d characters.",
                    self.max_length,
                ),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self) -> str:
        return ngettext(
            "Your password can contain at most %(max_length)d character.",
            "Your password can contain at most %(max_length)d characters.",
            self.max_length,
        ) % {"max_length": self.max_length}
