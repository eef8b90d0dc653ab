"""Requests, complaints and feedback over the API (api.md, "Privacy centre")."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import AuthenticationError
from pydantic import Field

from ex1000.core.api import (
    PageParams,
    Text,
    bearer_auth,
    operator_only,
    paginate,
    session_auth,
    user_auth,
)
from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError
from ex1000.core.http import client_ip

from . import tickets
from .models import PrivacyRequest, RequestStatus, RequestType

# Mounted at /privacy, /ops and / by ex1000.api.
requests_router = Router(tags=["privacy"], auth=user_auth)
ops_requests_router = Router(tags=["operator"], auth=user_auth)
feedback_router = Router(tags=["privacy"])


class RequestOut(Schema):
    id: int
    type: str
    status: str
    text: str
    field: str
    value: str
    created_at: datetime
    due_at: datetime
    days_left: int | None = Field(description="whole days until due_at; null once answered")
    overdue: bool
    decided_at: datetime | None
    reason: str = Field(description="why it was refused")
    reply: str
    scheduled_for: datetime | None = Field(description="deletion: when the erasure runs")
    waiting_for: list[str] = Field(
        default_factory=list,
        description="scheduled deletion: the open orders (numbers) the erasure waits for",
    )

    @staticmethod
    def resolve_days_left(obj: PrivacyRequest):
        return obj.days_left()

    @staticmethod
    def resolve_overdue(obj: PrivacyRequest):
        return obj.is_overdue()

    @staticmethod
    def resolve_waiting_for(obj: PrivacyRequest):
        return tickets.waiting_for(obj)


class OpsRequestOut(RequestOut):
    user: int | None
    user_email: str
    contact_email: str
    language: str
    handled_by: int | None

    @staticmethod
    def resolve_user(obj: PrivacyRequest):
        return obj.user_id

    @staticmethod
    def resolve_user_email(obj: PrivacyRequest):
        return obj.user.email if obj.user else ""

    @staticmethod
    def resolve_handled_by(obj: PrivacyRequest):
        return obj.handled_by_id


class RequestList(Schema):
    items: list[RequestOut]
    count: int
    page: int
    page_size: int


class OpsRequestList(Schema):
    items: list[OpsRequestOut]
    count: int
    page: int
    page_size: int


class RequestIn(Schema):
    type: Text = Field(
        description="access, correction, deletion, complaint or feedback",
        json_schema_extra={"enum": list(RequestType.values)},  # checked by tickets (its code)
    )
    text: Text = Field("", max_length=tickets.TEXT_MAX)
    field: Text = Field("", max_length=64, description="correction: the field to change")
    value: Text = Field("", max_length=1000, description="correction: its corrected value")


class ConfirmIn(Schema):
    token: Text = Field(max_length=200, description="the code from the confirmation email")


class FeedbackIn(Schema):
    type: Literal["feedback", "complaint"] = "feedback"
    text: Text = Field(max_length=tickets.TEXT_MAX)
    email: Text = Field("", max_length=254, description="required when not logged in")


class DecisionIn(Schema):
    decision: Text = Field(
        description="complete, refuse (with a reason) or start",
        json_schema_extra={"enum": list(tickets.DECISIONS)},
    )
    reason: Text = Field("", max_length=tickets.TEXT_MAX)
    reply: Text = Field("", max_length=tickets.TEXT_MAX, description="emailed to the requester")


def _origin(request: HttpRequest) -> dict:
    return {"ip": client_ip(request), "user_agent": request.headers.get("User-Agent", "")}


@requests_router.post("/requests", response={201: RequestOut})
def open_request(request: HttpRequest, payload: RequestIn):
    ticket = tickets.open_request(user=request.user, **payload.dict(), **_origin(request))
    return Status(201, ticket)


@requests_router.get("/requests", response=RequestList)
def my_requests(request: HttpRequest, paging: Query[PageParams]):
    items, meta = paginate(tickets.requests_of(request.user), paging.page, paging.page_size)
    return {"items": items, **meta}


@requests_router.post("/requests/{request_id}/confirm", response=RequestOut)
def confirm_request(request: HttpRequest, request_id: int, payload: ConfirmIn):
    return tickets.confirm_deletion(
        user=request.user, request_id=request_id, token=payload.token, **_origin(request)
    )


class _Anyone:
    """Feedback is open to visitors. A bearer token, when sent, must be valid; a session
    user is checked for CSRF like on every other endpoint."""

    def __call__(self, request: HttpRequest):
        if request.headers.get("Authorization"):
            user = bearer_auth(request)
            if not user:
                raise AuthenticationError
            return user
        if request.user.is_authenticated:
            return session_auth(request)
        return "anonymous"


@feedback_router.post("/feedback", response={201: RequestOut}, auth=_Anyone())
def feedback(request: HttpRequest, payload: FeedbackIn):
    user = request.user if request.user.is_authenticated else None
    origin = _origin(request)
    if not tickets.feedback_allowed(f"user:{user.pk}" if user else f"ip:{origin['ip']}"):
        raise AppError(CoreError.RATE_LIMITED)
    ticket = tickets.submit_feedback(
        user=user, type=payload.type, text=payload.text, email=payload.email, **origin
    )
    return Status(201, ticket)


class QueueFilters(Schema):
    """The enums are the document's; tickets.request_queue checks the values (its code)."""

    status: Text | None = Field(
        None,
        description='a status, or "open" (pending and in progress)',
        json_schema_extra={"enum": [tickets.OPEN, *RequestStatus.values]},
    )
    type: Text | None = Field(None, json_schema_extra={"enum": list(RequestType.values)})


@ops_requests_router.get("/privacy/requests", response=OpsRequestList)
def request_queue(request: HttpRequest, paging: Query[PageParams], filters: Query[QueueFilters]):
    operator_only(request)
    queryset = tickets.request_queue(status=filters.status, type=filters.type)
    items, meta = paginate(queryset, paging.page, paging.page_size)
    return {"items": items, **meta}


@ops_requests_router.post("/privacy/requests/{request_id}/decision", response=OpsRequestOut)
def decide(request: HttpRequest, request_id: int, payload: DecisionIn):
    operator_only(request)
    return tickets.decide_request(
        request_id=request_id, operator=request.user, **payload.dict(), **_origin(request)
    )
