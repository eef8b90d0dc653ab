"""Who sees which thread: the inquiry's buyer, the supplier's users and operators; anybody
else gets 404, as if it did not exist."""

from __future__ import annotations

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse

from ex1000.accounts.schemas import public_party
from ex1000.orders.models import Order

from .models import Attachment, Message, Thread, ThreadRead


def threads_visible_to(user) -> QuerySet[Thread]:
    threads = Thread.objects.select_related("inquiry")
    if not user.is_authenticated:
        return threads.none()
    if user.is_staff:
        return threads
    if user.is_buyer:
        return threads.filter(inquiry__buyer=user)
    if user.is_supplier and user.company_id is not None:
        return threads.filter(inquiry__supplier_id=user.company_id)
    return threads.none()


def thread_for(user, thread_id: int) -> Thread:
    thread = threads_visible_to(user).filter(pk=thread_id).first()
    if thread is None:
        raise Http404
    return thread


def messages_of(thread: Thread) -> QuerySet[Message]:
    return (
        thread.messages.select_related("author__company")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )


def flagged_messages() -> QuerySet[Message]:
    """Messages the fraud detector warned about, newest first: the operators' queue."""
    return (
        Message.objects.exclude(warnings=[])
        .select_related("author__company", "thread__inquiry")
        .prefetch_related("attachments")
        .order_by("-created_at", "-id")
    )


def messages_before(thread: Thread, before: int | None, count: int) -> tuple[list[Message], bool]:
    """The ``count`` messages before id ``before`` (None: the latest), oldest first, and
    whether there are earlier ones still."""
    older = messages_of(thread)
    if before is not None:
        older = older.filter(pk__lt=before)
    page = list(older.order_by("-created_at", "-id")[: count + 1])
    return page[:count][::-1], len(page) > count


def messages_after(thread: Thread, after: int) -> QuerySet[Message]:
    """What a thread page that shows messages up to ``after`` has not shown yet."""
    return messages_of(thread).filter(pk__gt=after)


def _unread(user) -> Q:
    """Unread by ``user``: written by someone else, newer than the user's read mark."""
    read = ThreadRead.objects.filter(
        thread=OuterRef("thread"), user=user, last_read_id__gte=OuterRef("pk")
    )
    return ~Q(author=user) & ~Exists(read)


def _party_threads(user) -> QuerySet[Thread]:
    """Threads where the user is a party; operators read every thread but are nobody's
    correspondent, so nothing is "unread" for them."""
    if not user.is_authenticated or user.is_staff:
        return Thread.objects.none()
    return threads_visible_to(user)


def unread_count(user) -> int:
    return Message.objects.filter(Q(thread__in=_party_threads(user)) & _unread(user)).count()


def last_read_id(thread: Thread, user) -> int:
    mark = ThreadRead.objects.filter(thread=thread, user=user).values_list(
        "last_read_id", flat=True
    )
    return mark.first() or 0


def inbox(user) -> QuerySet[Thread]:
    """The user's threads with messages, latest activity first, each with ``unread``,
    ``message_count`` and ``last_message_at``; the latest message text is ``last_text``."""
    latest = Message.objects.filter(thread=OuterRef("pk")).order_by("-created_at", "-id")
    read_mark = ThreadRead.objects.filter(thread=OuterRef("pk"), user=user).values("last_read_id")
    return (
        _party_threads(user)
        .select_related("inquiry__buyer__company", "inquiry__supplier")
        .annotate(
            message_count=Count("messages"),
            last_message_at=Max("messages__created_at"),
            last_text=Subquery(latest.values("text")[:1]),
            unread=Count(
                "messages",
                filter=~Q(messages__author=user)
                & Q(messages__pk__gt=Coalesce(Subquery(read_mark), 0)),
            ),
        )
        .filter(message_count__gt=0)
        .order_by("-last_message_at", "-pk")
    )


def _author(user) -> dict | None:
    if user is None:
        return None
    role = "operator" if user.is_staff else user.role
    return {"role": role, "company_name": public_party(user)["company_name"]}


def _attachment_json(message: Message, attachment: Attachment) -> dict:
    url = reverse(
        "api:message_attachment",
        kwargs={
            "thread_id": message.thread_id,
            "message_id": message.pk,
            "attachment_id": attachment.pk,
        },
    )
    return {
        "id": attachment.pk,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "url": url,
    }


def message_json(message: Message, reader) -> dict:
    return {
        "id": message.pk,
        "thread": message.thread_id,
        "author": _author(message.author),
        "text": message.text,
        "attachments": [_attachment_json(message, a) for a in message.attachments.all()],
        "warnings": list(message.warnings or []),
        "created_at": message.created_at,
        "mine": message.author_id is not None and message.author_id == reader.pk,
    }


def order_numbers_of(inquiry_ids) -> dict[int, str]:
    """Inquiry id → the number of the order accepted from it, for those that have one."""
    return dict(
        Order.objects.filter(quote__inquiry_id__in=set(inquiry_ids)).values_list(
            "quote__inquiry_id", "number"
        )
    )
