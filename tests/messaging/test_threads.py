"""Message threads (orders.md, "Messages"): one per inquiry, continued by its order; read and
written by the parties only; off-platform payment requests are flagged."""

from __future__ import annotations

import pytest

from ex1000.messaging.models import Message, Thread
from ex1000.notifications.models import Notification
from tests.factories import BuyerFactory, OperatorFactory, SupplierFactory
from tests.helpers import assert_problem
from tests.orders.builders import accepted_order, stub_pdfs

pytestmark = pytest.mark.django_db

FIRST = "Please confirm the cars are accident-free."
PERSONAL_ACCOUNT = [
    "To save the fee, please pay the balance to my personal account instead.",
    "为了省手续费，请把余款直接转到我的私人账户。",
    "Переведите оплату на мой личный счёт, чтобы сэкономить комиссию.",
]
ESCROW = "Please pay the deposit through the platform escrow as usual; we ship next week."


@pytest.fixture
def order(book, monkeypatch):
    stub_pdfs(monkeypatch)
    return accepted_order()


@pytest.fixture
def thread(order):
    return Thread.objects.get(inquiry=order.quote.inquiry)


@pytest.fixture
def seller(order):
    from ex1000.accounts.models import User

    return User.objects.filter(company_id=order.supplier_id, role="supplier").first()


def _messages(_client, thread):
    return f"threads/{thread.pk}/messages"


def test_every_inquiry_has_a_thread_opened_by_its_message(order, thread, login_api):
    client = login_api(order.buyer)
    inquiry = client.get(f"inquiries/{order.quote.inquiry_id}").json()
    assert inquiry["thread"] == thread.pk
    items = client.get(_messages(client, thread)).json()["items"]
    assert [m["text"] for m in items] == [FIRST]
    assert items[0]["mine"] is True
    assert items[0]["author"]["role"] == "buyer"
    assert items[0]["warnings"] == []


def test_the_order_continues_the_inquirys_thread(order, thread, login_api):
    body = login_api(order.buyer).get(f"orders/{order.number}").json()
    assert body["thread"] == thread.pk == order.quote.inquiry.thread.pk
    listed = login_api(order.buyer).get("orders").json()["items"]
    assert listed[0]["thread"] == thread.pk


def test_the_parties_read_and_post(order, thread, seller, login_api):
    buyer_client, seller_client = login_api(order.buyer), login_api(seller)
    operator_client = login_api(OperatorFactory())

    response = seller_client.post(_messages(seller_client, thread), {"text": "Yes, no accidents."})
    assert response.status_code == 201, response.content
    posted = response.json()
    assert posted["mine"] is True
    assert posted["author"] == {"role": "supplier", "company_name": seller.company.name}
    assert operator_client.post(_messages(None, thread), {"text": "Noted."}).status_code == 201

    texts = [m["text"] for m in buyer_client.get(_messages(None, thread)).json()["items"]]
    assert texts == [FIRST, "Yes, no accidents.", "Noted."]
    mine = [m["mine"] for m in buyer_client.get(_messages(None, thread)).json()["items"]]
    assert mine == [True, False, False]
    assert operator_client.get(_messages(None, thread)).json()["count"] == 3


@pytest.mark.parametrize(
    "stranger", [BuyerFactory, SupplierFactory], ids=["other buyer", "other supplier"]
)
def test_anyone_else_gets_404(thread, login_api, stranger):
    client = login_api(stranger())
    assert_problem(client.get(_messages(None, thread)), 404)
    assert_problem(client.post(_messages(None, thread), {"text": "Hello"}), 404)
    assert Message.objects.filter(thread=thread).count() == 1


def test_an_unknown_thread_is_404(thread, login_api, order):
    assert_problem(login_api(order.buyer).get("threads/999999/messages"), 404)


def test_the_other_parties_are_notified_with_the_text(order, thread, seller, login_api):
    Notification.objects.all().delete()
    login_api(seller).post(_messages(None, thread), {"text": "The cars leave on Friday."})
    notices = Notification.objects.filter(kind="new_message")
    assert {n.user_id for n in notices} == {order.buyer_id}
    assert "The cars leave on Friday." in notices.get().body


@pytest.mark.parametrize("text", PERSONAL_ACCOUNT, ids=["en", "zh-hans", "ru"])
def test_a_request_to_pay_a_personal_account_is_flagged(order, thread, seller, login_api, text):
    response = login_api(seller).post(_messages(None, thread), {"text": text})
    assert response.status_code == 201, response.content
    assert response.json()["warnings"] == ["off_platform_payment"]
    read = login_api(order.buyer).get(_messages(None, thread)).json()["items"][-1]
    assert read["warnings"] == ["off_platform_payment"]

    flagged = login_api(OperatorFactory()).get("ops/messages/flagged").json()
    assert [m["id"] for m in flagged["items"]] == [response.json()["id"]]
    assert flagged["items"][0]["inquiry"] == order.quote.inquiry_id
    assert flagged["items"][0]["order"] == order.number


