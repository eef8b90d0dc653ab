"""Supplier and buyer verification: documents open a request, an operator decides."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from ex1000.accounts.models import VerificationRequest, VerificationStatus
from ex1000.catalog.models import Vehicle
from tests.factories import BuyerFactory, UnverifiedSupplierFactory
from tests.helpers import assert_problem, listing_payload
from tests.orders.builders import pdf_file

pytestmark = pytest.mark.django_db

PDF = pdf_file().read()


def _upload(client, kind="business_licence", number="91330106MA2CFXYZ4Q"):
    return client.upload(
        "me/documents",
        {
            "kind": kind,
            "number": number,
            "file": SimpleUploadedFile("licence.pdf", PDF, "application/pdf"),
        },
    )


@pytest.fixture
def applicant(login_api):
    """An unverified supplier who has uploaded a business licence."""
    user = UnverifiedSupplierFactory(email="sales@ningbo-cars.example")
    client = login_api(user)
    assert _upload(client).status_code == 201
    return user, client


@pytest.fixture
def ops(login_api, operator):
    return login_api(operator)


@pytest.fixture
def decide(ops, django_capture_on_commit_callbacks):
    """POST a decision as the operator, running the after-commit email."""

    def _decide(request_id, decision, reason="", client=None):
        with django_capture_on_commit_callbacks(execute=True):
            return (client or ops).post(
                f"ops/verifications/{request_id}/decision",
                {"decision": decision, "reason": reason},
            )

    return _decide


def _request_of(user):
    return VerificationRequest.objects.get(company=user.company)


def test_upload_opens_a_pending_request(applicant):
    user, client = applicant

    request = _request_of(user)
    assert request.status == VerificationStatus.PENDING
    assert request.user == user
    assert request.documents.count() == 1
    user.company.refresh_from_db()
    assert user.company.verification_status == VerificationStatus.PENDING
    assert user.company.credit_code == "91330106MA2CFXYZ4Q"
    response = client.get("me/verification")
    assert response.status_code == 200
    assert response.json() == {
        "status": "pending",
        "reason": "",
        "company_name": user.company.name,
    }


def test_further_documents_join_the_pending_request(applicant):
    user, client = applicant

    assert _upload(client, kind="export_qualification", number="EXP-2024-001").status_code == 201

    request = _request_of(user)
    assert request.documents.count() == 2


def test_verification_status_before_any_upload(login_api, buyer):
    response = login_api(buyer).get("me/verification")

    assert response.json()["status"] == "unverified"


def test_verification_status_needs_authentication(api):
    assert_problem(api.get("me/verification"), 401)


def test_operator_lists_pending_requests(applicant, ops):
    user, _ = applicant
    buyer_client_user = BuyerFactory()
    VerificationRequest.objects.create(
        user=buyer_client_user,
        company=buyer_client_user.company,
        status=VerificationStatus.APPROVED,
    )

    response = ops.get("ops/verifications", {"status": "pending"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 1
    assert (body["page"], body["page_size"]) == (1, 20)
    (item,) = body["items"]
    assert item["id"] == _request_of(user).pk
    assert item["user"] == user.email
    assert item["company_name"] == user.company.name
    assert item["role"] == "supplier"
    assert item["status"] == "pending"
    (document,) = item["documents"]
    assert document["kind"] == "business_licence"
    assert document["content_type"] == "application/pdf"
    assert document["url"] == f"/accounts/documents/{document['id']}/"
    # the encrypted licence number is not sprayed into listings
    assert "91330106MA2CFXYZ4Q" not in response.content.decode()

    everything = ops.get("ops/verifications").json()
    assert everything["count"] == 2
    approved = ops.get("ops/verifications", {"status": "approved"}).json()
    assert [i["status"] for i in approved["items"]] == ["approved"]


@pytest.mark.parametrize("who", ["buyer", "supplier", "applicant"])
def test_only_operators_list_requests(request, login_api, applicant, who):
    user = applicant[0] if who == "applicant" else request.getfixturevalue(who)

    response = login_api(user).get("ops/verifications", {"status": "pending"})

    assert assert_problem(response, 403)["code"] == "operators_only"


def test_anonymous_cannot_list_requests(api):
    assert_problem(api.get("ops/verifications"), 401)


def test_unverified_supplier_cannot_publish(applicant):
    _, client = applicant

    body = assert_problem(client.post("vehicles", listing_payload()), 403)

    assert body["code"] == "supplier_not_verified"
    assert "verified" in body["detail"]
    assert not Vehicle.objects.exists()


def test_approval_lets_the_supplier_publish_and_tells_them(applicant, decide):
    user, client = applicant
    request = _request_of(user)

    response = decide(request.pk, "approve")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    user.company.refresh_from_db()
    assert user.company.is_verified and user.company.verified_at is not None
    assert client.get("me/verification").json()["status"] == "approved"
    assert client.post("vehicles", listing_payload()).status_code == 201
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert user.company.name in message.body


def test_approved_company_data_becomes_locked(applicant, decide):
    user, client = applicant
    decide(_request_of(user).pk, "approve")

    body = assert_problem(client.patch("me", {"company_name": "Another Name"}), 403, "company_name")
    assert body["code"] == "locked"


def test_rejection_needs_a_reason(applicant, decide):
    user, _ = applicant
    request = _request_of(user)

    for reason in ("", "   "):
        body = assert_problem(decide(request.pk, "reject", reason), 422, "reason")
        assert body["code"] == "reason_required"

    request.refresh_from_db()
    assert request.status == VerificationStatus.PENDING
    assert not mail.outbox


def test_rejection_tells_the_user_why(applicant, decide):
    user, client = applicant
    reason = "The licence scan is cut off; the credit code is unreadable."

    response = decide(_request_of(user).pk, "reject", reason)

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "rejected"
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert reason in message.body
    status = client.get("me/verification").json()
    assert status == {"status": "rejected", "reason": reason, "company_name": user.company.name}
    assert_problem(client.post("vehicles", listing_payload()), 403)


def test_after_rejection_new_documents_open_a_new_request(applicant, decide):
    user, client = applicant
    decide(_request_of(user).pk, "reject", "Blurry scan.")

    assert _upload(client).status_code == 201

    assert client.get("me/verification").json()["status"] == "pending"
    statuses = VerificationRequest.objects.filter(company=user.company).values_list(
        "status", flat=True
    )
    assert sorted(statuses) == ["pending", "rejected"]


@pytest.mark.parametrize("second", ["approve", "reject"])
def test_deciding_twice_is_a_conflict(applicant, decide, second):
    user, _ = applicant
    request = _request_of(user)
    decide(request.pk, "approve")
    mail.outbox.clear()

    body = assert_problem(decide(request.pk, second, "changed my mind"), 409)
    assert body["code"] == "already_decided"

    request.refresh_from_db()
    assert request.status == VerificationStatus.APPROVED
    assert not mail.outbox


def test_unknown_decision_is_refused(applicant, decide):
    user, _ = applicant

    body = assert_problem(decide(_request_of(user).pk, "maybe"), 422, "decision")
    assert body["code"] == "invalid_choice"


def test_deciding_a_missing_request_is_404(decide):
    assert assert_problem(decide(999_999, "approve"), 404)["code"] == "not_found"


@pytest.mark.parametrize("who", ["buyer", "supplier"])
def test_only_operators_decide(request, applicant, decide, login_api, who):
    user, _ = applicant
    client = login_api(request.getfixturevalue(who))

    body = assert_problem(decide(_request_of(user).pk, "approve", client=client), 403)
    assert body["code"] == "operators_only"

    assert _request_of(user).status == VerificationStatus.PENDING


def test_anonymous_cannot_decide(applicant, api):
    user, _ = applicant

    response = api.post(
        f"ops/verifications/{_request_of(user).pk}/decision", {"decision": "approve"}
    )

    assert_problem(response, 401)
