"""The demo accounts' TOTP keys: derived from the email, so `make run` prints the same key
on every machine and anyone trying the demo can add it to an authenticator app."""

from __future__ import annotations

import hashlib
import time

from django_otp.oath import TOTP

DEMO_KEY_SALT = b"ex1000-demo-totp:"


def demo_totp_key(email: str) -> str:
    """20 bytes as hex, the form django-otp stores."""
    return hashlib.sha256(DEMO_KEY_SALT + email.lower().encode()).hexdigest()[:40]


def current_code(device) -> str:
    """The code the device's authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"
