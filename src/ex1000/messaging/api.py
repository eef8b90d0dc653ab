"""Message threads: /threads/{id}/messages and the operators' fraud queue (orders.md,
"Messages"). The parties of a thread are the inquiry's buyer, the supplier's users and
operators; anybody else gets 404."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from ex1000.accounts.schemas import public_party
from ex1000.core.api import PageParams, Text, operator_only, paginate, user_auth

from . import selectors, services
from .models import TEXT_MAX, Message

router = Router(tags=["messages"], auth=user_auth)
# Mounted at /ops by the API assembly (ex1000/api.py).
ops_router = Router(tags=["messages"], auth=user_auth)


class MessageIn(Schema):
    text: Text = Field(min_length=1, max_length=TEXT_MAX)


class AuthorOut(Schema):
    role: str
    company_name: str


class MessageOut(Schema):
    id: int
    thread: int
    author: AuthorOut | None = Field(description="null once the author's account is deleted")
    text: str
    warnings: list[str] = Field(description='e.g. ["off_platform_payment"]: warn the reader')
    created_at: datetime
    mine: bool


class MessageList(Schema):
    items: list[MessageOut]
    count: int
    page: int
    page_size: int


class FlaggedOut(MessageOut):
    inquiry: int


class FlaggedList(Schema):
    items: list[FlaggedOut]
    count: int
    page: int
    page_size: int


def _author(user) -> dict | None:
    if user is None:
        return None
    role = "operator" if user.is_staff else user.role
    return {"role": role, "company_name": public_party(user)["company_name"]}


def message_json(message: Message, reader) -> dict:
    return {
        "id": message.pk,
        "thread": message.thread_id,
        "author": _author(message.author),
        "text": message.text,
        "warnings": list(message.warnings or []),
        "created_at": message.created_at,
        "mine": message.author_id is not None and message.author_id == reader.pk,
    }


@router.get("/threads/{int:thread_id}/messages", response=MessageList)
def thread_messages(request: HttpRequest, thread_id: int, paging: Query[PageParams]):
    """The thread's messages, oldest first; the inquiry's message is the first."""
    thread = selectors.thread_for(request.user, thread_id)
    items, page = paginate(selectors.messages_of(thread), paging.page, paging.page_size)
    return {"items": [message_json(m, request.user) for m in items], **page}


@router.post("/threads/{int:thread_id}/messages", response={201: MessageOut})
def post_message(request: HttpRequest, thread_id: int, payload: MessageIn):
    """Write to the thread; the other parties are notified. A message asking to pay outside
    the platform is delivered with ``warnings: ["off_platform_payment"]``."""
    thread = selectors.thread_for(request.user, thread_id)
    message = services.post_message(thread, request.user, payload.text)
    return Status(201, message_json(message, request.user))


@ops_router.get("/messages/flagged", response=FlaggedList)
def flagged_messages(request: HttpRequest, paging: Query[PageParams]):
    """Operators: messages with fraud warnings, newest first."""
    operator_only(request)
    items, page = paginate(selectors.flagged_messages(), paging.page, paging.page_size)
    return {
        "items": [{**message_json(m, request.user), "inquiry": m.thread.inquiry_id} for m in items],
        **page,
    }
