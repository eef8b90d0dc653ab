"""Assertions and payloads shared by the API tests."""

from __future__ import annotations

import io

from PIL import Image

from tests.factories import PASSWORD, new_vin

PROBLEM_JSON = "application/problem+json"


def assert_problem(response, status: int, *fields: str) -> dict:
    """The response is RFC 9457 problem JSON with this status, naming these fields."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM_JSON), response["Content-Type"]
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://")
    assert body["title"] and body["detail"]
    for field in fields:
        assert field in body.get("errors", {}), body
        assert all(isinstance(m, str) and m for m in body["errors"][field])
    return body


def totp_code(user) -> str | None:
    """The code ``user``'s authenticator app shows now (None without two-factor).

    django-otp refuses a code of a time step it accepted already (no replay); a test that
    logs the same user in twice within 30 s is a person waiting for the next code, so the
    device forgets its last step first.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ex1000.demo.two_factor import current_code

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return None
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return current_code(device)


def token_response(email: str, password: str = PASSWORD, otp: str | None = None):
    """POST /api/v1/auth/token from a fresh client, as an integrator logs in."""
    from django.test import Client

    body = {"email": email, "password": password} | ({"otp": otp} if otp else {})
    return Client().post("/api/v1/auth/token", body, content_type="application/json")


def api_token(user, password: str = PASSWORD) -> str:
    """A bearer token for ``user``, obtained as a client would (with the authenticator's
    code when two-factor is on)."""
    response = token_response(user.email, password, totp_code(user))
    assert response.status_code == 200, response.content
    return response.json()["token"]


def listing_payload(**overrides) -> dict:
    """A complete, valid POST /api/v1/vehicles body (a 2021 Camry in Hangzhou)."""
    payload = {
        "make": "Toyota",
        "model": "Camry",
        "variant": "2.5G Luxury",
        "year": 2021,
        "vin": new_vin(),
        "mileage_km": 40000,
        "fuel": "petrol",
        "transmission": "automatic",
        "drive": "fwd",
        "body_type": "sedan",
        "steering": "LHD",
        "length_mm": 4885,
        "width_mm": 1840,
        "height_mm": 1455,
        "city": "Hangzhou",
        "price": {"amount": "135000", "currency": "CNY"},
        "quantity": 2,
        "status": "published",
    }
    payload.update(overrides)
    return payload


def image_bytes(size=(800, 600), fmt="JPEG", colour="navy", **save_args) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt, **save_args)
    return buffer.getvalue()


def code_for_secret(secret: str) -> str:
    """What an authenticator app shows now for a key typed into it (base32, any spacing)."""
    import base64
    import time

    from django_otp.oath import TOTP

    secret = "".join(secret.split()).upper()
    totp = TOTP(base64.b32decode(secret + "=" * (-len(secret) % 8)))
    totp.time = time.time()
    return f"{totp.token():06d}"


def enrol_through_page(client) -> list[str]:
    """Set up two-factor as a person does on /accounts/2fa/: read the key off the page, type
    the app's code. Returns the recovery codes the page shows."""
    import re

    page = client.get("/accounts/2fa/").content.decode()
    secret = re.search(r"<code class=\"secret\" data-secret>([A-Z2-7 ]+)</code>", page).group(1)
    response = client.post("/accounts/2fa/", {"action": "confirm", "otp": code_for_secret(secret)})
    assert response.status_code == 200, response.content.decode()
    return re.findall(r"<li><bdi class=\"ltr\"><code>([^<]+)</code>", response.content.decode())
