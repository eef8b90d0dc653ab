"""Account recovery (issue 9, acceptance 2): a reset request answers the same for an
existing and an unknown address, its link works once; a password change revokes the old
tokens and ends other sessions."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from ex1000.accounts.models import ApiToken
from tests.factories import PASSWORD, BuyerFactory
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db

NEW = "Turquoise-Caspian-Sea-7"


def _link(email) -> str:
    (message,) = [m for m in mail.outbox if email in m.to]
    return re.search(r"https?://\S+/accounts/password/reset/(\S+)/", message.body).group(1)


def test_a_reset_answers_the_same_for_known_and_unknown_addresses(
    api, django_capture_on_commit_callbacks
):
    buyer = BuyerFactory(language="ru")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        known = api.post("auth/password-reset", {"email": buyer.email.upper()})
        unknown = api.post("auth/password-reset", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert [m.to for m in mail.outbox] == [[buyer.email]]
    assert "парол" in mail.outbox[0].subject.lower()  # in the account's language


def test_the_link_works_once_and_revokes_every_token(api, django_capture_on_commit_callbacks):
    buyer = BuyerFactory()
    old_token = api.post("auth/token", {"email": buyer.email, "password": PASSWORD}).json()
    with django_capture_on_commit_callbacks(execute=True):
        api.post("auth/password-reset", {"email": buyer.email})
    token = _link(buyer.email)

    weak = api.post("auth/password-reset/confirm", {"token": token, "new_password": "short"})
    assert assert_problem(weak, 422, "new_password")["code"] == "weak_password"
    done = api.post("auth/password-reset/confirm", {"token": token, "new_password": NEW})
    assert done.status_code == 204
    again = api.post("auth/password-reset/confirm", {"token": token, "new_password": NEW + "x"})
    assert assert_problem(again, 422, "token")["code"] == "reset_link_invalid"

    assert api.post("auth/token", {"email": buyer.email, "password": NEW}).status_code == 200
    assert api.post("auth/token", {"email": buyer.email, "password": PASSWORD}).status_code == 401
    revoked = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {old_token['token']}"})
    assert revoked.status_code == 401


def test_the_reset_page_from_the_email_sets_the_password_once(
    client, django_capture_on_commit_callbacks
):
    buyer = BuyerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post("/accounts/password/forgot/", {"email": buyer.email})
    assert page.status_code == 302
    url = f"/accounts/password/reset/{_link(buyer.email)}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"new_password": NEW}).status_code == 302
    spent = client.get(url)
    assert spent.status_code == 400 and "not valid" in spent.content.decode()
    logged_in = client.post("/accounts/login/", {"email": buyer.email, "password": NEW})
    assert logged_in.status_code == 302


def test_a_password_change_revokes_the_other_tokens_and_sessions(login_api):
    buyer = BuyerFactory()
    browser = Client()
    browser.force_login(buyer)
    other = login_api(buyer)  # a second token
    current = login_api(buyer)

    wrong = current.post("me/password", {"current_password": "nope", "new_password": NEW})
    assert assert_problem(wrong, 422, "current_password")["code"] == "current_password_wrong"
    changed = current.post("me/password", {"current_password": PASSWORD, "new_password": NEW})
    assert changed.status_code == 200 and changed.json()["revoked_tokens"] == 1

    assert current.get("me").status_code == 200  # the token that asked goes on
    assert other.get("me").status_code == 401
    assert browser.get("/api/v1/me").status_code == 401  # the other session ended
    assert ApiToken.objects.filter(user=buyer, revoked_at__isnull=True).count() == 1
