"""Issue 9, staff access audit: staff views of personal data are recorded (the fraud queue's
message texts, a document download, an order page) and listed on an ops page."""

from __future__ import annotations

import pytest

from ex1000.messaging.models import Thread
from ex1000.messaging.services import post_message
from tests.factories import BuyerFactory, OperatorFactory
from tests.orders.builders import accepted_order, stub_pdfs
from tests.quotes.conftest import book  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("book")]


def test_staff_reads_are_recorded_and_listed(client, monkeypatch):
    stub_pdfs(monkeypatch)
    order = accepted_order()
    seller = order.supplier.members.first()
    thread = Thread.objects.get(inquiry=order.quote.inquiry)
    message = post_message(thread, seller, "Please pay to my personal account instead.")
    operator = OperatorFactory()
    client.force_login(operator)

    assert client.get("/ops/messages/flagged/").status_code == 200
    assert client.get(f"/orders/{order.number}/").status_code == 200
    page = client.get("/ops/privacy/staff-access/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "fraud queue" in html and f"messaging.Message #{message.pk}" in html
    assert operator.email in html
    assert str(seller.pk) in html  # whose data


def test_only_staff_see_the_audit(client):
    client.force_login(BuyerFactory())
    assert client.get("/ops/privacy/staff-access/").status_code == 404
    client.logout()
    assert client.get("/ops/privacy/staff-access/").status_code == 302
