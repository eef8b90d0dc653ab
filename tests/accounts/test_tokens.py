"""API tokens: log in, use as Bearer, revoke, expiry, hashing at rest, lockout."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from ex1000.accounts.models import ApiToken
from tests.factories import PASSWORD, BuyerFactory
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db


def _login(api, email, password=PASSWORD):
    return api.post("auth/token", {"email": email, "password": password})


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_good_password_returns_a_token_and_its_expiry(api, buyer, settings):
    response = _login(api, buyer.email)

    assert response.status_code == 200, response.content
    body = response.json()
    assert len(body["token"]) >= 32
    expires = ApiToken.objects.get(user=buyer).expires_at
    assert body["expires_at"].startswith(expires.strftime("%Y-%m-%dT%H:%M"))
    lifetime = expires - timezone.now()
    assert timedelta(days=settings.API_TOKEN_TTL_DAYS - 1) < lifetime
    assert lifetime <= timedelta(days=settings.API_TOKEN_TTL_DAYS)


def test_login_email_is_case_insensitive(api, buyer):
    assert _login(api, f"  {buyer.email.upper()} ").status_code == 200


@pytest.mark.parametrize(
    "credentials",
    [
        {"email": "user-that-does-not-exist@example.com", "password": PASSWORD},
        {"email": "{email}", "password": "Wrong-Horse-42"},
        {"email": "{email}", "password": ""},
    ],
)
def test_bad_credentials_get_401_problem_json(api, buyer, credentials):
    body = {k: v.format(email=buyer.email) for k, v in credentials.items()}

    response = api.post("auth/token", body)

    problem = assert_problem(response, 401)
    assert problem["code"] == "bad_credentials"
    assert "token" not in problem
    assert not ApiToken.objects.exists()


def test_wrong_password_and_unknown_user_look_the_same(api, buyer):
    unknown = _login(api, "nobody@example.com").json()
    wrong = _login(api, buyer.email, "Wrong-Horse-42").json()

    assert unknown == wrong


def test_inactive_users_cannot_log_in(api):
    user = BuyerFactory(is_active=False)

    assert assert_problem(_login(api, user.email), 401)["code"] == "bad_credentials"


def test_token_works_as_bearer(api, buyer):
    token = _login(api, buyer.email).json()["token"]

    response = api.get("me", headers=_bearer(token))

    assert response.status_code == 200
    assert response.json()["email"] == buyer.email


def test_each_login_gets_its_own_token(api, buyer):
    first = _login(api, buyer.email).json()["token"]
    second = _login(api, buyer.email).json()["token"]

    assert first != second
    assert api.get("me", headers=_bearer(first)).status_code == 200
    assert api.get("me", headers=_bearer(second)).status_code == 200


def test_delete_revokes_the_token(api, buyer):
    token = _login(api, buyer.email).json()["token"]
    other = _login(api, buyer.email).json()["token"]

    response = api.delete("auth/token", headers=_bearer(token))

    assert response.status_code == 204
    assert_problem(api.get("me", headers=_bearer(token)), 401)
    assert_problem(api.delete("auth/token", headers=_bearer(token)), 401)
    # only that token: the user's other sessions go on
    assert api.get("me", headers=_bearer(other)).status_code == 200


def test_delete_without_a_token_is_401(api):
    assert_problem(api.delete("auth/token"), 401)


def test_tokens_are_stored_hashed(api, buyer):
    token = _login(api, buyer.email).json()["token"]

    table = ApiToken._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        rows = cursor.fetchall()
    assert len(rows) == 1
    assert not any(token in str(value) for value in rows[0])
    assert ApiToken.objects.get().key_hash != token


def test_expired_tokens_are_refused(api, buyer):
    token = _login(api, buyer.email).json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert_problem(api.get("me", headers=_bearer(token)), 401)


def test_a_deactivated_users_token_stops_working(api, buyer):
    token = _login(api, buyer.email).json()["token"]
    buyer.is_active = False
    buyer.save()

    assert_problem(api.get("me", headers=_bearer(token)), 401)


def test_using_a_token_records_last_use(api, buyer):
    token = _login(api, buyer.email).json()["token"]
    assert ApiToken.objects.get().last_used_at is None

    api.get("me", headers=_bearer(token))

    assert ApiToken.objects.get().last_used_at is not None


def test_lockout_after_the_failure_limit(api, buyer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(api, buyer.email, "Wrong-Horse-42").status_code == 401

    assert assert_problem(_login(api, buyer.email, "Wrong-Horse-42"), 429)["code"] == "locked_out"
    # locked: even the right password is refused for a while, without issuing a token
    locked = _login(api, buyer.email)
    assert assert_problem(locked, 429)["code"] == "locked_out"
    assert locked["Retry-After"] == str(round(settings.AXES_COOLOFF_TIME * 3600))  # 900 s
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("known", [True, False], ids=["account", "unknown-address"])
def test_the_last_failure_before_the_lockout_warns(api, buyer, settings, known):
    """The same warning for an address without an account: it reveals nothing."""
    email = buyer.email if known else "nobody@example.org"
    for _ in range(settings.AXES_FAILURE_LIMIT - 2):
        body = assert_problem(_login(api, email, "Wrong-Horse-42"), 401)
        assert "errors" not in body
    body = assert_problem(_login(api, email, "Wrong-Horse-42"), 401, "password")
    assert body["code"] == "bad_credentials"
    assert body["errors"]["password"] == [
        "Careful: one more wrong password locks this account for 15 minutes."
    ]
    assert assert_problem(_login(api, email, "Wrong-Horse-42"), 429)["code"] == "locked_out"


def test_the_login_page_warns_before_the_lockout(client, buyer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 2):
        page = client.post("/accounts/login/", {"email": buyer.email, "password": "nope"})
        assert "Careful" not in page.content.decode()
    page = client.post("/accounts/login/", {"email": buyer.email, "password": "nope"})
    assert "one more wrong password locks this account for 15 minutes" in page.content.decode()


def test_lockout_is_per_account(api, buyer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(api, buyer.email, "Wrong-Horse-42")
    other = BuyerFactory()

    assert _login(api, other.email).status_code == 200


def test_lockout_cannot_be_dodged_by_changing_the_email_case(api, buyer, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        email = buyer.email.upper() if attempt % 2 else buyer.email
        _login(api, email, "Wrong-Horse-42")

    assert assert_problem(_login(api, buyer.email.upper()), 429)["code"] == "locked_out"


def test_a_success_before_the_limit_resets_the_count(api, buyer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(api, buyer.email, "Wrong-Horse-42")
    assert _login(api, buyer.email).status_code == 200

    assert _login(api, buyer.email, "Wrong-Horse-42").status_code == 401


def test_logging_in_records_last_login(api, buyer):
    assert buyer.last_login is None

    _login(api, buyer.email)

    buyer.refresh_from_db()
    assert buyer.last_login is not None
