"""The Django admin: every page opens, and verification decisions go through the service."""

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ex1000.accounts import services
from ex1000.accounts.models import User, VerificationStatus
from tests.factories import UnverifiedSupplierFactory, VehicleFactory
from tests.orders.builders import pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending():
    supplier = UnverifiedSupplierFactory()
    document = services.upload_document(
        user=supplier,
        kind="business_licence",
        file=SimpleUploadedFile("licence.pdf", pdf_file().read(), "application/pdf"),
    )
    return document.request


def test_every_admin_list_and_change_page_opens(client, operator, pending):
    VehicleFactory()
    client.force_login(operator)
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        changelist = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert changelist.status_code == 200, model
        obj = model.objects.first()
        if obj is not None:
            change = client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            assert change.status_code == 200, model
        if model_admin.has_add_permission(changelist.wsgi_request):
            assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200


def test_admin_creates_a_user_by_email(client, operator):
    client.force_login(operator)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "forwarder@logistics.example",
            "role": "logistics",
            "password1": "Port-of-Qingdao-7",
            "password2": "Port-of-Qingdao-7",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(email="forwarder@logistics.example").check_password("Port-of-Qingdao-7")


def test_admin_approve_action(client, operator, pending, django_capture_on_commit_callbacks):
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_verificationrequest_changelist"),
            {"action": "approve_selected", ACTION_CHECKBOX_NAME: [pending.pk]},
            follow=True,
        )
    assert "1 request approved" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == VerificationStatus.APPROVED and pending.decided_by == operator
    assert len(mail.outbox) == 1


def test_admin_reject_action_asks_for_the_reason(
    client, operator, pending, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    url = reverse("admin:accounts_verificationrequest_changelist")
    page = client.post(url, {"action": "reject_selected", ACTION_CHECKBOX_NAME: [pending.pk]})
    assert page.status_code == 200
    assert "Reason for rejection" in page.content.decode()
    pending.refresh_from_db()
    assert pending.status == VerificationStatus.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "action": "reject_selected",
                ACTION_CHECKBOX_NAME: [pending.pk],
                "reason": "The company name on the licence differs.",
            },
        )
    pending.refresh_from_db()
    assert pending.status == VerificationStatus.REJECTED
    assert pending.reason == "The company name on the licence differs."
    assert "The company name on the licence differs." in mail.outbox[0].body
