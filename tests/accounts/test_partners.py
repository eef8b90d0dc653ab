"""Logistics partners (orders.md, api.md Accounts): they register themselves with
``role: "logistics"``, upload their documents from the profile and are verified by an
operator like suppliers; nothing supplier-only breaks for them."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ex1000.accounts.models import QualificationDocument, User, VerificationStatus
from ex1000.privacy.selectors import current_policy
from tests.factories import (
    PASSWORD,
    BuyerFactory,
    PartnerFactory,
    UnverifiedPartnerFactory,
    VehicleFactory,
)
from tests.helpers import enrol_through_page
from tests.orders.builders import pdf_file
from tests.quotes import fixtures_inquiries as fx

pytestmark = pytest.mark.django_db

PDF = pdf_file().read()


def test_a_partner_registers_through_the_api(api, django_capture_on_commit_callbacks):
    body = {
        "role": "logistics",
        "email": "ops@khorgos-gateway.kz",
        "password": "Altynkol-Gauge-2026",
        "name": "Yerlan Abenov",
        "company_name": "Khorgos Gateway Logistics LLP",
        "country": "KZ",
        "phone": "+7 701 730 8814",
        "language": "ru",
        "accepted_policy_version": api.get("privacy/policy").json()["version"],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("auth/register", body)

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["role"] == "logistics"
    assert data["company"]["name"] == "Khorgos Gateway Logistics LLP"
    assert data["company"]["verification_status"] == "unverified"
    user = User.objects.get(email="ops@khorgos-gateway.kz")
    assert user.role == "logistics" and not user.is_staff and not user.company.is_verified
    assert len(mail.outbox) == 1  # the confirmation link, as for everyone


def test_the_register_page_offers_the_partner_role_and_registers_one(client):
    page = client.get(reverse("accounts:register")).content.decode()
    assert "A logistics partner — I move cars (forwarder, carrier)" in page
    assert 'value="logistics"' in page

    response = client.post(
        reverse("accounts:register"),
        {
            "role": "logistics",
            "email": "Dispatch@Silkway-Rail.kz",
            "password": "Altynkol-Gauge-2026",
            "name": "Dana Seitova",
            "company_name": "Silkway Rail Forwarding LLP",
            "country": "KZ",
            "phone": "+7 727 355 0101",
            "language": "en",
            "currency": "KZT",
            "accepted_policy_version": current_policy().version,
            "accept_policy": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(email="dispatch@silkway-rail.kz")
    assert user.role == "logistics"
    assert user.company.verification_status == VerificationStatus.UNVERIFIED
    enrol_through_page(client)  # a partner must use two-factor: the set-up comes first
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Company verification" in profile and "Logistics partner" in profile


def test_a_partner_uploads_documents_from_the_profile_which_opens_a_request(client):
    partner = UnverifiedPartnerFactory()
    client.force_login(partner)
    page = client.get(reverse("accounts:profile")).content.decode()
    # A partner's kinds: the business licence and "other" (a forwarding licence, say).
    assert 'value="business_licence"' in page and 'value="other"' in page
    assert 'value="export_qualification"' not in page and 'value="import_licence"' not in page
    assert reverse("logistics:dashboard") in page  # the nav and the profile's head

    response = client.post(
        reverse("accounts:profile"),
        {
            "form": "document",
            "kind": "business_licence",
            "number": "240140012345",
            "file": SimpleUploadedFile("registration.pdf", PDF, "application/pdf"),
        },
        follow=True,
    )

    assert "Document received" in response.content.decode()
    document = QualificationDocument.objects.get(user=partner)
    assert document.request.status == VerificationStatus.PENDING
    partner.company.refresh_from_db()
    assert partner.company.verification_status == VerificationStatus.PENDING
    assert partner.company.credit_code == "240140012345"


def test_the_operator_approves_a_partner_on_the_queue_page(
    client, operator, django_capture_on_commit_callbacks
):
    partner = UnverifiedPartnerFactory(email="yerlan@khorgos-gateway.kz")
    client.force_login(partner)
    client.post(
        reverse("accounts:profile"),
        {
            "form": "document",
            "kind": "other",
            "file": SimpleUploadedFile("forwarding-licence.pdf", PDF, "application/pdf"),
        },
    )
    request = partner.company.verifications.get()

    client.force_login(operator)
    queue = client.get(reverse("ops:verifications")).content.decode()
    assert partner.company.name in queue and "Logistics partner" in queue
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ops:decide", args=[request.pk]), {"decision": "approve"}, follow=True
        )

    assert f"{partner.company.name} is verified" in response.content.decode()
    partner.company.refresh_from_db()
    assert partner.company.is_verified and partner.company.verified_at is not None
    assert mail.outbox[-1].to == ["yerlan@khorgos-gateway.kz"]
    assert "assign shipments" in mail.outbox[-1].body
    assert "publish listings" not in mail.outbox[-1].body


@pytest.mark.parametrize(
    "name",
    [
        "catalog:home",
        "catalog:search",
        "accounts:profile",
        "quotes:inquiries",
        "notifications:list",
        "privacy:centre",
        "logistics:dashboard",
    ],
)
def test_the_pages_a_partner_reaches_work_for_it(client, name):
    client.force_login(PartnerFactory())
    response = client.get(reverse(name), follow=True)
    assert response.status_code == 200, name


def test_a_listing_page_works_for_a_partner(client):
    fx.rate_book()  # so the page offers quotations (to buyers)
    car = VehicleFactory()
    client.force_login(PartnerFactory())
    response = client.get(reverse("catalog:vehicle_detail", args=[car.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert car.model in html and "Quotations are requested by buyers" in html


def test_supplier_pages_explain_they_are_for_suppliers(client):
    client.force_login(PartnerFactory())
    response = client.get(reverse("catalog:supplier_dashboard"))
    assert response.status_code == 403
    assert "suppliers" in response.content.decode().lower()


def test_after_logging_in_a_partner_lands_on_its_shipments(client):
    partner = PartnerFactory()
    response = client.post("/accounts/login/", {"email": partner.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("logistics:dashboard")
    client.logout()
    buyer = BuyerFactory()
    response = client.post("/accounts/login/", {"email": buyer.email, "password": PASSWORD})
    assert response["Location"] == reverse("catalog:home")
