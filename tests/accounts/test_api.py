"""Registration, email verification and the own profile (/api/v1/auth/register, /api/v1/me)."""

import re
import time
from urllib.parse import urlparse

import pytest
from django.core import mail, signing
from django.urls import NoReverseMatch, reverse
from django_tasks.signals import task_enqueued

from ex1000.accounts import services, tasks
from ex1000.accounts.models import Company, User
from ex1000.core.errors import AppError
from ex1000.privacy import services as privacy_services
from ex1000.privacy.models import PolicyAcceptance
from tests.factories import BuyerFactory, UnverifiedSupplierFactory
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "Steppe-Eagle-2026"


@pytest.fixture
def policy_version(api):
    return api.get("privacy/policy").json()["version"]


@pytest.fixture
def registration(policy_version):
    def _body(**overrides):
        body = {
            "role": "buyer",
            "email": "aigerim@example.kz",
            "password": STRONG_PASSWORD,
            "name": "Aigerim Nurlanovna",
            "company_name": "Almaty Motors LLP",
            "country": "KZ",
            "accepted_policy_version": policy_version,
        }
        body.update(overrides)
        return {k: v for k, v in body.items() if v is not None}

    return _body


@pytest.fixture
def register(api, registration, django_capture_on_commit_callbacks):
    """POST /auth/register, running what happens after commit (the verification email)."""

    def _register(headers=None, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return api.post("auth/register", registration(**overrides), headers=headers)

    return _register


# --- registration ---------------------------------------------------------------------


def test_registration_creates_the_account_company_and_ledger_entry(register, policy_version):
    response = register(wechat=" aigerim_kz ", telegram="@aigerim", currency="kzt")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "aigerim@example.kz"
    assert body["role"] == "buyer"
    assert body["company_name"] == "Almaty Motors LLP"
    assert body["country"] == "KZ"
    assert body["wechat"] == "aigerim_kz"
    assert body["currency"] == "KZT"
    assert body["email_verified"] is False
    assert body["is_operator"] is False
    user = User.objects.get(email="aigerim@example.kz")
    assert user.password.startswith("argon2$")
    assert user.company.name == "Almaty Motors LLP"
    acceptance = PolicyAcceptance.objects.get(user=user)
    assert acceptance.policy.version == policy_version
    assert acceptance.ip == "127.0.0.1"
    assert acceptance.accepted_at is not None


def test_registration_records_the_ip_the_proxy_saw_not_a_forged_one(register, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    response = register(headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.7"})

    assert response.status_code == 201, response.content
    assert PolicyAcceptance.objects.get().ip == "203.0.113.7"


def test_a_garbage_forwarded_header_falls_back_to_the_peer_address(register, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    response = register(headers={"X-Forwarded-For": "not-an-address"})

    assert response.status_code == 201, response.content
    assert PolicyAcceptance.objects.get().ip == "127.0.0.1"


def test_without_a_proxy_a_forwarded_header_is_the_clients_word_and_ignored(register):
    response = register(headers={"X-Forwarded-For": "6.6.6.6"})

    assert response.status_code == 201, response.content
    assert PolicyAcceptance.objects.get().ip == "127.0.0.1"


def test_registration_email_is_stored_lower_case(register):
    response = register(email="  Aigerim@Example.KZ ")

    assert response.status_code == 201, response.content
    assert User.objects.get().email == "aigerim@example.kz"


def test_registration_without_policy_acceptance_is_refused(register):
    response = register(accepted_policy_version=None)

    body = assert_problem(response, 422, "accepted_policy_version")
    assert body["code"] == "current_policy_required"
    assert not User.objects.exists()
    assert not Company.objects.exists()


def test_registration_with_an_old_policy_version_is_refused(register, policy_version):
    privacy_services.publish_policy(version="2", text="New terms.", material=True)

    response = register(accepted_policy_version=policy_version)

    body = assert_problem(response, 422, "accepted_policy_version")
    assert body["code"] == "current_policy_required"
    assert "2" in " ".join(body["errors"]["accepted_policy_version"])
    assert not User.objects.exists()
    assert register(accepted_policy_version="2").status_code == 201


@pytest.mark.parametrize(
    ("country", "phone", "expected"),
    [
        ("KZ", "+7 701 123 4567", "+77011234567"),
        ("KZ", "701 123 4567", "+77011234567"),
        ("CN", "138 0013 8000", "+8613800138000"),
        ("CN", "+86 138-0013-8000", "+8613800138000"),
        ("AE", "050 123 4567", "+971501234567"),
    ],
)
def test_phone_numbers_are_stored_in_e164(register, country, phone, expected):
    response = register(country=country, phone=phone, whatsapp=phone)

    assert response.status_code == 201, response.content
    assert response.json()["phone"] == expected
    user = User.objects.get()
    assert (user.phone, user.whatsapp) == (expected, expected)


@pytest.mark.parametrize("field", ["phone", "whatsapp"])
@pytest.mark.parametrize("number", ["12345", "not a number", "+86 138", "+999 1234 5678"])
def test_invalid_phone_numbers_are_refused(register, field, number):
    response = register(**{field: number})

    assert assert_problem(response, 422, field)["code"] == "invalid_phone"
    assert not User.objects.exists()


def test_duplicate_email_is_refused_whatever_its_case(register, buyer):
    response = register(email=buyer.email.upper())

    assert assert_problem(response, 409, "email")["code"] == "email_taken"
    assert User.objects.filter(email__iexact=buyer.email).count() == 1


@pytest.mark.parametrize(
    "password",
    [
        "short",
        "Steppe-Ride",  # 11 characters: the minimum is 12
        "password123",
        "12345678901234",
        "aigerim@example.kz",
    ],
)
def test_weak_passwords_are_refused(register, password):
    response = register(password=password)

    assert assert_problem(response, 422, "password")["code"] == "weak_password"
    assert not User.objects.exists()


@pytest.mark.parametrize("password", ["Steppe-Rides", "Qiantang-" * 14 + "x"])
def test_passwords_of_12_to_128_characters_are_accepted(register, password):
    assert 12 <= len(password) <= 128
    assert register(password=password).status_code == 201


def test_the_length_rules_are_said_in_the_field_error(register):
    # 135 characters: the maximum is 128 (the schema says so before the validators run)
    errors = assert_problem(register(password="Qiantang-" * 15), 422, "password")["errors"]
    assert "128" in " ".join(errors["password"])
    errors = assert_problem(register(password="Steppe-Ride"), 422, "password")["errors"]
    assert "12" in " ".join(errors["password"])


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("country", "XX", "unknown_country"),
        ("country", "ZZ", "unknown_country"),
        ("currency", "ABC", "unknown_currency"),
        ("currency", "DOLLARS", "validation"),  # longer than the schema allows
        ("language", "de", "invalid_choice"),
        ("language", "klingon", "invalid_choice"),
        ("role", "operator", "invalid_choice"),
        ("role", "admin", "invalid_choice"),
        ("email", "not-an-email", "invalid_email"),
        ("company_name", "   ", "validation"),
    ],
)
def test_invalid_registration_fields_are_refused(register, field, value, code):
    response = register(**{field: value})

    assert response.status_code == 422, response.content
    assert assert_problem(response, 422, field)["code"] == code
    assert not User.objects.exists()
    assert not Company.objects.exists()


def test_self_registration_can_never_create_staff(register):
    response = register(role="supplier", is_staff=True, is_operator=True, is_superuser=True)

    assert response.status_code == 201, response.content
    user = User.objects.get()
    assert user.role == "supplier"
    assert not user.is_staff and not user.is_superuser
    assert not user.company.is_verified


def test_missing_required_fields_are_named(api):
    response = api.post("auth/register", {"role": "buyer"})

    assert_problem(response, 422, "email", "password", "name", "company_name", "country")


# --- email verification ------------------------------------------------------------------


def _link_in(message) -> str:
    match = re.search(r"https?://\S+", message.body)
    assert match, message.body
    return match.group(0)


def _token_for(api, email):
    response = api.post("auth/token", {"email": email, "password": STRONG_PASSWORD})
    assert response.status_code == 200, response.content
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_registration_sends_a_verification_email_whose_link_verifies(register, api, client):
    assert register().status_code == 201
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["aigerim@example.kz"]
    link = _link_in(message)
    auth = _token_for(api, "aigerim@example.kz")
    assert api.get("me", headers=auth).json()["email_verified"] is False

    try:
        reverse("accounts:verify_email", args=["token"])
    except NoReverseMatch:  # the page is not there yet: use the token the link carries
        services.verify_email(token=urlparse(link).path.rstrip("/").rsplit("/", 1)[-1])
    else:
        response = client.get(urlparse(link).path)
        assert response.status_code < 400

    assert api.get("me", headers=auth).json()["email_verified"] is True


def test_the_verification_link_does_not_expose_the_email_address(register):
    register(email="o'brien/sales@example.ie")

    link = _link_in(mail.outbox[0])
    assert "brien" not in link and "example.ie" not in link


def test_verify_email_service_marks_the_address_verified():
    user = BuyerFactory(email_verified_at=None)

    services.verify_email(token=services.email_verification_token(user))

    user.refresh_from_db()
    assert user.email_verified_at is not None


def test_a_tampered_verification_token_is_refused():
    user = BuyerFactory(email_verified_at=None)
    token = services.email_verification_token(user)

    with pytest.raises(AppError) as refused:
        services.verify_email(token=token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert refused.value.code == "link_invalid"
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_a_verification_token_for_an_old_address_is_refused():
    user = BuyerFactory(email_verified_at=None)
    token = services.email_verification_token(user)
    user.email = "new-address@example.com"
    user.save()

    with pytest.raises(AppError) as refused:
        services.verify_email(token=token)
    assert refused.value.code == "link_invalid"
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_an_expired_verification_token_is_refused(monkeypatch, settings):
    user = BuyerFactory(email_verified_at=None)
    token = services.email_verification_token(user)
    later = time.time() + (settings.EMAIL_VERIFICATION_MAX_AGE_DAYS + 1) * 86400
    monkeypatch.setattr(signing.time, "time", lambda: later)

    with pytest.raises(AppError) as refused:
        services.verify_email(token=token)
    assert refused.value.code == "link_expired"
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_the_confirmation_email_is_sent_by_a_task(register):
    names = []

    def record(sender, task_result, **kwargs):
        names.append(task_result.task.name)

    task_enqueued.connect(record)
    try:
        assert register().status_code == 201
    finally:
        task_enqueued.disconnect(record)

    assert names == ["email_verification_link"]
    assert len(mail.outbox) == 1


def test_registration_succeeds_even_when_the_mail_server_fails(register, monkeypatch):
    def broken_mail(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(tasks, "send_mail", broken_mail)

    response = register()

    assert response.status_code == 201, response.content
    assert User.objects.filter(email="aigerim@example.kz").exists()


# --- /me --------------------------------------------------------------------------------


def test_me_shows_the_own_profile(login_api, buyer):
    response = login_api(buyer).get("me")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == buyer.pk
    assert body["email"] == buyer.email
    assert body["role"] == "buyer"
    assert body["company_name"] == buyer.company.name
    assert body["company"]["verification_status"] == "unverified"
    assert body["email_verified"] is True


@pytest.mark.parametrize("method", ["get", "patch"])
def test_me_requires_authentication(api, method):
    assert_problem(getattr(api, method)("me"), 401)


def test_me_rejects_a_made_up_bearer_token(api, buyer):
    response = api.get("me", headers={"Authorization": "Bearer not-a-real-token"})

    assert_problem(response, 401)


def test_patch_me_edits_profile_and_contact_channels(login_api, buyer):
    response = login_api(buyer).patch(
        "me",
        {
            "name": "  Aigerim N.  ",
            "phone": "701 123 4567",
            "wechat": "aigerim_kz",
            "telegram": "@aigerim",
            "language": "ru",
            "currency": "eur",
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "Aigerim N."
    assert body["phone"] == "+77011234567"
    assert (body["wechat"], body["telegram"]) == ("aigerim_kz", "@aigerim")
    assert (body["language"], body["currency"]) == ("ru", "EUR")
    buyer.refresh_from_db()
    assert buyer.phone == "+77011234567"
    assert buyer.language == "ru"


def test_patch_me_normalises_the_phone_for_the_new_country(login_api, buyer):
    response = login_api(buyer).patch("me", {"country": "cn", "phone": "138 0013 8000"})

    assert response.status_code == 200, response.content
    assert response.json()["country"] == "CN"
    assert response.json()["phone"] == "+8613800138000"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("phone", "12", "invalid_phone"),
        ("whatsapp", "nonsense", "invalid_phone"),
        ("country", "XX", "unknown_country"),
        ("language", "tlh", "invalid_choice"),
        ("currency", "XYZ", "unknown_currency"),
        ("company_name", "", "validation"),
    ],
)
def test_patch_me_refuses_invalid_values(login_api, buyer, field, value, code):
    before = (buyer.phone, buyer.country.code, buyer.language, buyer.company.name)

    response = login_api(buyer).patch("me", {field: value})

    assert assert_problem(response, 422, field)["code"] == code
    buyer.refresh_from_db()
    buyer.company.refresh_from_db()
    assert (buyer.phone, buyer.country.code, buyer.language, buyer.company.name) == before


def test_patch_me_cannot_change_email_role_or_staff(login_api, buyer):
    email = buyer.email

    response = login_api(buyer).patch(
        "me", {"email": "other@example.com", "role": "operator", "is_operator": True}
    )

    assert response.status_code == 200
    buyer.refresh_from_db()
    assert (buyer.email, buyer.role, buyer.is_staff) == (email, "buyer", False)


def test_unverified_company_data_can_be_edited(login_api):
    supplier = UnverifiedSupplierFactory()

    response = login_api(supplier).patch(
        "me", {"company_name": "Ningbo Cars Ltd", "city": "Ningbo"}
    )

    assert response.status_code == 200, response.content
    assert response.json()["company"]["name"] == "Ningbo Cars Ltd"
    supplier.company.refresh_from_db()
    assert (supplier.company.name, supplier.company.city) == ("Ningbo Cars Ltd", "Ningbo")


@pytest.mark.parametrize("field", ["company_name", "city"])
def test_verified_company_data_is_locked(login_api, supplier, field):
    company = supplier.company
    before = (company.name, company.city)

    response = login_api(supplier).patch("me", {field: "Shell Company"})

    body = assert_problem(response, 403, field)
    assert body["code"] == "locked"
    company.refresh_from_db()
    assert (company.name, company.city) == before


def test_locked_company_data_does_not_block_other_edits(login_api, supplier):
    response = login_api(supplier).patch("me", {"wechat": "hz_export"})

    assert response.status_code == 200
    assert response.json()["wechat"] == "hz_export"
