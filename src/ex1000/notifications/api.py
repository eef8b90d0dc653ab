"""In-app notifications: GET /notifications, POST /notifications/read."""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from ex1000.core.api import PageParams, paginate, user_auth

from . import selectors, services

router = Router(tags=["notifications"], auth=user_auth)


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None
    read: bool

    @staticmethod
    def resolve_read(obj) -> bool:
        return obj.read_at is not None


class NotificationList(Schema):
    items: list[NotificationOut]
    count: int
    page: int
    page_size: int
    unread: int = Field(description="How many of the user's notifications are unread.")


class NotificationFilters(PageParams):
    unread: bool | None = Field(None, description="true: only unread; false: only read")


class ReadIn(Schema):
    ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] | None = Field(
        None, max_length=1000, description="Notifications to mark read; omitted: all unread."
    )


class ReadOut(Schema):
    read: int = Field(description="How many notifications were marked read.")
    unread: int


@router.get("/notifications", response=NotificationList)
def notification_list(request: HttpRequest, filters: Query[NotificationFilters]):
    items, page = paginate(
        selectors.notifications_of(request.user, unread=filters.unread),
        filters.page,
        filters.page_size,
    )
    return {"items": items, **page, "unread": selectors.unread_count(request.user)}


@router.post("/notifications/read", response=ReadOut)
def mark_read(request: HttpRequest, payload: ReadIn):
    changed = services.mark_read(user=request.user, ids=payload.ids)
    return {
        "read": changed,
        "unread": selectors.unread_count(request.user),
    }