def test_an_ordinary_escrow_message_is_not_flagged(thread, seller, login_api):
    response = login_api(seller).post(_messages(None, thread), {"text": ESCROW})
    assert response.json()["warnings"] == []
    assert login_api(OperatorFactory()).get("ops/messages/flagged").json()["count"] == 0


def test_the_fraud_queue_is_for_operators_only(thread, seller, login_api, order):
    assert_problem(login_api(seller).get("ops/messages/flagged"), 403)
    assert_problem(login_api(order.buyer).get("ops/messages/flagged"), 403)


@pytest.mark.parametrize("text", ["", "   ", "x" * 5001], ids=["empty", "blank", "too long"])
def test_invalid_text_is_422(thread, login_api, order, text):
    response = login_api(order.buyer).post(_messages(None, thread), {"text": text})
    assert_problem(response, 422)
    assert "text" in response.json()["errors"]
    assert Message.objects.filter(thread=thread).count() == 1


def test_5000_characters_are_accepted(thread, login_api, order):
    response = login_api(order.buyer).post(_messages(None, thread), {"text": "x" * 5000})
    assert response.status_code == 201


def test_the_messages_are_paginated(thread, login_api, order):
    client = login_api(order.buyer)
    for n in range(3):
        client.post(_messages(None, thread), {"text": f"message {n}"})
    page = client.get(_messages(None, thread), {"page": 2, "page_size": 2}).json()
    assert page["count"] == 4
    assert [m["text"] for m in page["items"]] == ["message 1", "message 2"]


def test_erasing_the_buyer_keeps_the_conversation_without_their_words(book, monkeypatch):
    from ex1000.messaging.services import post_message, thread_for_inquiry
    from ex1000.privacy import erasure
    from tests.orders.builders import trade_in_state

    stub_pdfs(monkeypatch)
    trade = trade_in_state("settled")
    thread = thread_for_inquiry(trade.order.quote.inquiry)
    post_message(thread, trade.buyer, "Thanks, the cars arrived.")
    theirs = post_message(thread, trade.seller, f"Glad to hear it, {trade.buyer.name}!")
    assert erasure.blocking(trade.buyer) == []

    erasure.erase_user(trade.buyer)

    kept = Message.objects.filter(thread=thread).order_by("id")
    assert kept.count() == 3  # the other party's record of the conversation stays
    assert [m.text for m in kept if m.author_id == trade.buyer.pk] == ["", ""]
    theirs.refresh_from_db()
    assert trade.buyer.name not in theirs.text
    assert theirs.text.startswith("Glad to hear it")


def test_a_message_with_attachments_by_multipart(order, thread, seller, login_api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.orders.builders import pdf_file

    client = login_api(seller)
    response = client.upload(
        _messages(None, thread),
        {"text": "The inspection report.", "attachments": [pdf_file("report.pdf")]},
    )
    assert response.status_code == 201, response.content
    (attachment,) = response.json()["attachments"]
    assert attachment["content_type"] == "application/pdf"

    buyer = login_api(order.buyer)
    listed = buyer.get(_messages(None, thread)).json()["items"][-1]
    assert listed["attachments"] == [attachment]
    download = buyer.get(attachment["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Cache-Control"] == "private, no-store"
    assert_problem(login_api(BuyerFactory()).get(attachment["url"]), 404)

    # The email carries the text, never the file.
    notice = Notification.objects.filter(kind="new_message", user=order.buyer).get()
    assert "The inspection report." in notice.body

    fake = SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")
    refused = client.upload(_messages(None, thread), {"text": "Again", "attachments": [fake]})
    assert_problem(refused, 422, "attachments")
    assert_problem(client.upload(_messages(None, thread), {"text": ""}), 422, "text")


def test_bad_bodies_are_answered_with_the_contracts_codes(order, thread, login_api):
    client = login_api(order.buyer)
    url = _messages(client, thread)
    for raw in (b"{", b"[]", b'"hi"'):
        response = client.post(url, raw)
        assert assert_problem(response, 400)["code"] == "malformed"
    long = assert_problem(client.post(url, {"text": "x" * 5001}), 422, "text")
    assert "5000" in " ".join(long["errors"]["text"])
    empty = assert_problem(client.post(url, {"text": ""}), 422, "text")
    assert empty["errors"]["text"][0].strip() not in ("", "At least  characters.")
    assert thread.messages.count() == 1


def test_an_attachment_id_beyond_64_bits_is_refused_not_a_server_error(order, thread, login_api):
    """Found by the schema fuzzer: the lookup of an id no database column can hold was a 500."""
    buyer = login_api(order.buyer)
    huge = 17727538033589995175936
    url = f"/api/v1/threads/{thread.pk}/messages/{huge}/attachments/1"

    assert_problem(buyer.get(url), 422, "message_id")
