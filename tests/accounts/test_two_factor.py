"""Two-factor authentication (api.md, Auth): suppliers, partners and operators must use a
TOTP code; until they enrol they reach only /me and the set-up; a buyer is not asked."""

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from ex1000.accounts.models import ApiToken
from ex1000.demo.two_factor import current_code
from tests.conftest import ApiClient
from tests.factories import PASSWORD, BuyerFactory, OperatorFactory, PartnerFactory, SupplierFactory
from tests.helpers import (
    api_token,
    assert_problem,
    code_for_secret,
    enrol_through_page,
    listing_payload,
    token_response,
    totp_code,
)

pytestmark = pytest.mark.django_db


def token_answer(user, otp=None, password=PASSWORD):
    return token_response(user.email, password, otp)


def current(user) -> str:
    """The app's code now, leaving the device's throttling and last step as they are."""
    return current_code(TOTPDevice.objects.get(user=user, confirmed=True))


def password_token(user) -> ApiClient:
    response = token_answer(user)
    assert response.status_code == 200, response.content
    return ApiClient(Client(), token=response.json()["token"])


def turn_off(api: ApiClient, otp: str):
    """DELETE /api/v1/me/2fa with its body (``{"otp": …}``)."""
    return api.client.delete(
        "/api/v1/me/2fa",
        {"otp": otp},
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token}"},
    )


def enrol_by_api(api: ApiClient) -> list[str]:
    started = api.post("me/2fa")
    assert started.status_code == 200, started.content
    confirmed = api.post("me/2fa/confirm", {"otp": code_for_secret(started.json()["secret"])})
    assert confirmed.status_code == 200, confirmed.content
    return confirmed.json()["recovery_codes"]


@pytest.mark.parametrize(
    "factory", [SupplierFactory, PartnerFactory, OperatorFactory], ids=lambda f: f.__name__
)
def test_a_role_that_must_use_two_factor_reaches_only_me_and_the_set_up(factory):
    user = factory(two_factor=False)
    api = password_token(user)  # the password alone gives a token …

    me = api.get("me")
    assert me.status_code == 200
    assert me.json()["two_factor_required"] is True
    assert me.json()["two_factor_enabled"] is False
    # … that reaches nothing else, even what anybody may read.
    for path in ("vehicles", "vehicles/mine", "orders", "notifications", "privacy/export"):
        body = assert_problem(api.get(path), 403)
        assert body["code"] == "two_factor_required"
        assert body["setup_url"] == "/accounts/2fa/"
    assert assert_problem(api.post("vehicles", listing_payload()), 403)["code"] == (
        "two_factor_required"
    )
    assert api.patch("me", {"phone": "+86 138 0013 8000"}).status_code == 200
    assert api.delete("auth/token").status_code == 204  # logging out stays possible


def test_enrolling_by_api_opens_the_account_and_revokes_password_only_tokens():
    supplier = SupplierFactory(two_factor=False)
    other = password_token(supplier)
    api = password_token(supplier)

    started = api.post("me/2fa").json()
    assert set(started) == {"secret", "otpauth_url"}
    assert re.fullmatch(r"[A-Z2-7]{32}", started["secret"])
    assert started["otpauth_url"].startswith("otpauth://totp/EX1000%3A")
    assert f"secret={started['secret']}" in started["otpauth_url"]
    assert "issuer=EX1000" in started["otpauth_url"]
    # Asking again while it is pending keeps the key (a reloaded QR code stays valid).
    assert api.post("me/2fa").json()["secret"] == started["secret"]

    wrong = assert_problem(api.post("me/2fa/confirm", {"otp": "000000"}), 422, "otp")
    assert wrong["code"] == "otp_wrong"
    assert api.get("orders").status_code == 403

    TOTPDevice.objects.filter(user=supplier).update(throttling_failure_count=0)
    confirmed = api.post("me/2fa/confirm", {"otp": code_for_secret(started["secret"])})
    assert confirmed.status_code == 200, confirmed.content
    codes = confirmed.json()["recovery_codes"]
    assert confirmed.json()["enabled"] is True
    assert len(codes) == 10 and len(set(codes)) == 10

    assert api.get("orders").status_code == 200  # the token that enrolled goes on
    assert api.post("vehicles", listing_payload()).status_code == 201
    assert other.get("me").status_code == 401  # issued with a password alone: revoked
    assert api.get("me").json()["two_factor_enabled"] is True
    assert assert_problem(api.post("me/2fa"), 409)["code"] == "two_factor_enabled"


def test_with_two_factor_a_token_needs_a_valid_code_once():
    supplier = SupplierFactory()

    missing = assert_problem(token_answer(supplier), 401)
    assert missing["code"] == "otp_required"
    wrong = assert_problem(token_answer(supplier, otp="123456"), 401, "otp")
    assert wrong["code"] == "otp_invalid"
    wrong_password = assert_problem(token_answer(supplier, otp="1", password="nope"), 401)
    assert wrong_password["code"] == "bad_credentials"

    TOTPDevice.objects.filter(user=supplier).update(throttling_failure_count=0)
    code = totp_code(supplier)
    assert token_answer(supplier, otp=code).status_code == 200
    replay = assert_problem(token_answer(supplier, otp=code), 401)  # the same code again
    assert replay["code"] == "otp_invalid"


