"""Operator page: the fraud queue, messages the off-platform-payment detector warned about,
newest first, each with its thread's inquiry (and order, once there is one)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from ex1000.core.timezones import zone_label
from ex1000.messaging import selectors as messaging_selectors
from ex1000.messaging.models import MessageWarning
from ex1000.privacy.staff_reads import record_staff_read

from .views import staff_only

PAGE_SIZE = 30


@staff_only
def flagged_messages(request):
    page = Paginator(messaging_selectors.flagged_messages(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    messages = list(page.object_list)
    for message in messages:  # the texts are the authors' personal data
        record_staff_read(request.user, message, request=request, view="fraud queue")
    orders = messaging_selectors.order_numbers_of(m.thread.inquiry_id for m in messages)
    rows = [
        {
            "message": message,
            "author": message.author,
            "warnings": [MessageWarning.label_of(code) for code in message.warnings],
            "inquiry_id": message.thread.inquiry_id,
            "order_number": orders.get(message.thread.inquiry_id),
        }
        for message in messages
    ]
    return render(
        request,
        "ops/messages/flagged.html",
        {
            "rows": rows,
            "page": page,
            "total": page.paginator.count,
            "zone_label": zone_label(timezone.get_current_timezone()),
        },
    )
