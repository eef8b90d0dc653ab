"""Email change (issue 9): asked with the password, it takes effect only when the new
address opens the link mailed to it; the old address is told both times."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from tests.factories import PASSWORD, BuyerFactory
from tests.helpers import assert_problem, token_response

pytestmark = pytest.mark.django_db
NEW = "dana.new@almaty-motors.kz"


def _token(address: str) -> str:
    (message,) = [m for m in mail.outbox if address in m.to and "/accounts/email/" in m.body]
    return re.search(r"/accounts/email/confirm/(\S+)/", message.body).group(1)


def test_the_new_address_logs_in_only_once_it_confirmed(
    login_api, django_capture_on_commit_callbacks
):
    buyer = BuyerFactory(email="dana@almaty-motors.kz", language="ru")
    api = login_api(buyer)
    with django_capture_on_commit_callbacks(execute=True):
        asked = api.post(
            "me/email", {"new_email": " Dana.New@Almaty-Motors.kz ", "password": PASSWORD}
        )
    assert asked.status_code == 202, asked.content
    assert NEW in asked.json()["detail"]
    # The old address is warned (in the user's language); nothing changed yet.
    (warning,) = [m for m in mail.outbox if m.to == ["dana@almaty-motors.kz"]]
    assert NEW in warning.body and "EX1000" in warning.subject
    assert token_response("dana@almaty-motors.kz").status_code == 200
    assert token_response(NEW).status_code == 401

    token = _token(NEW)
    assert "@" not in token  # no address in the link (it ends up in access logs)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = Client().post(
            "/api/v1/auth/email-change/confirm", {"token": token}, content_type="application/json"
        )
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["email"] == NEW and confirmed.json()["email_verified"] is True
    assert token_response(NEW).status_code == 200
    assert token_response("dana@almaty-motors.kz").status_code == 401
    (done,) = mail.outbox
    assert done.to == ["dana@almaty-motors.kz"] and NEW in done.body
    # The link works once.
    again = Client().post(
        "/api/v1/auth/email-change/confirm", {"token": token}, content_type="application/json"
    )
    assert assert_problem(again, 422)["code"] == "link_invalid"


def test_a_change_needs_the_password_a_free_valid_new_address(login_api):
    buyer = BuyerFactory()
    other = BuyerFactory()
    api = login_api(buyer)
    wrong = api.post("me/email", {"new_email": NEW, "password": "not-it"})
    assert assert_problem(wrong, 422, "password")["code"] == "current_password_wrong"
    taken = api.post("me/email", {"new_email": other.email.upper(), "password": PASSWORD})
    assert assert_problem(taken, 409, "new_email")["code"] == "email_taken"
    same = api.post("me/email", {"new_email": buyer.email, "password": PASSWORD})
    assert assert_problem(same, 422, "new_email")["code"] == "email_unchanged"
    bad = api.post("me/email", {"new_email": "not an address", "password": PASSWORD})
    assert assert_problem(bad, 422, "new_email")["code"] == "invalid_email"
    assert not mail.outbox


def test_only_the_latest_request_s_link_works(login_api, django_capture_on_commit_callbacks):
    buyer = BuyerFactory()
    api = login_api(buyer)
    for address in ("first@example.org", "second@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            api.post("me/email", {"new_email": address, "password": PASSWORD})
    stale = Client().post(
        "/api/v1/auth/email-change/confirm",
        {"token": _token("first@example.org")},
        content_type="application/json",
    )
    assert assert_problem(stale, 422)["code"] == "link_invalid"
    buyer.refresh_from_db()
    assert buyer.pending_email == "second@example.org"


def test_the_profile_page_asks_and_the_mailed_page_confirms_with_a_click(
    client, django_capture_on_commit_callbacks
):
    buyer = BuyerFactory()
    client.force_login(buyer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/profile/", {"form": "email", "new_email": NEW, "password": PASSWORD}
        )
    assert response.status_code == 302
    page = client.get("/accounts/profile/").content.decode()
    assert f"Waiting for {NEW} to be confirmed" in page

    link = f"/accounts/email/confirm/{_token(NEW)}/"
    assert Client().get(link).status_code == 200  # a mail scanner's fetch changes nothing
    buyer.refresh_from_db()
    assert buyer.email != NEW
    done = Client().post(link)
    assert done.status_code == 200 and f"you log in with {NEW}" in done.content.decode()
    buyer.refresh_from_db()
    assert buyer.email == NEW and buyer.pending_email == ""