def test_a_recovery_code_logs_in_once_and_new_ones_void_the_old(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0  # not here
    supplier = SupplierFactory(two_factor=False)
    api = password_token(supplier)
    codes = enrol_by_api(api)

    assert token_answer(supplier, otp=codes[0]).status_code == 200
    assert token_answer(supplier, otp=codes[0]).status_code == 401  # spent
    assert api.get("me").json()["two_factor_enabled"] is True

    renewed = api.post("me/2fa/recovery-codes", {"otp": totp_code(supplier)})
    assert renewed.status_code == 200, renewed.content
    new_codes = renewed.json()["recovery_codes"]
    assert set(new_codes).isdisjoint(codes)
    assert token_answer(supplier, otp=codes[1]).status_code == 401  # the old set is void
    assert token_answer(supplier, otp=new_codes[0]).status_code == 200


def test_a_wrong_code_makes_the_next_attempt_wait(settings):
    # django-otp: after n wrong codes the next attempt waits factor x 2^(n-1) seconds.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    supplier = SupplierFactory()
    assert token_answer(supplier, otp="000000").status_code == 401

    response = token_answer(supplier, otp=current(supplier))
    body = assert_problem(response, 429)  # even the right code, meanwhile
    assert body["code"] == "otp_throttled"
    assert 55 <= int(response["Retry-After"]) <= 61


def test_a_buyer_is_not_asked_and_may_opt_in_and_out():
    buyer = BuyerFactory()
    api = password_token(buyer)
    assert api.get("me").json()["two_factor_required"] is False
    assert api.get("orders").status_code == 200

    enrol_by_api(api)
    assert token_answer(buyer).json()["code"] == "otp_required"  # now it is asked
    assert assert_problem(turn_off(api, "000000"), 422, "otp")["code"] == "otp_wrong"
    TOTPDevice.objects.filter(user=buyer).update(throttling_failure_count=0)
    assert turn_off(api, totp_code(buyer)).status_code == 204
    assert token_answer(buyer).status_code == 200  # a password alone again


def test_a_role_that_must_use_two_factor_cannot_turn_it_off():
    supplier = SupplierFactory()
    api = ApiClient(Client(), token=api_token(supplier))
    assert assert_problem(turn_off(api, totp_code(supplier)), 403)["code"] == "two_factor_mandatory"
    assert TOTPDevice.objects.filter(user=supplier, confirmed=True).exists()


def test_the_roles_come_from_the_setting(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["buyer"]
    supplier = SupplierFactory(two_factor=False)
    buyer = BuyerFactory(two_factor=False)
    assert password_token(supplier).get("orders").status_code == 200
    assert password_token(buyer).get("orders").status_code == 403


# --- the pages --------------------------------------------------------------------------


def log_in_page(client, user):
    return client.post("/accounts/login/", {"email": user.email, "password": PASSWORD})


def test_a_supplier_without_two_factor_is_sent_to_the_set_up_page(client):
    supplier = SupplierFactory(two_factor=False)
    log_in_page(client, supplier)
    for path in ("/supplier/", "/vehicles/", "/accounts/profile/", "/privacy/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/2fa/?next="), path
    page = client.get("/accounts/2fa/?next=/supplier/").content.decode()
    assert "<svg" in page and "data-secret" in page  # the QR code and the key to type
    assert client.get("/api/v1/orders").json()["code"] == "two_factor_required"

    codes = enrol_through_page(client)
    assert len(codes) == 10
    assert client.get("/supplier/").status_code == 200
    assert TOTPDevice.objects.get(user=supplier).confirmed


def test_logging_in_with_two_factor_asks_for_the_code_then_goes_on(client):
    supplier = SupplierFactory()
    response = log_in_page(client, supplier)
    assert response.status_code == 302
    gated = client.get("/supplier/")
    assert gated["Location"] == "/accounts/2fa/verify/?next=%2Fsupplier%2F"
    assert client.get("/api/v1/orders").status_code == 403  # the session API too

    wrong = client.post("/accounts/2fa/verify/?next=/supplier/", {"otp": "000000"})
    assert wrong.status_code == 422
    assert "This code is not right" in wrong.content.decode()
    TOTPDevice.objects.filter(user=supplier).update(throttling_failure_count=0)
    right = client.post("/accounts/2fa/verify/", {"otp": totp_code(supplier), "next": "/supplier/"})
    assert right.status_code == 302 and right["Location"] == "/supplier/"
    assert client.get("/supplier/").status_code == 200
    assert client.get("/api/v1/orders").status_code == 200


def test_the_admin_is_behind_two_factor(client):
    operator = OperatorFactory()
    log_in_page(client, operator)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/verify/")
    client.post("/accounts/2fa/verify/", {"otp": totp_code(operator)})
    assert client.get("/admin/").status_code == 200


def test_a_superuser_without_two_factor_gets_no_working_token_or_admin(client):
    operator = OperatorFactory(two_factor=False)
    assert password_token(operator).get("ops/verifications").status_code == 403
    log_in_page(client, operator)
    assert client.get("/admin/")["Location"].startswith("/accounts/2fa/?next=")


def test_a_buyer_logs_in_without_a_code(client):
    buyer = BuyerFactory()
    log_in_page(client, buyer)
    assert client.get("/orders/").status_code == 200
    assert not ApiToken.objects.exists()


def test_an_operator_removes_a_lost_device_without_seeing_its_key(client, operator):
    supplier = SupplierFactory()
    device = TOTPDevice.objects.get(user=supplier)
    client.force_login(operator)
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    listing = client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert supplier.email in listing and device.key not in listing

    deleted = client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    # The supplier logs in with the password and is sent to enrol again.
    api = password_token(supplier)
    assert api.get("orders").json()["code"] == "two_factor_required"
