"""Notifications: in-app and by email, in each recipient's language, sent once the change
is committed; the quotation flow tells the supplier and the buyer what happened."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.utils.translation import gettext_lazy
from django_tasks.signals import task_enqueued

from ex1000.notifications import tasks
from ex1000.notifications.models import Notification
from ex1000.notifications.selectors import unread_count
from ex1000.notifications.services import localized_date, localized_money, mark_read, notify
from ex1000.orders import services as order_services
from ex1000.quotes import services as quote_services
from tests.factories import BuyerFactory, SupplierFactory, UserFactory
from tests.helpers import assert_problem
from tests.quotes import fixtures_inquiries as fx

pytestmark = pytest.mark.django_db


def _notice(user, **changes):
    notice = {
        "user": user,
        "kind": "quote_ready",
        "title": gettext_lazy("Quote valid until %(day)s"),
        "body": gettext_lazy("Total %(total)s."),
        "link": "/inquiries/1/",
        "params": {
            "day": localized_date(date(2026, 12, 2)),
            "total": localized_money(Decimal("12345.6"), "USD"),
        },
    }
    return notify(**(notice | changes))


# --- notify ----------------------------------------------------------------------------------


def test_a_notification_is_stored_and_emailed_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory(language="en")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = _notice(user)
        assert mail.outbox == []  # not before the commit

    assert len(callbacks) == 1
    assert notification.title == "Quote valid until Dec. 2, 2026"
    assert notification.body == "Total $12,345.60."
    [email] = mail.outbox
    assert email.to == [user.email]
    assert email.subject == notification.title
    assert "Total $12,345.60." in email.body
    assert "/inquiries/1/" in email.body


@pytest.fixture
def enqueued():
    """The names of the tasks enqueued meanwhile."""
    names = []

    def record(sender, task_result, **kwargs):
        names.append(task_result.task.name)

    task_enqueued.connect(record)
    yield names
    task_enqueued.disconnect(record)


def test_the_email_is_sent_by_a_task_after_commit(django_capture_on_commit_callbacks, enqueued):
    user = UserFactory(language="en")

    with django_capture_on_commit_callbacks(execute=True):
        _notice(user)
        assert enqueued == []  # nothing waits for a change that may yet roll back

    assert enqueued == ["send_notification_email"]
    assert len(mail.outbox) == 1


def test_the_task_does_not_mail_a_user_made_inactive_meanwhile():
    user = UserFactory()
    notification = _notice(user)  # its commit callback never runs here
    user.is_active = False
    user.save()

    tasks.send_notification_email.call(notification.pk)

    assert mail.outbox == []


def test_the_task_mails_the_text_rendered_for_the_recipient():
    user = UserFactory(language="ru")
    notification = _notice(user)

    tasks.send_notification_email.call(notification.pk)

    [email] = mail.outbox
    assert email.subject == notification.title and "2 декабря 2026" in email.subject
    assert email.body.startswith(notification.body) and email.body.endswith("/inquiries/1/")


def test_a_notification_gone_before_its_task_runs_is_skipped():
    tasks.send_notification_email.call(123_456)

    assert mail.outbox == []


@pytest.mark.parametrize(
    ("language", "day", "total"),
    [
        ("ru", "2 декабря 2026 г.", "12\xa0345,60\xa0$"),
        ("zh-hans", "2026年12月2日", "US$12,345.60"),
        ("fr", "2 décembre 2026", "12\u202f345,60\xa0$US"),
    ],
)
def test_the_text_is_rendered_in_the_recipients_language(
    django_capture_on_commit_callbacks, language, day, total
):
    user = UserFactory(language=language)

    with django_capture_on_commit_callbacks(execute=True):
        notification = _notice(user)

    assert day in notification.title
    assert notification.body == f"Total {total}."
    assert day in mail.outbox[0].subject


def test_one_call_site_serves_recipients_of_different_languages(
    django_capture_on_commit_callbacks,
):
    russian, chinese = UserFactory(language="ru"), UserFactory(language="zh-hans")

    with django_capture_on_commit_callbacks(execute=True):
        for user in (russian, chinese):
            _notice(user)

    assert {m.to[0]: m.subject for m in mail.outbox} == {
        russian.email: "Quote valid until 2 декабря 2026 г.",
        chinese.email: "Quote valid until 2026年12月2日",
    }


def test_nothing_is_emailed_when_the_change_is_rolled_back(django_capture_on_commit_callbacks):
    user = UserFactory()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _notice(user)
        raise RuntimeError("the change failed")

    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_inactive_users_get_the_notice_but_no_email(django_capture_on_commit_callbacks):
    user = UserFactory(is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        _notice(user)

    assert Notification.objects.filter(user=user).exists()
    assert mail.outbox == []


def test_mark_read_touches_only_the_users_own_notifications():
    me, other = UserFactory(), UserFactory()
    mine = [_notice(me) for _ in range(3)]
    theirs = _notice(other)

    assert mark_read(user=me, ids=[mine[0].pk, theirs.pk]) == 1
    assert mark_read(user=me) == 2
    assert mark_read(user=me) == 0

    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_unread_count_counts_only_the_users_unread_notifications():
    me, other = UserFactory(), UserFactory()
    first, _second = _notice(me), _notice(me)
    _notice(other)
    mark_read(user=me, ids=[first.pk])

    assert unread_count(me) == 1
    assert unread_count(other) == 1


# --- API -------------------------------------------------------------------------------------


def test_the_list_shows_only_the_users_notifications(login_api):
    me, other = UserFactory(), UserFactory()
    first, second = _notice(me, kind="quote_ready"), _notice(me, kind="payment_rejected")
    _notice(other)
    client = login_api(me)

    body = client.get("notifications").json()

    assert body["count"] == 2 and body["unread"] == 2
    assert [n["id"] for n in body["items"]] == [second.pk, first.pk]
    assert body["items"][0]["read"] is False
    assert {"id", "kind", "title", "body", "link", "created_at", "read_at"} <= set(body["items"][0])


def test_marking_read_through_the_api(login_api):
    me, other = UserFactory(), UserFactory()
    first, second = _notice(me), _notice(me)
    theirs = _notice(other)
    client = login_api(me)

    response = client.post("notifications/read", {"ids": [first.pk, theirs.pk]})

    assert response.status_code == 200, response.content
    assert response.json() == {"read": 1, "unread": 1}
    assert client.get("notifications", {"unread": "true"}).json()["count"] == 1
    assert client.post("notifications/read", {}).json() == {"read": 1, "unread": 0}
    assert client.get("notifications", {"unread": "false"}).json()["count"] == 2
    theirs.refresh_from_db()
    assert theirs.read_at is None
    second.refresh_from_db()
    assert second.read_at is not None


def test_notifications_need_a_login(api):
    assert_problem(api.get("notifications"), 401)
    assert_problem(api.post("notifications/read", {}), 401)


def test_absurd_ids_are_refused(login_api):
    response = login_api(UserFactory()).post("notifications/read", {"ids": [2**70]})

    assert_problem(response, 422)


# --- the quotation flow ----------------------------------------------------------------------


@pytest.fixture
def flow(db, django_capture_on_commit_callbacks):
    """A Russian-speaking buyer asks a Chinese-speaking supplier (two users) for a quote."""
    fx.rate_book()
    seller, [car] = fx.supplier_with_listings(1, language="zh-hans")
    colleague = SupplierFactory(company=seller.company, language="en")
    buyer = BuyerFactory(language="ru")
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = quote_services.submit_inquiry(
            buyer=buyer,
            items=[(car.pk, 1)],
            incoterm="CIF",
            destination="AEJEA",
            mode="roro",
            currency="USD",
        )
    return inquiry, buyer, seller, colleague


def test_submission_tells_the_supplier_users_and_the_buyer(flow):
    inquiry, buyer, seller, colleague = flow
    quote = inquiry.quotes.get()

    kinds = {(n.user, n.kind) for n in Notification.objects.all()}
    assert kinds == {
        (seller, "inquiry_received"),
        (colleague, "inquiry_received"),
        (buyer, "quote_ready"),
    }
    emails = {m.to[0]: m for m in mail.outbox}
    assert set(emails) == {seller.email, colleague.email, buyer.email}
    # Dates and money are written the recipient's way.
    valid_until = quote.valid_until
    assert (
        f"{valid_until.year}年{valid_until.month}月{valid_until.day}日" in emails[seller.email].body
    )
    assert "г.)" in emails[buyer.email].body
    assert re.search(r"\d,\d\d\xa0\$", emails[buyer.email].body)
    assert f"№{inquiry.pk}" in emails[buyer.email].subject  # the buyer reads Russian
    assert f"/inquiries/{inquiry.pk}/" in emails[buyer.email].body
    note = Notification.objects.get(user=buyer)
    assert note.link == f"/inquiries/{inquiry.pk}/"


def test_a_revision_tells_the_buyer(flow, django_capture_on_commit_callbacks):
    inquiry, buyer, seller, _ = flow
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        quote_services.revise_quote(inquiry=inquiry, supplier_user=seller, note="Price held.")

    [email] = mail.outbox
    assert email.to == [buyer.email]
    assert "(версия 2)" in email.subject  # the buyer reads Russian
    assert "Price held." in email.body
    assert Notification.objects.filter(user=buyer, kind="quote_revised").count() == 1


def test_acceptance_tells_the_supplier_users_and_the_buyer(
    flow, django_capture_on_commit_callbacks, client
):
    inquiry, buyer, seller, colleague = flow
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        order = order_services.accept_quote(quote=inquiry.quotes.get(), buyer=buyer)

    assert {m.to[0] for m in mail.outbox} == {seller.email, colleague.email, buyer.email}
    assert all(order.number in m.subject for m in mail.outbox)
    assert Notification.objects.filter(kind="quote_accepted").count() == 2
    # The link leads to a page the buyer can open, and it shows the order number.
    link = Notification.objects.get(kind="order_created").link
    client.force_login(buyer)
    page = client.get(link)
    assert page.status_code == 200
    assert order.number in page.content.decode()


def test_the_notifications_pages_keep_the_unread_filter(client):
    from django.urls import reverse

    from ex1000.notifications import views

    user = UserFactory()
    for n in range(views.PAGE_SIZE + 1):
        Notification.objects.create(user=user, kind="test", title=f"notice {n}")
    client.force_login(user)

    html = client.get(reverse("notifications:list"), {"unread": "1"}).content.decode()

    assert 'href="?unread=1&amp;page=2" rel="next"' in html
