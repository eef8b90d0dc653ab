"""Who sees which order (its buyer, the supplier company's users, the logistics partner
of one of its shipments, operators; else 404), what each may do now, and its money."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ex1000.core.events import events_of

from .models import Order, OrderStatus, Payment, PaymentKind, PaymentStatus
from .state_machine import TABLE, Action, Party


def orders_visible_to(user) -> QuerySet[Order]:
    # Everything the order JSON reads, in a fixed number of queries for a page of orders.
    orders = Order.objects.select_related(
        "quote__inquiry__thread", "supplier", "buyer__company", "consignee", "payout"
    ).prefetch_related("payments", "shipments")
    if not user.is_authenticated:
        return orders.none()
    if user.is_staff:
        return orders
    if user.is_buyer:
        return orders.filter(buyer=user)
    if user.is_supplier and user.company_id is not None:
        return orders.filter(supplier_id=user.company_id)
    # A logistics partner sees its shipments (logistics.selectors), never the order itself.
    return orders.none()


CLOSED_STATES = (OrderStatus.COMPLETED, OrderStatus.SETTLED, OrderStatus.CANCELLED)


def open_order_numbers(user) -> list[str]:
    """The open orders the user is party to: as the buyer, or as the only member of the
    supplier. A confirmed deletion waits for them (privacy.md, "Deletion")."""
    party = Q(buyer=user)
    if user.company_id is not None and not (
        type(user)._base_manager.filter(company_id=user.company_id).exclude(pk=user.pk).exists()
    ):
        party |= Q(supplier_id=user.company_id)
    return list(
        Order.objects.filter(party)
        .exclude(status__in=CLOSED_STATES)
        .order_by("created_at")
        .values_list("number", flat=True)
    )


def order_for(user, number: str) -> Order:
    if len(number) > 20 or "\x00" in number:  # cannot be an order number
        raise Http404
    order = orders_visible_to(user).filter(number=number).first()
    if order is None:
        raise Http404
    return order


def parties_of(user, order: Order) -> set[Party]:
    """What the user is to this order (a staff member is an operator whatever else)."""
    if user is None:
        return {Party.SYSTEM}
    parties: set[Party] = set()
    if not getattr(user, "is_authenticated", False):
        return parties
    if user.is_staff:
        parties.add(Party.OPERATOR)
    if order.buyer_id == user.pk:
        parties.add(Party.BUYER)
    if user.is_supplier and user.company_id is not None and user.company_id == order.supplier_id:
        parties.add(Party.SUPPLIER)
    if (
        user.company_id is not None
        and getattr(user, "role", "") == "logistics"
        and order.shipments.filter(partner_id=user.company_id).exists()
    ):
        parties.add(Party.PARTNER)
    return parties


@dataclass(frozen=True)
class Money:
    paid: Decimal
    outstanding: Decimal
    held: Decimal
    released: Decimal
    refunded: Decimal


def money(order: Order) -> Money:
    """Confirmed payments and the escrow account's share of this order, in its currency."""
    # In Python over order.payments.all(): one query, or none when prefetched (a list page).
    paid = sum(
        (p.amount for p in order.payments.all() if p.status == PaymentStatus.CONFIRMED),
        Decimal(0),
    )
    closed = order.status == OrderStatus.CANCELLED  # nothing is owed on a cancelled order
    return Money(
        paid=paid,
        outstanding=Decimal(0) if closed else max(order.total - paid, Decimal(0)),
        held=max(paid - order.escrow_released - order.escrow_refunded, Decimal(0)),
        released=order.escrow_released,
        refunded=order.escrow_refunded,
    )


def submitted_payments(order: Order, kind: str | None = None) -> QuerySet[Payment]:
    payments = order.payments.filter(status=PaymentStatus.SUBMITTED)
    return payments.filter(kind=kind) if kind else payments


def claim_deadline(order: Order):
    if order.arrived_at is None:
        return None
    return order.arrived_at + timedelta(days=settings.ORDER_CLAIM_DAYS)


def _ready(order: Order, action: Action, parties: set[Party]) -> bool:
    """The action's own rule, as far as it can be checked before anything is sent: a
    signature still to give, a payment waiting that would pass, the shipment and consignee
    that ``ship`` needs, the claim period still open. What is listed would succeed."""
    waiting = [p for p in order.payments.all() if p.status == PaymentStatus.SUBMITTED]
    if action == Action.SIGN:
        return (Party.BUYER in parties and order.buyer_signed_at is None) or (
            Party.SUPPLIER in parties and order.supplier_signed_at is None
        )
    if action == Action.CONFIRM_DEPOSIT:
        return order.deposit == 0 or any(
            p.kind == PaymentKind.DEPOSIT and p.amount >= order.deposit for p in waiting
        )
    if action == Action.CONFIRM_BALANCE:
        outstanding = money(order).outstanding
        return outstanding == 0 or any(
            p.kind == PaymentKind.BALANCE and p.amount >= outstanding for p in waiting
        )
    if action == Action.REJECT_PAYMENT:
        return bool(waiting)
    if action == Action.SHIP:
        has_consignee = getattr(order, "consignee", None) is not None
        return has_consignee and any(s.bl_number for s in order.shipments.all())
    if action == Action.DISPUTE and order.status == OrderStatus.ARRIVED:
        deadline = claim_deadline(order)
        return deadline is None or timezone.now() <= deadline
    return True


def allowed_actions(user, order: Order) -> list[str]:
    """What the caller may do now (``allowed_actions`` in the order JSON)."""
    parties = parties_of(user, order)
    return [
        action.value
        for (state, action), rule in TABLE.items()
        if state == order.status and rule.who & parties and _ready(order, action, parties)
    ]


def operation_records(order: Order):
    return events_of(order)


def payments_queue(status: str = PaymentStatus.SUBMITTED) -> QuerySet[Payment]:
    """The operators' queue: payments waiting for a decision, oldest first."""
    return (
        Payment.objects.filter(status=status)
        .select_related("order__buyer__company", "order__supplier")
        .order_by("submitted_at", "id")
    )


def payment_for(user, payment_id: int) -> Payment:
    """A payment's proof: its buyer and operators only (the supplier never sees the file)."""
    payment = Payment.objects.select_related("order").filter(pk=payment_id).first()
    if payment is None or not (user.is_staff or payment.order.buyer_id == user.pk):
        raise Http404
    return payment
