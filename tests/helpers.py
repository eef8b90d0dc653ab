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


def api_token(user, password: str = PASSWORD) -> str:
    """A bearer token for ``user``, obtained as a client would: POST /api/v1/auth/token."""
    from django.test import Client

    response = Client().post(
        "/api/v1/auth/token",
        {"email": user.email, "password": password},
        content_type="application/json",
    )
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
