"""The message thread on the inquiry and order pages: quotes and orders render it without
importing messaging (templates load an app's tags by name). Rendering it marks what it
shows as read."""

from __future__ import annotations

from django import template

from .. import selectors, services
from ..models import MessageWarning
from ..views import PAGE_MESSAGES

register = template.Library()


@register.inclusion_tag("messaging/_thread.html", takes_context=True)
def message_thread(context, inquiry):
    request = context["request"]
    thread = services.thread_for_inquiry(inquiry)
    shown, more = selectors.messages_before(thread, None, PAGE_MESSAGES)
    rows = [selectors.message_json(m, request.user) for m in shown]
    last = rows[-1]["id"] if rows else 0
    unread_from = selectors.last_read_id(thread, request.user)
    services.mark_read(thread, request.user, last)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "thread": thread,
        "rows": rows,
        "more": more,
        "first_id": rows[0]["id"] if rows else 0,
        "last_id": last,
        "unread_from": unread_from,
    }


@register.filter
def warning_text(code: str) -> str:
    """What a fraud-detector code means, for the reader beside the message."""
    return MessageWarning.label_of(code)
