"""The operator's verification queue: only staff reach it; decisions go through the service."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from ex1000.accounts import services
from ex1000.accounts.error_codes import AccountError
from ex1000.accounts.models import VerificationStatus
from tests.factories import BuyerFactory, SupplierFactory, UnverifiedSupplierFactory
from tests.orders.builders import pdf_file

pytestmark = pytest.mark.django_db

PDF = pdf_file().read()


@pytest.fixture
def pending():
    supplier = UnverifiedSupplierFactory(email="wang@ningbo-cars.cn")
    document = services.upload_document(
        user=supplier,
        kind="business_licence",
        number="91330200MA2AAAAA1A",
        file=SimpleUploadedFile("licence.pdf", PDF, "application/pdf"),
    )
    return document.request


def test_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("ops:verifications"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("factory", [BuyerFactory, SupplierFactory])
def test_non_staff_see_nothing(client, factory, pending):
    client.force_login(factory())
    assert client.get(reverse("ops:verifications")).status_code == 404
    response = client.post(reverse("ops:decide", args=[pending.pk]), {"decision": "approve"})
    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.status == VerificationStatus.PENDING


def test_operator_sees_the_pending_request_with_its_documents(client, operator, pending):
    client.force_login(operator)
    html = client.get(reverse("ops:verifications")).content.decode()
    assert pending.company.name in html
    assert "wang@ningbo-cars.cn" in html and "Supplier" in html
    document = pending.documents.get()
    assert reverse("accounts:document", args=[document.pk]) in html
    assert "91330200MA2AAAAA1A" in html
    assert client.get(reverse("accounts:document", args=[document.pk])).status_code == 200


def test_operator_approves(client, operator, pending, django_capture_on_commit_callbacks):
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ops:decide", args=[pending.pk]), {"decision": "approve"}, follow=True
        )
    assert f"{pending.company.name} is verified" in response.content.decode()
    pending.company.refresh_from_db()
    assert pending.company.verification_status == VerificationStatus.APPROVED
    assert mail.outbox[0].to == ["wang@ningbo-cars.cn"]
    approved = client.get(reverse("ops:verifications"), {"status": "approved"}).content.decode()
    assert pending.company.name in approved and operator.email in approved


def test_rejection_needs_a_reason(client, operator, pending, django_capture_on_commit_callbacks):
    client.force_login(operator)
    response = client.post(
        reverse("ops:decide", args=[pending.pk]), {"decision": "reject", "reason": " "}, follow=True
    )
    html = response.content.decode()
    assert html.count(escape(AccountError.REASON_REQUIRED.render())) == 1  # said once
    pending.refresh_from_db()
    assert pending.status == VerificationStatus.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("ops:decide", args=[pending.pk]),
            {"decision": "reject", "reason": "The licence has expired."},
        )
    pending.refresh_from_db()
    assert pending.status == VerificationStatus.REJECTED
    assert "The licence has expired." in mail.outbox[0].body


def test_deciding_twice_is_explained(client, operator, pending):
    client.force_login(operator)
    client.post(reverse("ops:decide", args=[pending.pk]), {"decision": "approve"})
    response = client.post(
        reverse("ops:decide", args=[pending.pk]), {"decision": "approve"}, follow=True
    )
    assert escape(AccountError.ALREADY_DECIDED.render()) in response.content.decode()
