"""The API form of an order (api.md, orders.md): shared by POST /quotes/{id}/accept,
GET /orders and GET /orders/{number}. ``allowed_actions`` depends on the caller, so the
order is rendered with ``order_json(order, user)``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from ninja import Schema
from pydantic import Field

from ex1000.accounts.schemas import BuyerOut, public_party
from ex1000.core.money import MoneySchema
from ex1000.quotes.selectors import thread_id

from . import selectors
from .models import Order, Payment


class OrderItemOut(Schema):
    """A listing as it was when the quote was accepted."""

    vehicle_id: int
    quantity: int
    title: str
    make: str
    model: str
    variant: str
    year: int
    vin: str
    mileage_km: int
    steering: str
    city: str
    length_mm: int
    width_mm: int
    height_mm: int
    price: MoneySchema


class OrderQuoteOut(Schema):
    id: int
    version: int
    inquiry_id: int
    incoterm: str
    named_place: str


class OrderSupplierOut(Schema):
    id: int
    company_name: str
    country: str


class ScheduleLineOut(Schema):
    kind: str
    percent: int
    amount: MoneySchema


class EscrowOut(Schema):
    held: MoneySchema
    released: MoneySchema
    refunded: MoneySchema


class EscrowAccountOut(Schema):
    bank_name: str
    account_name: str
    account_number: str
    swift: str
    reference: str = Field(description="Put the order number on the transfer")


class PayoutOut(Schema):
    gross: MoneySchema = Field(description="Escrow released on settle")
    fee: MoneySchema = Field(description="The platform fee kept")
    amount: MoneySchema = Field(description="Paid to the supplier")
    created_at: datetime


class PaymentOut(Schema):
    id: int
    kind: str
    amount: MoneySchema
    reference: str
    status: str
    submitted_at: datetime
    decided_at: datetime | None
    rejection_reason: str
    has_proof: bool = Field(description="The proof is downloadable by the buyer and operators")


class ConsigneeOut(Schema):
    name: str
    company: str
    address: str
    city: str
    country: str
    phone: str
    email: str
    notify_party: str


class ShipmentSummaryOut(Schema):
    id: int
    mode: str
    bl_number: str
    container_number: str
    vessel_name: str
    origin: str
    destination: str
    etd: datetime | None
    eta: datetime | None
    tracking_url: str


class OrderOut(Schema):
    number: str
    status: str
    quote_id: int
    quote: OrderQuoteOut
    supplier: OrderSupplierOut
    buyer: BuyerOut
    items: list[OrderItemOut]
    currency: str
    total: MoneySchema
    payment_terms: str = Field(description="The schedule as D/B percentages, e.g. 30/70")
    payment_schedule: list[ScheduleLineOut]
    paid: MoneySchema
    outstanding: MoneySchema
    escrow: EscrowOut
    escrow_account: EscrowAccountOut
    payout: PayoutOut | None = Field(None, description="Once settled")
    payments: list[PaymentOut]
    consignee: ConsigneeOut | None
    shipments: list[ShipmentSummaryOut]
    thread: int | None = Field(
        None, description="Message thread: the inquiry's, continued by the order"
    )
    buyer_signed_at: datetime | None
    supplier_signed_at: datetime | None
    arrived_at: datetime | None
    allowed_actions: list[str] = Field(description="What the caller may do now")
    created_at: datetime
    updated_at: datetime


def _money(amount, currency: str) -> dict[str, str]:
    return MoneySchema.of(amount, currency).model_dump(mode="json")


def escrow_account(order: Order | None = None) -> dict[str, str]:
    return {
        "bank_name": settings.ESCROW_BANK_NAME,
        "account_name": settings.ESCROW_ACCOUNT_NAME,
        "account_number": settings.ESCROW_ACCOUNT_NUMBER,
        "swift": settings.ESCROW_SWIFT,
        "reference": order.number if order is not None else "",
    }


def payment_json(payment: Payment) -> dict[str, Any]:
    return {
        "id": payment.pk,
        "kind": payment.kind,
        "amount": _money(payment.amount, payment.currency),
        "reference": payment.reference,
        "status": payment.status,
        "submitted_at": payment.submitted_at,
        "decided_at": payment.decided_at,
        "rejection_reason": payment.rejection_reason,
        "has_proof": bool(payment.proof),
    }


def _payout(order: Order) -> dict[str, Any] | None:
    payout = getattr(order, "payout", None)  # the reverse one-to-one; None until settled
    if payout is None:
        return None
    return {
        "gross": _money(payout.gross, payout.currency),
        "fee": _money(payout.fee, payout.currency),
        "amount": _money(payout.amount, payout.currency),
        "created_at": payout.created_at,
    }


def order_json(order: Order, user) -> dict[str, Any]:
    """The order as ``user`` sees it (``allowed_actions`` are the caller's)."""
    currency = order.currency
    money = selectors.money(order)
    quote = order.quote
    consignee = getattr(order, "consignee", None) if hasattr(order, "consignee") else None
    return {
        "number": order.number,
        "status": order.status,
        "quote_id": order.quote_id,
        "quote": {
            "id": order.quote_id,
            "version": quote.version,
            "inquiry_id": quote.inquiry_id,
            "incoterm": quote.incoterm,
            "named_place": quote.inquiry.named_place if quote.inquiry_id else "",
        },
        "supplier": {
            "id": order.supplier_id,
            "company_name": order.supplier.name,
            "country": order.supplier.country.code,
        },
        "buyer": public_party(order.buyer),
        "items": [
            {**item, "price": {"amount": item["price"], "currency": item["currency"]}}
            for item in order.items
        ],
        "currency": currency,
        "total": _money(order.total, currency),
        "payment_terms": f"{order.deposit_percent}/{100 - order.deposit_percent}",
        "payment_schedule": [
            {
                "kind": "deposit",
                "percent": order.deposit_percent,
                "amount": _money(order.deposit, currency),
            },
            {
                "kind": "balance",
                "percent": 100 - order.deposit_percent,
                "amount": _money(order.balance, currency),
            },
        ],
        "paid": _money(money.paid, currency),
        "outstanding": _money(money.outstanding, currency),
        "escrow": {
            "held": _money(money.held, currency),
            "released": _money(money.released, currency),
            "refunded": _money(money.refunded, currency),
        },
        "escrow_account": escrow_account(order),
        "payout": _payout(order),
        "payments": [payment_json(p) for p in order.payments.all()],
        "consignee": (
            {
                f: getattr(consignee, f)
                for f in (
                    "name",
                    "company",
                    "address",
                    "city",
                    "country",
                    "phone",
                    "email",
                    "notify_party",
                )
            }
            if consignee is not None
            else None
        ),
        "shipments": [
            {
                "id": s.pk,
                "mode": s.mode,
                "bl_number": s.bl_number,
                "container_number": s.container_number,
                "vessel_name": s.vessel_name,
                "origin": s.origin,
                "destination": s.destination,
                "etd": s.etd,
                "eta": s.eta,
                "tracking_url": s.tracking_url,
            }
            for s in order.shipments.all()
        ],
        "thread": thread_id(order.quote.inquiry),
        "buyer_signed_at": order.buyer_signed_at,
        "supplier_signed_at": order.supplier_signed_at,
        "arrived_at": order.arrived_at,
        "allowed_actions": selectors.allowed_actions(user, order),
        "created_at": order.created_at,
        "updated_at": order.updated_at,
    }


class EventOut(Schema):
    id: int
    type: str
    from_state: str
    to_state: str
    actor: dict[str, str]
    at: datetime
    note: str
    parameters: dict[str, Any]
    ip: str | None = Field(None, description="Operators only")
    user_agent: str | None = Field(None, description="Operators only")


def event_json(event, *, operator: bool) -> dict[str, Any]:
    body = {
        "id": event.pk,
        "type": event.type,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "actor": {"role": event.actor_role, "name": event.actor_label},
        "at": event.at,
        "note": event.note,
        "parameters": event.parameters,
    }
    if operator:
        body.update(ip=event.ip, user_agent=event.user_agent)
    return body
