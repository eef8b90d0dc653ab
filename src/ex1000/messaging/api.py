"""Message threads: /threads/{id}/messages and the operators' fraud queue (orders.md,
"Messages"). The parties of a thread are the inquiry's buyer, the supplier's users and
operators; anybody else gets 404."""

from __future__ import annotations

import json
from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import Field
from pydantic import ValidationError as PydanticError

from ex1000.core.api import ObjectId, PageParams, Text, operator_only, paginate, user_auth
from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError
from ex1000.orders.files import private_file

from . import selectors, services
from .models import ATTACHMENTS_MAX, TEXT_MAX, Attachment

router = Router(tags=["messages"], auth=user_auth)
# Mounted at /ops by the API assembly (ex1000/api.py).
ops_router = Router(tags=["messages"], auth=user_auth)


class MessageIn(Schema):
    text: Text = Field(min_length=1, max_length=TEXT_MAX)


class AuthorOut(Schema):
    role: str
    company_name: str


class AttachmentOut(Schema):
    id: int
    content_type: str
    size: int
    url: str


class MessageOut(Schema):
    id: int
    thread: int
    author: AuthorOut | None = Field(description="null once the author's account is deleted")
    text: str
    attachments: list[AttachmentOut]
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
    order: str | None = Field(description="The order accepted from the inquiry, if any")


class FlaggedList(Schema):
    items: list[FlaggedOut]
    count: int
    page: int
    page_size: int


@router.get("/threads/{int:thread_id}/messages", response=MessageList)
def thread_messages(request: HttpRequest, thread_id: int, paging: Query[PageParams]):
    """The thread's messages, oldest first; the inquiry's message is the first."""
    thread = selectors.thread_for(request.user, thread_id)
    items, page = paginate(selectors.messages_of(thread), paging.page, paging.page_size)
    return {"items": [selectors.message_json(m, request.user) for m in items], **page}


def _posted(request: HttpRequest) -> tuple[MessageIn, list]:
    """JSON ``{"text"}``, or multipart with a ``text`` field and ``attachments`` files. A
    body that is not a JSON object is ``400 malformed``, as everywhere in the API."""
    if request.content_type == "multipart/form-data":
        source, data = "form", {"text": request.POST.get("text", "")}
        files = request.FILES.getlist("attachments")
    else:
        source, files = "body", []
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            data = None
        if not isinstance(data, dict):
            raise AppError(CoreError.MALFORMED)
    try:
        return MessageIn.model_validate(data), files
    except PydanticError as exc:
        # The limits (ctx) are kept: "At most 5000 characters." names its number.
        errors = exc.errors(include_url=False)
        raise ValidationError(
            [{**e, "loc": (source, "payload", *e["loc"])} for e in errors]
        ) from None


POST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": MessageIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["text"],
                    "properties": {
                        "text": {"type": "string", "maxLength": TEXT_MAX},
                        "attachments": {
                            "type": "array",
                            "maxItems": ATTACHMENTS_MAX,
                            "items": {"type": "string", "format": "binary"},
                            "description": "PDF, JPEG or PNG, at most 10 MB each",
                        },
                    },
                }
            },
        },
    }
}


@router.post(
    "/threads/{int:thread_id}/messages", response={201: MessageOut}, openapi_extra=POST_BODY
)
def post_message(request: HttpRequest, thread_id: int):
    """Write to the thread (JSON ``{"text"}``, or multipart with ``attachments``); the other
    parties are notified. A message asking to pay outside the platform is delivered with
    ``warnings: ["off_platform_payment"]``."""
    thread = selectors.thread_for(request.user, thread_id)
    payload, files = _posted(request)
    message = services.post_message(thread, request.user, payload.text, files)
    return Status(201, selectors.message_json(message, request.user))


@router.get(
    "/threads/{int:thread_id}/messages/{int:message_id}/attachments/{int:attachment_id}",
    url_name="message_attachment",
    summary="A message's attachment",
)
def attachment_file(
    request: HttpRequest, thread_id: ObjectId, message_id: ObjectId, attachment_id: ObjectId
):
    """The file, for the thread's parties (`Cache-Control: private, no-store`)."""
    thread = selectors.thread_for(request.user, thread_id)
    attachment = Attachment.objects.filter(
        pk=attachment_id, message_id=message_id, message__thread=thread
    ).first()
    if attachment is None or not attachment.file:
        raise Http404
    extension = attachment.file.name.rsplit(".", 1)[-1]
    return private_file(
        attachment.file,
        content_type=attachment.content_type,
        filename=f"message-{message_id}-{attachment.pk}.{extension}",
        inline=False,
    )


@ops_router.get("/messages/flagged", response=FlaggedList)
def flagged_messages(request: HttpRequest, paging: Query[PageParams]):
    """Operators: messages with fraud warnings, newest first, with the inquiry and the order
    their thread belongs to."""
    operator_only(request)
    items, page = paginate(selectors.flagged_messages(), paging.page, paging.page_size)
    orders = selectors.order_numbers_of(m.thread.inquiry_id for m in items)
    return {
        "items": [
            {
                **selectors.message_json(m, request.user),
                "inquiry": m.thread.inquiry_id,
                "order": orders.get(m.thread.inquiry_id),
            }
            for m in items
        ],
        **page,
    }
