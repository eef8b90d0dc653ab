"""Threads and messages: every inquiry has one thread, which its order continues."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ex1000.accounts.schemas import public_party
from ex1000.accounts.selectors import supplier_users
from ex1000.core.errors import AppError
from ex1000.core.uploads import checked_document
from ex1000.notifications.services import notify_all
from ex1000.orders.models import Order
from ex1000.orders.services import order_link
from ex1000.quotes.models import Inquiry

from . import fraud
from .error_codes import MessagingError
from .models import (
    ATTACHMENTS_MAX,
    TEXT_MAX,
    Attachment,
    Message,
    MessageWarning,
    Thread,
    ThreadRead,
)


def _warnings(text: str) -> list[str]:
    """The detector's warnings; the escrow account's own number and SWIFT never count."""
    known = (settings.ESCROW_ACCOUNT_NUMBER, settings.ESCROW_SWIFT)
    return fraud.warnings_for(text, known=tuple(k for k in known if k))


def thread_for_inquiry(inquiry: Inquiry) -> Thread:
    """The inquiry's thread, created on first need with the inquiry's message (if any) as its
    first message, written by the buyer."""
    thread = Thread.objects.filter(inquiry=inquiry).first()
    if thread is not None:
        return thread
    try:
        with transaction.atomic():
            thread = Thread.objects.create(inquiry=inquiry, created_at=inquiry.created_at)
            text = (inquiry.message or "").strip()
            if text:
                Message.objects.create(
                    thread=thread,
                    author_id=inquiry.buyer_id,
                    text=text[:TEXT_MAX],
                    warnings=_warnings(text),
                    created_at=inquiry.created_at,
                )
    except IntegrityError:  # created meanwhile by another request
        thread = Thread.objects.get(inquiry=inquiry)
    return thread


def parties(thread: Thread) -> list:
    """Who hears of a new message: the buyer and the supplier's active users (operators read
    the thread, and the fraud queue, without being notified of each message)."""
    inquiry = thread.inquiry
    users = [inquiry.buyer] if inquiry.buyer.is_active else []
    return users + list(supplier_users(inquiry.supplier_id))


def thread_link(thread: Thread) -> str:
    """The page that shows the thread: its order's, else its inquiry's."""
    order = Order.objects.filter(quote__inquiry_id=thread.inquiry_id).first()
    return order_link(order) if order is not None else f"/inquiries/{thread.inquiry_id}/"


@transaction.atomic
def post_message(thread: Thread, author, text: str, attachments: Sequence = ()) -> Message:
    """Append a message, with up to ATTACHMENTS_MAX files (PDF, JPEG, PNG ≤ 10 MB each,
    checked by content); it carries the fraud detector's warnings, and the other parties are
    told (the email carries the text, never an attachment)."""
    if len(attachments) > ATTACHMENTS_MAX:
        raise AppError(
            MessagingError.TOO_MANY_ATTACHMENTS,
            errors={"attachments": [MessagingError.TOO_MANY_ATTACHMENTS]},
            max=ATTACHMENTS_MAX,
        )
    checked = [
        checked_document(f, max_bytes=settings.UPLOAD_MAX_BYTES, field="attachments")
        for f in attachments
    ]
    text = (text or "").strip()
    if not text:
        raise AppError(
            MessagingError.EMPTY_MESSAGE, errors={"text": [MessagingError.EMPTY_MESSAGE]}
        )
    if len(text) > TEXT_MAX:
        raise AppError(
            MessagingError.MESSAGE_TOO_LONG,
            errors={"text": [MessagingError.MESSAGE_TOO_LONG]},
            max=TEXT_MAX,
        )
    message = Message.objects.create(
        thread=thread, author=author, text=text, warnings=_warnings(text)
    )
    for file in checked:
        attachment = Attachment(
            message=message, content_type=file.content_type, size=len(file.content)
        )
        name = f"{uuid.uuid4().hex}.{file.extension}"
        attachment.file.save(name, ContentFile(file.content), save=False)
        attachment.save()
    others = [u for u in parties(thread) if u.pk != author.pk]
    params = {"author": public_party(author)["company_name"], "text": text}
    body = _("%(author)s wrote:\n%(text)s")
    if message.warnings:  # the notice and its email carry the warning, as the page does
        body = _("%(author)s wrote:\n%(text)s\n\n%(warning)s")
        params["warning"] = format_lazy(
            "{}: {}. {}",
            _("Warning"),
            MessageWarning.label_of(message.warnings[0]),
            _(
                "Never pay anyone directly: pay only into the EX1000 escrow account shown on "
                "your order."
            ),
        )
    notify_all(
        others,
        kind="new_message",
        title=_("New message from %(author)s"),
        body=body,
        link=thread_link(thread),
        params=params,
    )
    return message


def mark_read(thread: Thread, user, up_to: int) -> None:
    """The user has seen the thread's messages up to id ``up_to`` (never moves back)."""
    if not user.is_authenticated or user.is_staff or not up_to:
        return
    moved = ThreadRead.objects.filter(thread=thread, user=user, last_read_id__lt=up_to).update(
        last_read_id=up_to, read_at=timezone.now()
    )
    if not moved:  # no mark yet, or one already as far (a concurrent first read is kept)
        ThreadRead.objects.bulk_create(
            [ThreadRead(thread=thread, user=user, last_read_id=up_to)], ignore_conflicts=True
        )
