"""How a message reaches the other party: an email in the recipient's language carrying the
text, never the attachment; attachments kept privately, re-encoded without their metadata."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ex1000.messaging import services
from ex1000.messaging.models import Attachment, Thread
from tests.catalog.test_photos import GPS_IFD, jpeg_with_gps
from tests.factories import BuyerFactory
from tests.orders.builders import accepted_order, stub_pdfs

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(book, monkeypatch):
    stub_pdfs(monkeypatch)
    return accepted_order(buyer=BuyerFactory(language="ru"))


def test_the_email_is_in_the_recipients_language_with_the_text_and_no_file(
    order, django_capture_on_commit_callbacks
):
    from ex1000.accounts.models import User

    seller = User.objects.filter(company_id=order.supplier_id, role="supplier").first()
    thread = Thread.objects.get(inquiry=order.quote.inquiry)
    photo = SimpleUploadedFile("yard.jpg", jpeg_with_gps(), content_type="image/jpeg")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(thread, seller, "Photos from the yard, the car is clean.", [photo])

    (email,) = [m for m in mail.outbox if order.buyer.email in m.to]
    assert "Новое сообщение" in email.subject  # Russian, the buyer's language
    assert "Photos from the yard, the car is clean." in email.body
    assert email.attachments == []
    assert "yard.jpg" not in email.body

    stored = Attachment.objects.get(message__thread=thread)
    stored.file.open("rb")
    data = stored.file.read()
    stored.file.close()
    exif = Image.open(io.BytesIO(data)).getexif()
    assert GPS_IFD not in exif
    assert b"Canon" not in data and b"Wang Wei" not in data
    assert stored.file.storage.location != str(settings.MEDIA_ROOT)  # private storage


def test_the_notice_of_a_flagged_message_carries_the_warning_in_the_readers_language(
    order, django_capture_on_commit_callbacks
):
    from ex1000.accounts.models import User
    from ex1000.notifications.models import Notification

    seller = User.objects.filter(company_id=order.supplier_id, role="supplier").first()
    thread = Thread.objects.get(inquiry=order.quote.inquiry)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(thread, seller, "Pay the balance to my personal account, please.")
    notice = Notification.objects.get(user=order.buyer, kind="new_message")
    assert "my personal account" in notice.body
    assert "Внимание" in notice.body or "Предупреждение" in notice.body  # Russian reader
    assert "эскроу" in notice.body
    (email,) = [m for m in mail.outbox if order.buyer.email in m.to]
    assert notice.body.splitlines()[-1] in email.body
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(thread, seller, "The deposit arrived in escrow, thank you.")
    ordinary = Notification.objects.filter(user=order.buyer, kind="new_message").latest("id")
    assert "эскроу" not in ordinary.body.split("\n", 1)[0] and len(ordinary.body.splitlines()) == 2
