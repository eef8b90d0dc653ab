"""Account pages as a visitor uses them: register, log in, confirm email, profile, documents."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from ex1000.accounts import services
from ex1000.accounts.error_codes import AccountError
from ex1000.accounts.models import QualificationDocument, User, VerificationStatus
from ex1000.core.error_codes import CoreError
from ex1000.privacy.models import PolicyAcceptance
from ex1000.privacy.selectors import current_policy
from tests.factories import PASSWORD, SupplierFactory, UnverifiedSupplierFactory
from tests.helpers import enrol_through_page
from tests.orders.builders import pdf_file

pytestmark = pytest.mark.django_db

PDF = pdf_file().read()


def registration(**changes):
    data = {
        "role": "supplier",
        "email": "Li.Wei@Hangzhou-Motors.cn",
        "password": "Qiantang-River-2026",
        "name": "Li Wei",
        "company_name": "Hangzhou Motors Export Co., Ltd.",
        "country": "CN",
        "phone": "138 0013 8000",
        "wechat": "liwei_cars",
        "language": "zh-hans",
        "currency": "CNY",
        "accepted_policy_version": current_policy().version,
        "accept_policy": "on",
    }
    data.update(changes)
    return data


def test_register_page_names_the_policy_version_and_links_to_it(client):
    response = client.get(reverse("accounts:register"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"I accept the privacy policy (version {current_policy().version})" in html
    assert reverse("privacy:policy") in html
    assert 'name="accepted_policy_version"' in html


def test_registering_creates_the_account_records_acceptance_and_logs_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:register"), registration(), REMOTE_ADDR="203.0.113.7"
        )
    # A supplier's first step is two-factor; then the profile.
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:two_factor')}?next=/accounts/profile/"

    user = User.objects.get(email="li.wei@hangzhou-motors.cn")
    assert user.role == "supplier" and user.phone == "+8613800138000"
    assert user.company.name == "Hangzhou Motors Export Co., Ltd."
    acceptance = PolicyAcceptance.objects.get(user=user)
    assert acceptance.policy == current_policy() and acceptance.ip == "203.0.113.7"
    assert len(mail.outbox) == 1 and "/accounts/verify/" in mail.outbox[0].body

    # Logged in, told to check the inbox, and the interface follows the chosen language.
    assert response.cookies["django_language"].value == "zh-hans"
    assert client.get(reverse("accounts:profile")).status_code == 302  # not before 2FA
    assert len(enrol_through_page(client)) == 10
    profile = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="en")
    assert profile.status_code == 200
    assert "li.wei@hangzhou-motors.cn" in profile.content.decode()


def test_registering_without_accepting_the_policy_creates_nobody(client):
    data = registration()
    del data["accept_policy"]
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 400
    assert "Accept the privacy policy to register." in response.content.decode()
    assert not User.objects.exists()


def test_registration_problems_from_the_service_appear_on_the_form(client, buyer):
    response = client.post(
        reverse("accounts:register"), registration(phone="12345", email=buyer.email)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert escape(AccountError.INVALID_PHONE.render()) in html
    assert User.objects.count() == 1  # only the existing buyer


def test_the_form_shows_the_services_message_in_the_visitors_language(client):
    response = client.post(
        reverse("accounts:register"), registration(phone="12345"), HTTP_ACCEPT_LANGUAGE="ru"
    )

    assert response.status_code == 400
    with translation.override("ru"):
        russian = AccountError.INVALID_PHONE.render()
    with translation.override("en"):
        assert russian != AccountError.INVALID_PHONE.render()
    assert escape(russian) in response.content.decode()


def test_a_taken_email_is_refused_on_the_form(client, buyer):
    response = client.post(reverse("accounts:register"), registration(email=buyer.email.upper()))
    assert response.status_code == 400
    assert escape(AccountError.EMAIL_TAKEN.render()) in response.content.decode()


def test_login_page_logs_in_by_email_in_any_case(client, buyer):
    page = client.get(reverse("accounts:login"))
    assert 'name="email"' in page.content.decode() and ">Email<" in page.content.decode()
    response = client.post(
        reverse("accounts:login"), {"email": buyer.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_wrong_password_says_so(client, buyer):
    response = client.post(reverse("accounts:login"), {"email": buyer.email, "password": "nope"})
    assert response.status_code == 200
    assert escape(AccountError.BAD_CREDENTIALS.render()) in response.content.decode()


def test_repeated_wrong_passwords_lock_out_with_an_explanation(client, api, buyer, settings):
    settings.AXES_FAILURE_LIMIT = 3
    statuses = [
        client.post(
            reverse("accounts:login"), {"email": buyer.email, "password": "wrong"}
        ).status_code
        for _ in range(3)
    ]
    assert statuses[-1] == 429
    # Even the right password (and another spelling of the address) waits now.
    response = client.post(
        reverse("accounts:login"), {"email": buyer.email.title(), "password": PASSWORD}
    )
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "Too many failed attempts" in response.content.decode()
    # The API shares the counter and keeps answering in problem JSON.
    token = api.post("auth/token", {"email": buyer.email, "password": PASSWORD})
    assert token.status_code == 429
    assert token["Content-Type"] == "application/problem+json"


def test_logout_is_a_post(client, buyer):
    client.force_login(buyer)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_email_confirmation_link(client, buyer):
    buyer.email_verified_at = None
    buyer.save()
    token = services.email_verification_token(buyer)
    response = client.get(reverse("accounts:verify_email", args=[token]))
    assert response.status_code == 200
    assert f"{buyer.email} is confirmed" in response.content.decode()
    buyer.refresh_from_db()
    assert buyer.email_verified_at is not None


def test_a_tampered_confirmation_link_is_explained_not_crashed(client, buyer):
    token = services.email_verification_token(buyer) + "x"
    response = client.get(reverse("accounts:verify_email", args=[token]))
    assert response.status_code == 400
    assert escape(AccountError.LINK_INVALID.render()) in response.content.decode()


def test_resend_confirmation_link(client, buyer, django_capture_on_commit_callbacks):
    buyer.email_verified_at = None
    buyer.save()
    client.force_login(buyer)
    assert (
        "Please confirm your email address"
        in client.get(reverse("accounts:profile")).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:resend_verification"), follow=True)
    assert f"We sent a new confirmation link to {buyer.email}." in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [buyer.email]


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_profile_edit_saves_contacts_in_e164(client, buyer):
    client.force_login(buyer)
    data = {
        "form": "profile",
        "name": "Aigerim N.",
        "company_name": buyer.company.name,
        "city": "Astana",
        "country": "KZ",
        "phone": "+7 701 123 4567",
        "whatsapp": "",
        "wechat": "",
        "telegram": "@aigerim",
        "language": "ru",
        "currency": "KZT",
    }
    response = client.post(reverse("accounts:profile"), data, follow=True)
    assert "Your profile has been saved." in response.content.decode()
    buyer.refresh_from_db()
    assert buyer.phone == "+77011234567" and buyer.currency == "KZT"
    assert buyer.company.city == "Astana"
    assert client.cookies["django_language"].value == "ru"


def test_verified_company_name_is_locked_and_a_correction_request_is_suggested(client, settings):
    supplier = SupplierFactory()
    client.force_login(supplier)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "readonly" in page and "correction request" in page
    data = {
        "form": "profile",
        "name": supplier.name,
        "company_name": "Another Name Ltd.",
        "city": supplier.company.city,
        "country": "CN",
        "language": "en",
        "currency": "USD",
    }
    response = client.post(reverse("accounts:profile"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert escape(AccountError.LOCKED_AFTER_VERIFICATION.render()) in html
    locked = AccountError.COMPANY_LOCKED.render({"email": settings.PRIVACY_CONTACT_EMAIL})
    assert escape(locked) in html
    supplier.company.refresh_from_db()
    assert supplier.company.name != "Another Name Ltd."


def test_supplier_uploads_business_licence_from_profile(client):
    supplier = UnverifiedSupplierFactory()
    client.force_login(supplier)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Upload your business licence" in page
    response = client.post(
        reverse("accounts:profile"),
        {
            "form": "document",
            "kind": "business_licence",
            "number": "91330100MA2XXXXX1X",
            "file": SimpleUploadedFile("licence.pdf", PDF, "application/pdf"),
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Document received" in html
    document = QualificationDocument.objects.get(user=supplier)
    assert reverse("accounts:document", args=[document.pk]) in html
    assert "Pending" in html
    supplier.company.refresh_from_db()
    assert supplier.company.verification_status == VerificationStatus.PENDING


def test_a_fake_document_is_refused_on_the_form(client):
    supplier = UnverifiedSupplierFactory()
    client.force_login(supplier)
    response = client.post(
        reverse("accounts:profile"),
        {
            "form": "document",
            "kind": "business_licence",
            "file": SimpleUploadedFile("licence.pdf", b"MZ not a pdf", "application/pdf"),
        },
    )
    assert response.status_code == 400
    assert escape(CoreError.UNSUPPORTED_FILE.render()) in response.content.decode()
    assert not QualificationDocument.objects.exists()


def test_rejection_reason_is_shown_on_the_profile(client, operator):
    supplier = UnverifiedSupplierFactory()
    services.upload_document(
        user=supplier,
        kind="business_licence",
        file=SimpleUploadedFile("l.pdf", PDF, "application/pdf"),
    )
    request = supplier.verification_requests.get()
    services.decide_verification(
        request_id=request.pk, operator=operator, decision="reject", reason="The scan is blurred."
    )
    client.force_login(supplier)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Rejected" in html and "The scan is blurred." in html


@pytest.mark.parametrize(
    ("password", "limit"), [("Qiantang-26", "12"), ("Qiantang-River-" * 9, "128")]
)
def test_the_register_page_says_the_password_length_rule(client, password, limit):
    response = client.post(reverse("accounts:register"), registration(password=password))
    assert response.status_code == 400  # the page's answer to an invalid form
    assert limit in " ".join(response.context["form"].errors.get("password", []))
    assert not User.objects.exists()
