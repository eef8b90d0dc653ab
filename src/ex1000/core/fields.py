"""Encrypted text at rest for identity-document numbers, with rotatable keys."""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty")
    return MultiFernet([Fernet(k.encode()) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


class DecryptionError(ValueError):
    """A stored value none of FIELD_ENCRYPTION_KEYS opens: a key was removed too early, or
    the data was tampered with. Loud on purpose: a silent None would read as "no number"."""


class EncryptedTextField(models.TextField):
    """Stores Fernet tokens; the first key in FIELD_ENCRYPTION_KEYS encrypts, all decrypt."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return fernet().encrypt(str(value).encode()).decode()

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        try:
            return fernet().decrypt(value.encode()).decode()
        except InvalidToken as exc:
            raise DecryptionError(
                f"{self.model._meta.label}.{self.name}: no key in FIELD_ENCRYPTION_KEYS "
                "decrypts the stored value"
            ) from exc


def rotate(token: str) -> str:
    """Re-encrypt a stored token under the current first key (used by key rotation)."""
    return fernet().rotate(token.encode()).decode()


def encrypted_fields():
    """Every (model, field) that stores Fernet tokens."""
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, EncryptedTextField)
    ]
