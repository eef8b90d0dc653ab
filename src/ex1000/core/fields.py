"""Encrypted text at rest for identity-document numbers, with rotatable keys."""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        derived = base64.urlsafe_b64encode(hashlib.sha256(secret_key.encode()).digest())
        keys = (derived.decode(),)
    return MultiFernet([Fernet(k.encode()) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS), settings.SECRET_KEY)


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
        except InvalidToken:
            return None


def rotate(token: str) -> str:
    """Re-encrypt a stored token under the current first key (used by key rotation)."""
    return fernet().rotate(token.encode()).decode()
