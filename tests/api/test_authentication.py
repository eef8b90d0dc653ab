"""Who is asking (api.md, Auth): a client with no valid credentials gets 401 with
WWW-Authenticate on writes too, never the CSRF 403 meant for logged-in browsers; a browser
session without its CSRF token still gets 403."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import BuyerFactory
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db

WRITES = ["/api/v1/inquiries", "/api/v1/me/documents", "/api/v1/privacy/requests"]


@pytest.mark.parametrize("path", WRITES)
@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Basic dXNlcjpwdw=="])
def test_a_write_without_valid_credentials_is_401_with_www_authenticate(path, authorization):
    client = Client(enforce_csrf_checks=True)
    headers = {"Authorization": authorization} if authorization else {}
    response = client.post(path, {}, content_type="application/json", headers=headers)
    assert assert_problem(response, 401)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_logged_in_browser_without_the_csrf_token_is_still_refused():
    client = Client(enforce_csrf_checks=True)
    client.force_login(BuyerFactory())
    response = client.post("/api/v1/inquiries", {}, content_type="application/json")
    assert_problem(response, 403)


def test_a_valid_bearer_token_needs_no_csrf_token():
    from tests.factories import PASSWORD

    buyer = BuyerFactory()
    client = Client(enforce_csrf_checks=True)
    token = client.post(
        "/api/v1/auth/token",
        {"email": buyer.email, "password": PASSWORD},
        content_type="application/json",
    ).json()["token"]
    response = client.post(
        "/api/v1/privacy/requests",
        {"type": "nope"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422  # reached the endpoint: validation, not auth
