"""Headers every answer carries (issue 9, Headers): a Content-Security-Policy that allows
only our own scripts, a Permissions-Policy, and no-store on whatever a signed-in caller
gets — the browser's back button or a shared cache never shows one person's data."""

from __future__ import annotations

import pytest

from tests.factories import BuyerFactory

pytestmark = pytest.mark.django_db


def test_pages_carry_a_csp_without_inline_scripts_and_a_permissions_policy(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-eval" not in csp
    assert directives["object-src"] == "'none'"
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" not in response.get("Cache-Control", "")  # public, anonymous


def test_every_answer_to_a_signed_in_user_is_no_store(client, login_api):
    buyer = BuyerFactory()
    client.force_login(buyer)
    for path in ("/", "/orders/", "/accounts/profile/", "/messages/", "/api/v1/me"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "private, no-store", path
    api = login_api(BuyerFactory())
    assert api.get("me")["Cache-Control"] == "private, no-store"  # bearer token


def test_public_api_answers_stay_cacheable_for_visitors(client):
    response = client.get("/api/v1/vehicles")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
