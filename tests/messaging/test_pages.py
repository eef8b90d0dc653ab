"""The thread on the inquiry and order pages: polling brings what is new, sending does not
reload, the reader of a flagged message is warned, unread counts fall as messages are read;
anybody who is not a party gets 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ex1000.messaging import services
from ex1000.messaging.models import Message, Thread
from tests.factories import BuyerFactory, OperatorFactory
from tests.orders.builders import accepted_order, stub_pdfs

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PERSONAL = "Please pay the balance to my personal account, it saves the bank fee."
ESCROW = "The deposit reached escrow, thank you; loading on Friday."


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


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_thread_is_on_the_order_and_inquiry_pages_for_both_parties(
    client, order, thread, seller
):
    services.post_message(thread, seller, ESCROW)
    for user in (order.buyer, seller):
        for url in (f"/orders/{order.number}/", f"/inquiries/{order.quote.inquiry_id}/"):
            html = _page(client, user, url)
            assert 'id="thread"' in html
            assert "Please confirm the cars are accident-free." in html  # the inquiry's message
            assert ESCROW in html
            assert f'hx-get="/messages/threads/{thread.pk}/new/?after=' in html


def test_polling_brings_only_what_is_new_and_marks_it_read(client, order, thread, seller):
    first = thread.messages.get()
    client.force_login(order.buyer)
    quiet = client.get(f"/messages/threads/{thread.pk}/new/", {"after": first.pk}, **HTMX)
    assert quiet.status_code == 200
    assert "message-item" not in quiet.content.decode()
    assert client.get("/messages/").context["unread_messages"] == 0

    services.post_message(thread, seller, ESCROW)
    assert client.get("/messages/").context["unread_messages"] == 1
    news = client.get(f"/messages/threads/{thread.pk}/new/", {"after": first.pk}, **HTMX)
    html = news.content.decode()
    assert ESCROW in html and "accident-free" not in html
    newest = thread.messages.latest("id")
    assert f"?after={newest.pk}" in html  # the next poll starts after it
    assert f'hx-swap-oob="beforeend:#thread-{thread.pk}-messages"' in html
    assert client.get("/messages/").context["unread_messages"] == 0


def test_sending_from_the_page_answers_with_the_new_message(client, order, thread, seller):
    first = thread.messages.get()
    client.force_login(seller)
    response = client.post(
        f"/messages/threads/{thread.pk}/send/", {"text": ESCROW, "after": first.pk}, **HTMX
    )
    assert response.status_code == 200
    assert ESCROW in response.content.decode()
    message = thread.messages.latest("id")
    assert (message.text, message.author) == (ESCROW, seller)


def test_a_refused_message_shows_its_error_in_the_form(client, order, thread, seller):
    client.force_login(seller)
    response = client.post(f"/messages/threads/{thread.pk}/send/", {"text": "  "}, **HTMX)
    assert response.status_code == 422
    assert response["HX-Retarget"] == f"#thread-{thread.pk}-errors"
    assert "field-error" in response.content.decode()
    assert thread.messages.count() == 1

    bad = SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = client.post(
        f"/messages/threads/{thread.pk}/send/", {"text": "See file", "attachments": bad}, **HTMX
    )
    assert response.status_code in (400, 422)
    assert thread.messages.count() == 1


def test_without_javascript_the_form_posts_and_returns_to_the_thread(client, order, thread):
    client.force_login(order.buyer)
    response = client.post(f"/messages/threads/{thread.pk}/send/", {"text": "When is loading?"})
    assert response.status_code == 302
    assert response["Location"] == f"/orders/{order.number}/#thread"
    assert thread.messages.filter(text="When is loading?").exists()


def test_the_reader_of_a_flagged_message_is_warned_its_author_is_not_accused(
    client, order, thread, seller
):
    services.post_message(thread, seller, PERSONAL)
    buyer_page = _page(client, order.buyer, f"/orders/{order.number}/")
    assert 'class="fraud-warning"' in buyer_page
    assert "Asks for payment outside escrow" in buyer_page and "escrow account shown" in buyer_page
    seller_page = _page(client, seller, f"/orders/{order.number}/")
    assert 'class="fraud-warning"' not in seller_page
    assert "Operators review messages like this one" in seller_page
    # An ordinary message about escrow carries no warning.
    services.post_message(thread, seller, ESCROW)
    buyer_page = _page(client, order.buyer, f"/orders/{order.number}/")
    assert ESCROW in buyer_page
    assert buyer_page.count('class="fraud-warning"') == 1


def test_unread_counts_in_the_header_and_the_inbox(client, order, thread, seller):
    services.post_message(thread, seller, ESCROW)
    services.post_message(thread, seller, "And the B/L draft is attached tomorrow.")
    client.force_login(order.buyer)
    inbox = client.get("/messages/")
    html = inbox.content.decode()
    assert 'id="messages-link"' in html and 'data-unread="2"' in html
    assert [t.unread for t in inbox.context["threads"]] == [2]
    client.get(f"/orders/{order.number}/")  # reading the page reads the thread
    inbox = client.get("/messages/")
    assert [t.unread for t in inbox.context["threads"]] == [0]
    assert inbox.context["unread_messages"] == 0
    # The supplier's own two messages are not unread to the supplier: the buyer's first is.
    client.force_login(seller)
    assert client.get("/messages/").context["unread_messages"] == 1
    services.post_message(thread, order.buyer, "Thank you.")
    assert client.get("/messages/").context["unread_messages"] == 2


def test_long_threads_show_the_latest_page_and_load_earlier_ones(client, order, thread, seller):
    from ex1000.messaging.views import PAGE_MESSAGES

    total = PAGE_MESSAGES * 2 + 5  # with the inquiry's first message: two pages and six
    Message.objects.bulk_create(
        Message(thread=thread, author=seller, text=f"Update number {n}.") for n in range(total)
    )
    html = _page(client, order.buyer, f"/orders/{order.number}/")
    assert html.count('class="message-item') == PAGE_MESSAGES
    assert f"Update number {total - 1}." in html
    assert f"Update number {total - PAGE_MESSAGES - 1}." not in html
    assert "Show earlier messages" in html

    ids = list(thread.messages.order_by("id").values_list("pk", flat=True))
    middle = client.get(
        f"/messages/threads/{thread.pk}/earlier/", {"before": ids[-PAGE_MESSAGES]}
    ).content.decode()
    assert middle.count('class="message-item') == PAGE_MESSAGES
    assert "Show earlier messages" in middle
    oldest = client.get(
        f"/messages/threads/{thread.pk}/earlier/", {"before": ids[-2 * PAGE_MESSAGES]}
    ).content.decode()
    assert oldest.count('class="message-item') == 6  # the inquiry's message and updates 0–4
    assert "accident-free" in oldest and "Update number 4." in oldest
    assert "Show earlier messages" not in oldest


def test_outsiders_get_404_and_operators_read_without_unread_counts(client, order, thread):
    outsider = BuyerFactory()
    client.force_login(outsider)
    for response in (
        client.get(f"/messages/threads/{thread.pk}/new/", **HTMX),
        client.get(f"/messages/threads/{thread.pk}/earlier/"),
        client.get(f"/messages/threads/{thread.pk}/"),
        client.post(f"/messages/threads/{thread.pk}/send/", {"text": "hello"}, **HTMX),
    ):
        assert response.status_code == 404
    assert thread.messages.count() == 1
    assert list(client.get("/messages/").context["threads"]) == []

    client.force_login(OperatorFactory())
    response = client.get(f"/messages/threads/{thread.pk}/new/", **HTMX)
    assert response.status_code == 200
    assert "accident-free" in response.content.decode()


def test_after_the_session_ends_polling_stops_and_the_text_is_kept(client, thread):
    poll = client.get(f"/messages/threads/{thread.pk}/new/", **HTMX)
    assert poll.status_code == 286  # htmx stops the "every 4s" trigger
    sent = client.post(f"/messages/threads/{thread.pk}/send/", {"text": "Still there?"}, **HTMX)
    assert sent.status_code == 401
    assert sent["HX-Retarget"] == f"#thread-{thread.pk}-errors"
    assert "session has ended" in sent.content.decode()
    assert not thread.messages.filter(text="Still there?").exists()
    # Without htmx it is the usual way to the login page.
    page = client.get(f"/messages/threads/{thread.pk}/new/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
