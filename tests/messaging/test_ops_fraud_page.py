"""The operators' fraud queue page (/ops/messages/flagged/): flagged messages newest first
with their warning's label, author's company and role, the text escaped, and links to the
inquiry (and order); staff only, like every ops page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ex1000.messaging.models import MessageWarning, Thread
from ex1000.messaging.services import post_message
from tests.factories import BuyerFactory, SupplierFactory
from tests.orders.builders import accepted_order, stub_pdfs
from tests.quotes.builders import issue_quote

pytestmark = pytest.mark.django_db

PAGE = reverse("ops:flagged_messages")
FRAUD = "Our bank details have changed.\nTo save the fee, pay the balance to my personal account."
ORDINARY = "Please pay the deposit through the platform escrow as usual; we ship next week."
LABEL = "Asks for payment outside escrow / changed bank details"


@pytest.fixture
def order(book, monkeypatch):
    stub_pdfs(monkeypatch)
    return accepted_order()


@pytest.fixture
def seller(order):
    from ex1000.accounts.models import User

    return User.objects.filter(company_id=order.supplier_id, role="supplier").first()


def test_the_label_of_a_warning_lives_in_one_place():
    assert MessageWarning.label_of("off_platform_payment") == LABEL
    assert MessageWarning.label_of("something_newer") == "something_newer"


def test_staff_see_the_flagged_message_and_not_an_ordinary_one(client, order, seller, operator):
    thread = Thread.objects.get(inquiry=order.quote.inquiry)
    flagged = post_message(thread, seller, FRAUD)
    post_message(thread, seller, ORDINARY)
    assert flagged.warnings == ["off_platform_payment"]

    client.force_login(operator)
    response = client.get(PAGE)

    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-message="{flagged.pk}"' in page
    assert "Our bank details have changed.<br>To save the fee" in page  # line breaks kept
    assert LABEL in page
    assert ORDINARY not in page
    assert order.supplier.name in page and "Supplier" in page
    assert reverse("quotes:inquiry_detail", args=[order.quote.inquiry_id]) in page
    assert reverse("orders:detail", args=[order.number]) in page
    assert f'href="{PAGE}"' in page  # in the navigation


def test_newest_first_escaped_and_an_inquiry_without_order_has_no_order_link(
    client, book, operator
):
    quote = issue_quote(book=book)
    inquiry = quote.inquiry
    thread = Thread.objects.get(inquiry=inquiry)
    older = post_message(thread, inquiry.buyer, "Pay to my personal account please.")
    newer = post_message(
        thread, inquiry.buyer, "<script>alert(1)</script> pay to my personal account"
    )

    client.force_login(operator)
    page = client.get(PAGE).content.decode()

    assert page.index(f'data-message="{newer.pk}"') < page.index(f'data-message="{older.pk}"')
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert reverse("quotes:inquiry_detail", args=[inquiry.pk]) in page
    articles = page[page.index('class="panel flagged-message"') :]
    assert 'href="/orders/' not in articles


def test_the_queue_is_paginated(client, order, seller, operator, monkeypatch):
    monkeypatch.setattr("ex1000.ops.messaging_views.PAGE_SIZE", 2)
    thread = Thread.objects.get(inquiry=order.quote.inquiry)
    sent = [post_message(thread, seller, f"{FRAUD} ({n})") for n in range(3)]
    client.force_login(operator)

    first = client.get(PAGE).content.decode()
    second = client.get(PAGE, {"page": 2}).content.decode()

    assert f'data-message="{sent[2].pk}"' in first and f'data-message="{sent[0].pk}"' in second
    assert f'data-message="{sent[0].pk}"' not in first
    assert "Page 1 of 2" in first


def test_visitors_log_in_and_buyers_and_suppliers_see_nothing(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for user in (BuyerFactory(), SupplierFactory()):
        client.force_login(user)
        assert client.get(PAGE).status_code == 404
        assert f'href="{PAGE}"' not in client.get(reverse("accounts:profile")).content.decode()
