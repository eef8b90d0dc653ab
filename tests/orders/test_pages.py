"""The order pages: the buyer's and supplier's orders, the order page with its forms and
actions, the operators' payments queue and orders, notifications, and the admin."""

from __future__ import annotations

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ex1000.core.events import events_of
from ex1000.core.money import quantize
from ex1000.notifications.models import Notification
from ex1000.orders import services
from ex1000.orders.models import Consignee, Order, OrderStatus, Payment, PaymentStatus
from ex1000.quotes import services as quote_services
from tests.factories import BuyerFactory, OperatorFactory, SupplierFactory
from tests.helpers import image_bytes
from tests.quotes import fixtures_inquiries as fx

pytestmark = pytest.mark.django_db


@pytest.fixture
def trade(db):
    """An accepted quotation: the order, its buyer, a supplier user, an operator."""
    fx.rate_book()
    seller, [car] = fx.supplier_with_listings(1)
    buyer = BuyerFactory()
    inquiry = quote_services.submit_inquiry(
        buyer=buyer,
        items=[(car.pk, 1)],
        incoterm="CIF",
        destination="AEJEA",
        mode="roro",
        currency="USD",
        payment_terms="30/70",
    )
    order = services.accept_quote(quote=inquiry.quotes.get(), buyer=buyer)
    return order, buyer, seller, OperatorFactory()


def page_of(order: Order) -> str:
    return reverse("orders:detail", args=[order.number])


def proof(name="transfer.png"):
    return SimpleUploadedFile(name, image_bytes(fmt="PNG"), content_type="image/png")


def signed(order, buyer, seller) -> Order:
    services.perform(order=order, action="sign", actor=buyer)
    services.perform(order=order, action="sign", actor=seller)
    order.refresh_from_db()
    return order


def pay(order, buyer, kind, amount) -> Payment:
    return services.submit_payment(
        order=order,
        buyer=buyer,
        kind=kind,
        amount=str(quantize(amount, order.currency)),
        currency=order.currency,
        reference="TT-1",
        file=proof(),
    )


# --- lists -----------------------------------------------------------------------------------


def test_the_buyer_and_the_supplier_see_the_order_in_their_lists_and_others_do_not(trade, client):
    order, buyer, seller, _operator = trade
    for user in (buyer, seller):
        client.force_login(user)
        response = client.get(reverse("orders:list"))
        assert response.status_code == 200
        assert order.number in response.content.decode()
    client.force_login(seller)
    assert order.number in client.get("/supplier/orders/").content.decode()

    client.force_login(BuyerFactory())
    assert order.number not in client.get(reverse("orders:list")).content.decode()
    client.force_login(SupplierFactory())
    assert order.number not in client.get(reverse("orders:list")).content.decode()


def test_the_list_filters_by_status_and_answers_htmx_with_the_rows_only(trade, client):
    order, buyer, _seller, _operator = trade
    client.force_login(buyer)
    shown = client.get(reverse("orders:list"), {"status": "pending_contract"}).content.decode()
    assert order.number in shown
    hidden = client.get(reverse("orders:list"), {"status": "shipped"}).content.decode()
    assert order.number not in hidden
    assert "No orders with this status." in hidden
    partial = client.get(reverse("orders:list"), headers={"HX-Request": "true"}).content.decode()
    assert order.number in partial and "<html" not in partial
    # an unknown status is ignored, not an error
    assert client.get(reverse("orders:list"), {"status": "nonsense"}).status_code == 200


def test_the_list_is_paginated(trade, client):
    order, buyer, *_ = trade
    client.force_login(buyer)
    response = client.get(reverse("orders:list"), {"page": "99"})
    assert response.status_code == 200
    assert order.number in response.content.decode()  # the last page


