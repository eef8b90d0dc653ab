"""Who sees which thread: the inquiry's buyer, the supplier's users and operators; anybody
else gets 404, as if it did not exist."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ex1000.orders.models import Order

from .models import Message, Thread


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


def order_numbers_of(inquiry_ids) -> dict[int, str]:
    """Inquiry id → the number of the order accepted from it, for those that have one."""
    return dict(
        Order.objects.filter(quote__inquiry_id__in=set(inquiry_ids)).values_list(
            "quote__inquiry_id", "number"
        )
    )
