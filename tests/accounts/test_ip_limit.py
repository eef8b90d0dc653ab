"""One address trying many accounts (issue 9, Abuse limits): django-axes locks an account
after its own failures; LOGIN_IP_FAILURE_LIMIT failed logins from one IP, whichever the
accounts, make that address wait — on the API and on the login page, with Retry-After."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, BuyerFactory
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db


def _token(client, email, password, ip="198.51.100.7"):
    return client.post(
        "/api/v1/auth/token",
        {"email": email, "password": password},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def test_twenty_accounts_from_one_address_are_limited(settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 20
    client = Client()
    for n in range(20):
        assert _token(client, f"guess{n}@example.org", "Wrong-Horse-42").status_code == 401
    honest = BuyerFactory()
    limited = _token(client, honest.email, PASSWORD)  # even a right password waits now
    assert assert_problem(limited, 429)["code"] == "rate_limited"
    assert 0 < int(limited["Retry-After"]) <= settings.LOGIN_IP_WINDOW_SECONDS
    # Another address is not affected, and nobody's account is locked by it.
    assert _token(client, honest.email, PASSWORD, ip="203.0.113.9").status_code == 200


def test_the_login_page_shares_the_count_and_says_when_to_come_back(settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 3
    client = Client(REMOTE_ADDR="198.51.100.8")
    for n in range(3):
        page = client.post(
            reverse("accounts:login"), {"email": f"g{n}@example.org", "password": "nope"}
        )
        assert page.status_code == 200
    honest = BuyerFactory()
    page = client.post(reverse("accounts:login"), {"email": honest.email, "password": PASSWORD})
    assert page.status_code == 429
    assert int(page["Retry-After"]) > 0
    assert "Too many requests" in page.content.decode()
    assert "_auth_user_id" not in client.session