def test_lists_need_a_login(client):
    response = client.get(reverse("orders:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the order page --------------------------------------------------------------------------


def test_the_order_page_opens_for_its_parties_and_operators_only(trade, client):
    order, buyer, seller, operator = trade
    colleague = SupplierFactory(company=seller.company)
    for user in (buyer, seller, colleague, operator):
        client.force_login(user)
        response = client.get(page_of(order))
        assert response.status_code == 200, user
        assert order.number in response.content.decode()
    for stranger in (BuyerFactory(), SupplierFactory()):
        client.force_login(stranger)
        assert client.get(page_of(order)).status_code == 404
    client.logout()
    assert client.get(page_of(order)).status_code == 302
    client.force_login(buyer)
    assert client.get("/orders/EX-0000-000000/").status_code == 404


def test_the_order_page_shows_the_escrow_account_with_the_reference_and_the_warning(
    trade, client, settings
):
    order, buyer, *_ = trade
    client.force_login(buyer)
    html = client.get(page_of(order)).content.decode()
    assert settings.ESCROW_ACCOUNT_NUMBER in html
    assert settings.ESCROW_SWIFT in html
    assert re.search(r'class="mono reference"><strong>' + re.escape(order.number), html)
    assert "never asks anyone to pay a supplier directly" in html
    # what is next and who acts
    assert 'id="next-step"' in html
    assert "Both parties sign the sales contract." in html
    assert 'aria-current="step"' in html
    # what happened
    assert 'data-type="accept"' in html


def test_both_parties_sign_on_the_page(trade, client):
    order, buyer, seller, _operator = trade
    action = reverse("orders:action", args=[order.number, "sign"])
    client.force_login(buyer)
    assert 'data-action="sign"' in client.get(page_of(order)).content.decode()
    response = client.post(action, HTTP_USER_AGENT="Page test")
    assert response.status_code == 302
    # signed once: no second button, and a second try says why
    assert 'data-action="sign"' not in client.get(page_of(order)).content.decode()
    client.post(action)
    assert "already signed" in client.get(page_of(order)).content.decode()

    client.force_login(seller)
    client.post(action)
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_DEPOSIT
    record = events_of(order).filter(type="sign").first()
    assert record.user_agent == "Page test"


def test_cancel_needs_a_reason_and_a_wrong_action_is_refused_with_its_message(trade, client):
    order, buyer, seller, _operator = trade
    client.force_login(buyer)
    response = client.post(reverse("orders:action", args=[order.number, "cancel"]), follow=True)
    assert "Give a reason." in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_CONTRACT

    client.force_login(seller)
    response = client.post(
        reverse("orders:action", args=[order.number, "start_export"]), follow=True
    )
    assert "You cannot start export processing while the order is" in html.unescape(
        response.content.decode()
    )

    client.force_login(buyer)
    client.post(
        reverse("orders:action", args=[order.number, "cancel"]), {"reason": "Found another car"}
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert events_of(order).get(type="cancel").note == "Found another car"


def test_the_buyer_uploads_a_proof_with_the_amount_and_currency_prefilled(trade, client):
    order, buyer, seller, _operator = trade
    order = signed(order, buyer, seller)
    client.force_login(buyer)
    html = client.get(page_of(order)).content.decode()
    assert 'name="currency"' in html and f'value="{order.currency}"' in html
    deposit = quantize(order.deposit, order.currency)
    assert f'value="{deposit}"' in html
    response = client.post(
        reverse("orders:submit_payment", args=[order.number]),
        {
            "kind": "deposit",
            "amount": str(deposit),
            "currency": order.currency,
            "reference": "SWIFT-123",
            "file": proof(),
        },
    )
    assert response.status_code == 302, response.content.decode()
    payment = Payment.objects.get()
    assert (payment.kind, payment.amount, payment.status) == (
        "deposit",
        order.deposit,
        PaymentStatus.SUBMITTED,
    )
    html = client.get(page_of(order)).content.decode()
    assert "SWIFT-123" in html
    assert reverse("orders:payment_proof", args=[payment.pk]) in html


def test_a_refused_payment_shows_the_services_messages_on_the_form(trade, client):
    order, buyer, seller, _operator = trade
    order = signed(order, buyer, seller)
    client.force_login(buyer)
    url = reverse("orders:submit_payment", args=[order.number])
    data = {"kind": "deposit", "currency": order.currency, "reference": "R-1"}
    response = client.post(url, {**data, "amount": "12.3456", "file": proof()})
    assert response.status_code == 422
    html = response.content.decode()
    assert "decimal places" in html and "field-error" in html

    bad_file = SimpleUploadedFile("x.pdf", b"not a pdf at all", content_type="application/pdf")
    deposit = str(quantize(order.deposit, "USD"))
    response = client.post(url, {**data, "amount": deposit, "file": bad_file})
    assert response.status_code == 422
    assert Payment.objects.count() == 0

    response = client.post(url, {**data, "currency": "EUR", "amount": "10", "file": proof()})
    assert response.status_code == 422
    assert "Pay in the order" in response.content.decode()


def test_the_supplier_sees_amounts_and_statuses_but_never_the_proof(trade, client):
    order, buyer, seller, operator = trade
    order = signed(order, buyer, seller)
    payment = pay(order, buyer, "deposit", order.deposit)
    proof_url = reverse("orders:payment_proof", args=[payment.pk])

    client.force_login(seller)
    html = client.get(page_of(order)).content.decode()
    assert f'data-payment="{payment.pk}"' in html
    assert proof_url not in html
    assert "upload-proof" not in html  # no proof upload form either
    assert client.get(proof_url).status_code == 404

    for user in (buyer, operator):
        client.force_login(user)
        response = client.get(proof_url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    client.force_login(BuyerFactory())
    assert client.get(proof_url).status_code == 404


def test_the_operator_confirms_and_rejects_on_the_order_page(trade, client):
    order, buyer, seller, operator = trade
    order = signed(order, buyer, seller)
    first = pay(order, buyer, "deposit", order.deposit)
    client.force_login(operator)
    html = client.get(page_of(order)).content.decode()
    assert 'data-action="confirm_deposit"' in html and 'data-action="reject_payment"' in html
    client.post(
        reverse("orders:action", args=[order.number, "reject_payment"]),
        {"payment": first.pk, "reason": "Amount not received"},
    )
    first.refresh_from_db()
    assert (first.status, first.rejection_reason) == ("rejected", "Amount not received")

    client.force_login(buyer)
    html = client.get(page_of(order)).content.decode()
    assert "Amount not received" in html
    assert operator.name not in html  # staff act as EX1000
    second = pay(order, buyer, "deposit", order.deposit)
    client.force_login(operator)
    client.post(
        reverse("orders:action", args=[order.number, "confirm_deposit"]), {"payment": second.pk}
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.DEPOSIT_PAID


def test_the_consignee_form_saves_and_shows_field_errors(trade, client):
    order, buyer, seller, _operator = trade
    client.force_login(buyer)
    url = reverse("orders:consignee", args=[order.number])
    data = {
        "name": "Omar Haddad",
        "company": "Gulf Cars FZE",
        "address": "Plot 12, Jebel Ali Free Zone",
        "city": "Dubai",
        "country": "AE",
        "phone": "not a phone",
        "email": "omar@gulfcars.example",
    }
    response = client.post(url, data)
    assert response.status_code == 422
    assert "field-error" in response.content.decode()
    assert not Consignee.objects.exists()

    response = client.post(url, {**data, "phone": "+971 4 334 5678"})
    assert response.status_code == 302
    consignee = Consignee.objects.get(order=order)
    assert consignee.phone == "+97143345678"

    client.force_login(seller)
    html = client.get(page_of(order)).content.decode()
    assert "Omar Haddad" in html and 'action="' + url not in html  # read-only for the supplier


def test_the_contract_pdf_is_for_the_parties(trade, client):
    order, buyer, *_ = trade
    client.force_login(buyer)
    response = client.get(reverse("orders:generated_document", args=[order.number, "contract"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(BuyerFactory())
    assert (
        client.get(
            reverse("orders:generated_document", args=[order.number, "contract"])
        ).status_code
        == 404
    )


def test_arabic_pages_are_right_to_left_and_russian_pages_say_their_language(trade, client):
    order, buyer, *_ = trade
    client.force_login(buyer)
    client.cookies["django_language"] = "ar"
    html = client.get(page_of(order)).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    client.cookies["django_language"] = "ru"
    for url in (page_of(order), reverse("orders:list"), reverse("notifications:list")):
        html = client.get(url).content.decode()
        assert '<html lang="ru" dir="ltr">' in html, url


# --- operators -------------------------------------------------------------------------------


def test_the_payments_queue_is_for_operators_and_decides_by_the_payments_kind(trade, client):
    order, buyer, seller, operator = trade
    order = signed(order, buyer, seller)
    payment = pay(order, buyer, "deposit", order.deposit)
    for user in (buyer, seller):
        client.force_login(user)
        assert client.get(reverse("ops:payments")).status_code == 404
        response = client.post(
            reverse("ops:decide_payment", args=[payment.pk]), {"decision": "confirm"}
        )
        assert response.status_code == 404

    client.force_login(operator)
    html = client.get(reverse("ops:payments")).content.decode()
    assert order.number in html and f'data-payment="{payment.pk}"' in html
    assert reverse("orders:payment_proof", args=[payment.pk]) in html

    # a rejection without a reason is refused, then one with a reason goes through
    client.post(reverse("ops:decide_payment", args=[payment.pk]), {"decision": "reject"})
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUBMITTED
    client.post(
        reverse("ops:decide_payment", args=[payment.pk]),
        {"decision": "reject", "reason": "Wrong reference"},
    )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REJECTED

    again = pay(order, buyer, "deposit", order.deposit)
    response = client.post(
        reverse("ops:decide_payment", args=[again.pk]), {"decision": "confirm"}, follow=True
    )
    assert "confirmed" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.DEPOSIT_PAID
    decided = client.get(reverse("ops:payments"), {"status": "confirmed"}).content.decode()
    assert f'data-payment="{again.pk}"' in decided


def test_all_orders_for_operators_with_a_status_filter(trade, client):
    order, buyer, _seller, operator = trade
    client.force_login(buyer)
    assert client.get(reverse("ops:orders")).status_code == 404
    client.force_login(operator)
    assert order.number in client.get(reverse("ops:orders")).content.decode()
    filtered = client.get(reverse("ops:orders"), {"status": "settled"}).content.decode()
    assert order.number not in filtered


def test_the_admin_shows_orders_read_only_with_their_operation_records(trade, client):
    order, buyer, seller, operator = trade
    signed(order, buyer, seller)
    client.force_login(operator)
    assert client.get(reverse("admin:orders_order_changelist")).status_code == 200
    response = client.get(reverse("admin:orders_order_change", args=[order.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "awaiting_deposit" in html and "<td>sign</td>" in html
    assert 'name="_save"' not in html  # nothing to edit
    assert client.get(reverse("admin:orders_payment_changelist")).status_code == 200
    assert client.get(reverse("admin:orders_order_add")).status_code == 403


# --- notifications ---------------------------------------------------------------------------


def test_the_header_counts_unread_notifications_and_the_page_marks_them_read(trade, client):
    _order, buyer, *_ = trade
    Notification.objects.filter(user=buyer).exclude(kind="order_created").delete()
    mine = Notification.objects.filter(user=buyer)
    others = Notification.objects.exclude(user=buyer).first()
    client.force_login(buyer)

    html = client.get(reverse("catalog:home")).content.decode()
    assert 'data-unread="1"' in html
    page = client.get(reverse("notifications:list")).content.decode()
    assert mine.get().title in page
    assert others.title not in page or others.title == mine.get().title

    # htmx: the item comes back read, with the header's badge out of band
    response = client.post(
        reverse("notifications:read"), {"id": mine.get().pk}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert 'hx-swap-oob="true"' in html and "data-unread" not in html
    assert mine.get().read_at is not None
    assert 'data-unread="' not in client.get(reverse("catalog:home")).content.decode()

    # someone else's notification cannot be marked or opened
    client.post(reverse("notifications:read"), {"id": others.pk})
    others.refresh_from_db()
    assert others.read_at is None
    assert client.post(reverse("notifications:open", args=[others.pk])).status_code == 404


def test_opening_a_notification_marks_it_read_and_follows_its_link(trade, client):
    order, buyer, *_ = trade
    notification = Notification.objects.get(user=buyer, kind="order_created")
    client.force_login(buyer)
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == page_of(order)
    notification.refresh_from_db()
    assert notification.read_at is not None
    client.post(reverse("notifications:read"))  # all
    assert not Notification.objects.filter(user=buyer, read_at__isnull=True).exists()


def test_the_supplier_uploads_an_export_document_and_the_buyer_downloads_it(book, client):
    from tests.orders.builders import pdf_file, trade_in_state

    trade = trade_in_state("deposit_paid")
    client.force_login(trade.seller)
    response = client.post(
        reverse("orders:upload_document", args=[trade.order.number]),
        {"kind": "export_licence", "file": pdf_file("licence.pdf")},
    )
    assert response.status_code == 302
    document = trade.order.documents.get(generated=False)
    assert document.kind == "export_licence"

    bad = client.post(
        reverse("orders:upload_document", args=[trade.order.number]),
        {"kind": "export_licence", "file": pdf_file("x.pdf") and _not_a_pdf()},
    )
    assert bad.status_code == 422
    assert trade.order.documents.filter(generated=False).count() == 1

    client.force_login(trade.buyer)
    page = client.get(reverse("orders:detail", args=[trade.order.number])).content.decode()
    url = reverse("orders:uploaded_document", args=[trade.order.number, document.pk])
    assert url in page and "Upload an export document" not in page
    assert b"".join(client.get(url).streaming_content).startswith(b"%PDF")


def _not_a_pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("x.pdf", b"%PDF-1.4 truncated", content_type="application/pdf")
