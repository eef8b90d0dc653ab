"""In-app notifications: GET /notifications, POST /notifications/read; the preferences:
GET, PUT /me/notification-preferences (``me_router``, mounted at /me by ex1000.api)."""

import json
from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import Field, StrictBool
from pydantic import ValidationError as PydanticError

from ex1000.core.api import PageParams, Text, paginate, user_auth
from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError

from . import selectors, services
from .events import Event

router = Router(tags=["notifications"], auth=user_auth)
me_router = Router(tags=["notifications"], auth=user_auth)


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


class PreferenceOut(Schema):
    event: str = Field(description="The event type's stable key, e.g. quote, payment.")
    label: str = Field(description="The event type's name in the reader's language.")
    in_app: bool
    email: bool

    @staticmethod
    def resolve_label(obj) -> str:
        return str(obj["label"])


class PreferenceIn(Schema):
    event: Text = Field(
        max_length=40,
        description="An event type's key, as GET lists them.",
        # the document's enum; services.set_preferences checks it (unknown_notification_event)
        json_schema_extra={"enum": [e.value for e in Event]},
    )
    in_app: StrictBool | None = Field(None, description="Left out: unchanged")
    email: StrictBool | None = Field(None, description="Left out: unchanged")


MAX_CHANGES = 50


PREFERENCES_PUT = """Set the preferences of one event type or several: the body is one
`{"event", "in_app", "email"}` object or a list of them (at most one per event). Event types
not named keep their setting, and so does a channel left out; an unknown event answers 422
`unknown_notification_event`, nothing being saved. Answers every event type, as GET does."""

PREFERENCES_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        PreferenceIn.model_json_schema(),
                        {
                            "type": "array",
                            "items": PreferenceIn.model_json_schema(),
                            "minItems": 1,
                            "maxItems": MAX_CHANGES,
                        },
                    ]
                }
            }
        },
    }
}


def _changes(request: HttpRequest) -> list[dict]:
    """One object or a list of them; field errors named by the field (``in_app``, or
    ``1.email`` in a list), a body that is neither ``400 malformed``."""
    try:
        data = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        data = None
    single = isinstance(data, dict)
    items = [data] if single else data
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        raise AppError(CoreError.MALFORMED)
    if len(items) > MAX_CHANGES:
        raise AppError(
            CoreError.VALIDATION, errors={"body": [CoreError.TOO_MANY_ITEMS]}, count=MAX_CHANGES
        )
    changes, errors = [], []
    for index, item in enumerate(items):
        try:
            changes.append(PreferenceIn.model_validate(item).dict())
        except PydanticError as exc:
            where = () if single else (str(index),)
            errors += [
                {**e, "loc": ("body", "payload", *where, *e["loc"])}
                for e in exc.errors(include_url=False)
            ]
    if errors:
        raise ValidationError(errors)
    return changes


@me_router.get(
    "/notification-preferences",
    response=list[PreferenceOut],
    description="Every event type, in the app and by email: on unless the user turned it off.",
)
def notification_preferences(request: HttpRequest):
    return selectors.preferences_of(request.user)


@me_router.put(
    "/notification-preferences",
    response=list[PreferenceOut],
    description=PREFERENCES_PUT,
    openapi_extra=PREFERENCES_BODY,
)
def set_notification_preferences(request: HttpRequest):
    return services.set_preferences(user=request.user, changes=_changes(request))
