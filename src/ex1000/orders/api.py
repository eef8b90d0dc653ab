"""Orders (api.md): acceptance, the order, its actions, operation records, payments,
proofs and the consignee. Handlers parse and authorize; services change things."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from ex1000.core.api import PageParams, Text, operator_only, paginate, user_auth
from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError
from ex1000.core.http import client_ip
from ex1000.core.idempotency import IdempotencyKey, idempotent_response, jsonable, run_once
from ex1000.quotes import selectors as quote_selectors

from . import files, selectors, services
from .models import OrderStatus
from .schemas import EventOut, OrderOut, PaymentOut, event_json, order_json, payment_json
from .state_machine import Action

router = Router(tags=["orders"], auth=user_auth)


def _origin(request: HttpRequest) -> dict[str, Any]:
    return {"ip": client_ip(request), "user_agent": request.headers.get("User-Agent", "")}


def _order(request: HttpRequest, order) -> dict[str, Any]:
    fresh = selectors.order_for(request.user, order.number)
    return order_json(fresh, request.user)


@router.post("/quotes/{int:quote_id}/accept", response={201: OrderOut}, tags=["quotation"])
def accept_quote(request: HttpRequest, quote_id: int, idempotency_key: IdempotencyKey):
    """The buyer accepts the latest, unexpired, eligible version; it becomes an order and
    its cars are reserved (409 `vehicle_unavailable` when they are gone)."""

    def create() -> tuple[int, Any]:
        order = services.accept_quote(
            quote=quote_selectors.quote_for(request.user, quote_id),
            buyer=request.user,
            **_origin(request),
        )
        return 201, jsonable(_order(request, order))

    return idempotent_response(
        *run_once(
            user=request.user,
            key=idempotency_key,
            endpoint=request.path,
            payload={"quote_id": quote_id},
            create=create,
        )
    )


class OrderFilters(Schema):
    status: OrderStatus | None = None


class OrderPage(Schema):
    items: list[OrderOut]
    count: int
    page: int
    page_size: int


@router.get("/orders", response=OrderPage)
def list_orders(request: HttpRequest, filters: Query[OrderFilters], paging: Query[PageParams]):
    """The caller's orders (a buyer's own, a supplier's company's; operators: all)."""
    orders = selectors.orders_visible_to(request.user)
    if filters.status:
        orders = orders.filter(status=filters.status)
    page, meta = paginate(orders, paging.page, paging.page_size)
    return {"items": [order_json(o, request.user) for o in page], **meta}


@router.get("/orders/{number}", response=OrderOut)
def order_detail(request: HttpRequest, number: str):
    return order_json(selectors.order_for(request.user, number), request.user)


class ActionIn(Schema):
    note: Text = Field("", max_length=2000)
    reason: Text = Field("", max_length=2000)
    payment: int | None = Field(None, ge=1, le=2**63 - 1)
    outcome: Text | None = Field(None, max_length=20, description="release or refund (resolve)")


@router.post("/orders/{number}/actions/{action}", response=OrderOut)
def order_action(request: HttpRequest, number: str, action: str, payload: ActionIn | None = None):
    """Perform an action of the state machine (orders.md): `409 invalid_transition` with
    the allowed actions in `errors` when the state does not allow it, `403 not_allowed`
    for the wrong actor."""
    order = selectors.order_for(request.user, number)
    if payload is None and request.body.strip():  # a list, a string, null: not an object
        raise AppError(CoreError.MALFORMED)
    params = payload.dict() if payload is not None else {}
    services.perform(
        order=order, action=action, actor=request.user, params=params, **_origin(request)
    )
    return _order(request, order)


class EventPage(Schema):
    items: list[EventOut]
    count: int
    page: int
    page_size: int


@router.get("/orders/{number}/events", response=EventPage)
def order_events(request: HttpRequest, number: str, paging: Query[PageParams]):
    """Operation records, oldest first (paginated like every list); operators also see IP
    and user agent."""
    order = selectors.order_for(request.user, number)
    operator = request.user.is_staff
    page, meta = paginate(selectors.operation_records(order), paging.page, paging.page_size)
    return {"items": [event_json(e, operator=operator) for e in page], **meta}


@router.post("/orders/{number}/payments", response={201: PaymentOut})
def submit_payment(
    request: HttpRequest,
    number: str,
    idempotency_key: IdempotencyKey,
    kind: Form[str],
    amount: Form[str],
    currency: Form[str],
    reference: Form[str],
    file: File[UploadedFile],
):
    """The buyer declares a transfer into escrow, with its proof (PDF, JPEG or PNG,
    ≤ 10 MB, checked by decoding)."""
    order = selectors.order_for(request.user, number)

    def create() -> tuple[int, Any]:
        payment = services.submit_payment(
            order=order,
            buyer=request.user,
            kind=kind,
            amount=amount,
            currency=currency,
            reference=reference,
            file=file,
            **_origin(request),
        )
        return 201, jsonable(payment_json(payment))

    return idempotent_response(
        *run_once(
            user=request.user,
            key=idempotency_key,
            endpoint=request.path,
            payload={
                "kind": kind,
                "amount": amount,
                "currency": currency,
                "reference": reference,
                "file": getattr(file, "size", None),
            },
            create=create,
        )
    )


@router.get("/payments/{int:payment_id}/proof")
def payment_proof(request: HttpRequest, payment_id: int):
    """The proof of transfer: for the buyer who paid and operators; the supplier sees
    amounts and statuses only."""
    payment = selectors.payment_for(request.user, payment_id)
    return files.proof_response(request, payment)


class PaymentQueueOut(Schema):
    items: list[dict[str, Any]]
    count: int
    page: int
    page_size: int


@router.get("/ops/payments", response=PaymentQueueOut, tags=["operators"])
def payments_queue(request: HttpRequest, paging: Query[PageParams], status: str = "submitted"):
    """Operators: payments waiting for a decision, oldest first."""
    operator_only(request)
    page, meta = paginate(selectors.payments_queue(status), paging.page, paging.page_size)
    return {
        "items": [{**payment_json(p), "order": p.order.number} for p in page],
        **meta,
    }


class ConsigneeIn(Schema):
    name: Text = Field(max_length=200)
    company: Text = Field("", max_length=200)
    address: Text = Field(max_length=500)
    city: Text = Field(max_length=100)
    country: Text = Field(max_length=100, description="ISO 3166 alpha-2, e.g. AE")
    phone: Text = Field(max_length=40)
    email: Text = Field(max_length=254)
    notify_party: Text = Field("", max_length=500)


@router.put("/orders/{number}/consignee", response=OrderOut)
def set_consignee(request: HttpRequest, number: str, payload: ConsigneeIn):
    """Who receives the cars (the B/L's consignee); needed before `ship`."""
    order = selectors.order_for(request.user, number)
    services.set_consignee(order=order, buyer=request.user, data=payload.dict())
    return _order(request, order)


__all__ = ["Action", "router"]
