"""Every change to an order (orders.md). An order comes into being only by accepting a
quote (``accept_quote``); its state changes only through ``perform``, which reads the
table in ``state_machine``; payments and the consignee have their own functions."""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ex1000.accounts.models import User
from ex1000.accounts.schemas import public_party
from ex1000.accounts.selectors import supplier_users
from ex1000.accounts.validation import normalise_phone
from ex1000.catalog import services as catalog_services
from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError
from ex1000.core.events import record_event
from ex1000.core.money import minor_unit_digits, quantize
from ex1000.core.uploads import checked_document
from ex1000.notifications.services import localized_date, localized_money, notify_all
from ex1000.quotes import notices
from ex1000.quotes.models import Inquiry, InquiryStatus, QuoteVersion
from ex1000.quotes.services import listing_snapshot

from . import selectors
from .documents import contract_document
from .error_codes import OrderError
from .models import (
    UPLOADED_KINDS,
    Consignee,
    DocumentKind,
    Order,
    OrderDocument,
    OrderStatus,
    Payment,
    PaymentKind,
    PaymentStatus,
    Payout,
)
from .state_machine import ACTION_NAMES, Action, Party, transition, who_may

DEFAULT_TERMS = (30, 70)
_TERMS = re.compile(r"^\s*(\d{1,3})\s*/\s*(\d{1,3})\s*$")


# --- payment schedule ------------------------------------------------------------------------


def deposit_percent(payment_terms: str) -> int:
    """``"D/B"`` percentages adding up to 100 (``"30/70"``, ``"100/0"``); anything else,
    or nothing, means the default 30/70."""
    match = _TERMS.match(payment_terms or "")
    if match:
        deposit, balance = int(match[1]), int(match[2])
        if deposit + balance == 100:
            return deposit
    return DEFAULT_TERMS[0]


def split(total: Decimal, currency: str, percent: int) -> tuple[Decimal, Decimal]:
    """Deposit rounded half-up to the currency's minor unit; the balance is the rest, so
    the two add up to the total exactly (JPY has no decimals, KWD three)."""
    deposit = quantize(total * Decimal(percent) / Decimal(100), currency)
    return deposit, total - deposit


def _money_param(amount: Decimal, currency: str) -> dict[str, str]:
    """Money in an operation record's parameters, as the API writes money."""
    return {"amount": str(quantize(amount, currency)), "currency": currency}


def _platform_fee(quote: QuoteVersion) -> Decimal:
    return sum(
        (
            Decimal(str(line["amount"]))
            for line in quote.lines
            if line.get("code") == "platform_fee"
        ),
        Decimal(0),
    )


# --- acceptance ------------------------------------------------------------------------------


def _order_number(order: Order) -> str:
    """EX-<year>-<000123>: the year of creation and the row id, unique without a counter
    that concurrent acceptances would have to share."""
    return f"EX-{order.created_at:%Y}-{order.pk:06d}"


def order_link(order: Order) -> str:
    return f"/orders/{order.number}/"


@transaction.atomic
def accept_quote(
    *, quote: QuoteVersion, buyer: User, ip: str | None = None, user_agent: str = ""
) -> Order:
    """The buyer accepts the latest, unexpired, eligible version: it becomes an order and
    its cars are reserved, all in one transaction, or nothing of it is kept.

    The inquiry row is locked first, so of two acceptances of one inquiry one waits, then
    finds it accepted (409); acceptances of different inquiries for the same cars meet in
    ``reserve_units``, whose conditional update lets only as many through as there are."""
    inquiry = Inquiry.objects.select_for_update().filter(pk=quote.inquiry_id).first()
    if inquiry is None:
        raise AppError(CoreError.NOT_FOUND)
    if inquiry.buyer_id != buyer.pk:
        involved = buyer.is_staff or (buyer.is_supplier and buyer.company_id == inquiry.supplier_id)
        if not involved:
            raise AppError(CoreError.NOT_FOUND)
        raise AppError(OrderError.NOT_ALLOWED, action=ACTION_NAMES["accept"])
    quote = QuoteVersion.objects.get(pk=quote.pk)
    if inquiry.status == InquiryStatus.ACCEPTED:
        raise AppError(OrderError.ALREADY_ACCEPTED)
    if inquiry.status != InquiryStatus.OPEN:
        raise AppError(OrderError.INQUIRY_CLOSED, status_label=inquiry.get_status_display())
    latest = inquiry.quotes.aggregate(n=Max("version"))["n"]
    if quote.version != latest:
        raise AppError(OrderError.SUPERSEDED, version=latest)
    if quote.valid_until < timezone.now().date():
        raise AppError(OrderError.EXPIRED, date=localized_date(quote.valid_until))
    if not quote.eligible:
        reasons = notices.render_all(quote.reasons)
        raise AppError(
            OrderError.NOT_ELIGIBLE,
            errors={"reasons": reasons or [OrderError.NOT_ELIGIBLE]},
            reasons=" ".join(reasons),
        )
    items = list(inquiry.items.select_related("vehicle").order_by("pk"))
    catalog_services.reserve_units([(i.vehicle_id, i.quantity) for i in items])
    snapshot = [{**listing_snapshot(i.vehicle), "quantity": i.quantity} for i in items]
    percent = deposit_percent(inquiry.payment_terms)
    deposit, balance = split(quote.total, quote.currency, percent)
    try:
        with transaction.atomic():
            order = Order.objects.create(
                # Provisional and unique; replaced by the real number once the id is known.
                number=f"new-{uuid.uuid4().hex[:16]}",
                quote=quote,
                buyer=buyer,
                supplier_id=inquiry.supplier_id,
                status=OrderStatus.PENDING_CONTRACT,
                items=snapshot,
                currency=quote.currency,
                total=quote.total,
                deposit_percent=percent,
                deposit=deposit,
                balance=balance,
                platform_fee=_platform_fee(quote),
                accepted_ip=ip or None,
                accepted_user_agent=(user_agent or "")[:300],
            )
    except IntegrityError as exc:  # the one-order-per-quote constraint, should a lock fail
        raise AppError(OrderError.ALREADY_ACCEPTED) from exc
    order.number = _order_number(order)
    order.save(update_fields=["number"])
    inquiry.status = InquiryStatus.ACCEPTED
    inquiry.save(update_fields=["status", "updated_at"])
    record_event(
        order,
        "accept",
        actor=buyer,
        ip=ip,
        user_agent=user_agent,
        to_state=OrderStatus.PENDING_CONTRACT,
        quote=quote.pk,
        version=quote.version,
    )
    params = {
        "order": order.number,
        "number": inquiry.pk,
        "version": quote.version,
        "buyer": public_party(buyer)["company_name"],
        "total": localized_money(order.total, order.currency),
    }
    notify_all(
        supplier_users(order.supplier_id),
        kind="quote_accepted",
        title=_("Order %(order)s: %(buyer)s accepted quotation #%(number)s"),
        body=_("Version %(version)s, %(total)s, is now order %(order)s. Next step: the contract."),
        link=order_link(order),
        params=params,
    )
    notify_all(
        [buyer],
        kind="order_created",
        title=_("Order %(order)s created"),
        body=_(
            "You accepted version %(version)s of quotation #%(number)s (%(total)s). "
            "Next step: the contract."
        ),
        link=order_link(order),
        params=params,
    )
    return order


# --- the state machine -----------------------------------------------------------------------


ACTION_LABELS = {
    Action.SIGN: _("signed the contract"),
    Action.CANCEL: _("cancelled the order"),
    Action.CONFIRM_DEPOSIT: _("confirmed the deposit"),
    Action.REJECT_PAYMENT: _("rejected a payment"),
    Action.START_EXPORT: _("started export processing"),
    Action.CONFIRM_BALANCE: _("confirmed the balance"),
    Action.SHIP: _("shipped the cars"),
    Action.ARRIVE: _("recorded the arrival"),
    Action.COMPLETE: _("completed the order"),
    Action.DISPUTE: _("opened a dispute"),
    Action.RESOLVE: _("resolved the dispute"),
    Action.SETTLE: _("paid the supplier out"),
}


class _Step:
    """What an action's rule decided: the next state (when not the table's), the record's
    parameters, and the fields of the order it changed."""

    def __init__(self, order: Order, to: str | None):
        self.order = order
        self.to = to
        self.parameters: dict[str, Any] = {}
        self.fields: set[str] = set()

    def set(self, **values: Any) -> None:
        for name, value in values.items():
            setattr(self.order, name, value)
            self.fields.add(name)


def _text(params: dict[str, Any], name: str) -> str:
    value = params.get(name)
    return value.strip()[:2000] if isinstance(value, str) else ""


def _require_reason(params: dict[str, Any]) -> str:
    reason = _text(params, "reason") or _text(params, "note")
    if not reason:
        raise AppError(OrderError.REASON_REQUIRED, errors={"reason": [OrderError.REASON_REQUIRED]})
    return reason


def _payment_of(order: Order, params: dict[str, Any], kind: str | None = None) -> Payment:
    raw = params.get("payment")
    if raw in (None, ""):
        raise AppError(
            OrderError.PAYMENT_REQUIRED, errors={"payment": [OrderError.PAYMENT_REQUIRED]}
        )
    try:
        payment_id = int(raw)
    except (TypeError, ValueError):
        payment_id = None
    payment = (
        Payment.objects.select_for_update().filter(pk=payment_id, order=order).first()
        if payment_id is not None and 0 < payment_id < 2**63
        else None
    )
    if payment is None:
        raise AppError(
            OrderError.PAYMENT_NOT_FOUND,
            errors={"payment": [OrderError.PAYMENT_NOT_FOUND]},
            payment=str(raw)[:20],
        )
    if payment.status != PaymentStatus.SUBMITTED:
        raise AppError(
            OrderError.PAYMENT_NOT_SUBMITTED,
            payment=payment.pk,
            status=payment.get_status_display(),
        )
    if kind and payment.kind != kind:
        raise AppError(
            OrderError.PAYMENT_KIND_MISMATCH,
            errors={"payment": [OrderError.PAYMENT_KIND_MISMATCH]},
            payment=payment.pk,
            kind=PaymentKind(kind).label,
        )
    return payment


def _decide(payment: Payment, actor: User, status: str, reason: str = "") -> None:
    payment.status = status
    payment.decided_by = actor
    payment.decided_at = timezone.now()
    payment.rejection_reason = reason
    payment.save(update_fields=["status", "decided_by", "decided_at", "rejection_reason"])


def _sign(step: _Step, actor, parties: set[Party], params) -> None:
    order = step.order
    now = timezone.now()
    if Party.BUYER in parties and order.buyer_signed_at is None:
        step.set(buyer_signed_at=now)
        step.parameters["party"] = Party.BUYER.value
    elif Party.SUPPLIER in parties and order.supplier_signed_at is None:
        step.set(supplier_signed_at=now)
        step.parameters["party"] = Party.SUPPLIER.value
    else:
        raise AppError(OrderError.ALREADY_SIGNED)
    document = contract_document(order)
    step.parameters["contract_sha256"] = document.sha256
    if order.buyer_signed_at is None or order.supplier_signed_at is None:
        step.to = order.status  # waiting for the other signature


def _cancel(step: _Step, actor, parties, params) -> None:
    order = step.order
    step.parameters["reason"] = _require_reason(params)
    held = selectors.money(order).held
    if held:
        step.set(escrow_refunded=order.escrow_refunded + held)
        step.parameters["refunded"] = _money_param(held, order.currency)
    step.set(closed_at=timezone.now())
    catalog_services.release_units(_units(order))


def _confirm_deposit(step: _Step, actor, parties, params) -> None:
    order = step.order
    if order.deposit == 0 and params.get("payment") in (None, ""):
        return
    payment = _payment_of(order, params, PaymentKind.DEPOSIT)
    if payment.amount < order.deposit:
        raise AppError(
            OrderError.DEPOSIT_SHORT,
            errors={"payment": [OrderError.DEPOSIT_SHORT]},
            amount=localized_money(payment.amount, order.currency),
            due=localized_money(order.deposit, order.currency),
        )
    _decide(payment, actor, PaymentStatus.CONFIRMED)
    step.parameters.update(payment=payment.pk, amount=_money_param(payment.amount, order.currency))


def _confirm_balance(step: _Step, actor, parties, params) -> None:
    order = step.order
    if selectors.money(order).outstanding == 0 and params.get("payment") in (None, ""):
        return
    payment = _payment_of(order, params, PaymentKind.BALANCE)
    paid = selectors.money(order).paid + payment.amount
    if paid < order.total:
        raise AppError(
            OrderError.BALANCE_SHORT,
            errors={"payment": [OrderError.BALANCE_SHORT]},
            paid=localized_money(paid, order.currency),
            total=localized_money(order.total, order.currency),
        )
    _decide(payment, actor, PaymentStatus.CONFIRMED)
    step.parameters.update(payment=payment.pk, amount=_money_param(payment.amount, order.currency))


def _reject_payment(step: _Step, actor, parties, params) -> None:
    payment = _payment_of(step.order, params)
    reason = _require_reason(params)
    _decide(payment, actor, PaymentStatus.REJECTED, reason)
    step.parameters.update(payment=payment.pk, reason=reason)
    notify_all(
        [step.order.buyer],
        kind="payment_rejected",
        title=_("Order %(order)s: your payment was not accepted"),
        body=_("%(amount)s (%(reference)s) was rejected: %(reason)s. Upload a new proof."),
        link=order_link(step.order),
        params={
            "order": step.order.number,
            "amount": localized_money(payment.amount, payment.currency),
            "reference": payment.reference,
            "reason": reason,
        },
    )


def _ship(step: _Step, actor, parties, params) -> None:
    order = step.order
    shipment = order.shipments.exclude(bl_number="").order_by("pk").first()
    if shipment is None:
        raise AppError(OrderError.SHIPMENT_REQUIRED)
    if not Consignee.objects.filter(order=order).exists():
        raise AppError(OrderError.CONSIGNEE_REQUIRED)
    step.parameters.update(shipment=shipment.pk, bl_number=shipment.bl_number)


def _arrive(step: _Step, actor, parties, params) -> None:
    """Arrived now, or when a carrier's actual arrival event says (a datetime only code
    passes; an API body's string never backdates the claim window)."""
    now = timezone.now()
    reported = params.get("arrived_at")
    at = reported if isinstance(reported, datetime) and reported <= now else now
    step.set(arrived_at=at)


def _complete(step: _Step, actor, parties, params) -> None:
    step.set(closed_at=timezone.now())
    catalog_services.sell_units(_units(step.order))


def _dispute(step: _Step, actor, parties, params) -> None:
    order = step.order
    deadline = selectors.claim_deadline(order)
    if deadline is not None and timezone.now() > deadline:
        raise AppError(OrderError.CLAIM_PERIOD_OVER, days=settings.ORDER_CLAIM_DAYS)
    step.parameters["reason"] = _require_reason(params)


def _resolve(step: _Step, actor, parties, params) -> None:
    outcome = params.get("outcome")
    if outcome not in ("release", "refund"):
        raise AppError(OrderError.INVALID_OUTCOME, errors={"outcome": [OrderError.INVALID_OUTCOME]})
    if not _text(params, "note"):
        raise AppError(OrderError.NOTE_REQUIRED, errors={"note": [OrderError.NOTE_REQUIRED]})
    step.parameters["outcome"] = outcome
    if outcome == "release":
        step.to = OrderStatus.COMPLETED
        _complete(step, actor, parties, params)
    else:
        step.to = OrderStatus.CANCELLED
        order = step.order
        held = selectors.money(order).held
        step.set(escrow_refunded=order.escrow_refunded + held, closed_at=timezone.now())
        step.parameters["refunded"] = _money_param(held, order.currency)
        catalog_services.release_units(_units(order))


def _settle(step: _Step, actor, parties, params) -> None:
    order = step.order
    held = selectors.money(order).held
    fee = min(order.platform_fee, held)
    payout = Payout.objects.create(
        order=order,
        supplier_id=order.supplier_id,
        gross=held,
        fee=fee,
        amount=held - fee,
        currency=order.currency,
        created_by=actor,
    )
    step.set(escrow_released=order.escrow_released + held)
    step.parameters.update(
        payout=payout.pk,
        gross=_money_param(held, order.currency),
        fee=_money_param(fee, order.currency),
        amount=_money_param(payout.amount, order.currency),
    )


RULES: dict[Action, Callable[[_Step, Any, set[Party], dict[str, Any]], None]] = {
    Action.SIGN: _sign,
    Action.CANCEL: _cancel,
    Action.CONFIRM_DEPOSIT: _confirm_deposit,
    Action.REJECT_PAYMENT: _reject_payment,
    Action.CONFIRM_BALANCE: _confirm_balance,
    Action.SHIP: _ship,
    Action.ARRIVE: _arrive,
    Action.COMPLETE: _complete,
    Action.DISPUTE: _dispute,
    Action.RESOLVE: _resolve,
    Action.SETTLE: _settle,
}


def _units(order: Order) -> list[tuple[int, int]]:
    return [(item["vehicle_id"], item["quantity"]) for item in order.items]


def _notify_parties(order: Order, action: Action, actor, parties: set[Party]) -> None:
    """Everybody on the order but the one who acted hears of it, in their language."""
    recipients = []
    if Party.BUYER not in parties:
        recipients.append(order.buyer)
    if Party.SUPPLIER not in parties:
        recipients.extend(supplier_users(order.supplier_id))
    who = "EX1000" if actor is None else public_party(actor)["company_name"]
    if actor is not None and actor.is_staff:
        who = "EX1000"
    notify_all(
        recipients,
        kind=f"order_{action.value}",
        title=_("Order %(order)s: %(who)s %(what)s"),
        body=_("The order is now: %(status)s."),
        link=order_link(order),
        params={
            "order": order.number,
            "who": who,
            "what": ACTION_LABELS[action],
            "status": OrderStatus(order.status).label,
        },
    )


@transaction.atomic
def perform(
    *,
    order: Order,
    action: str,
    actor: User | None,
    params: dict[str, Any] | None = None,
    ip: str | None = None,
    user_agent: str = "",
) -> Order:
    """The one function that changes an order's state: lock the order, check the table
    (403 for a wrong actor, 409 for a wrong state), run the action's rule, write the
    operation record and notify — in one transaction. ``actor=None`` is the system."""
    params = params or {}
    try:
        action = Action(action)
    except ValueError:
        raise AppError(OrderError.UNKNOWN_ACTION, action=str(action)[:40]) from None
    order = Order.objects.select_for_update().get(pk=order.pk)
    parties = selectors.parties_of(actor, order)
    if not who_may(action) & parties:  # never this caller's action, in any state
        raise AppError(OrderError.NOT_ALLOWED, action=ACTION_NAMES[action])
    rule = transition(order.status, action)
    if rule is None:
        raise AppError(
            OrderError.INVALID_TRANSITION,
            errors={"allowed_actions": selectors.allowed_actions(actor, order)},
            action=ACTION_NAMES[action],
            status=OrderStatus(order.status).label,
        )
    if not rule.who & parties:
        raise AppError(OrderError.NOT_ALLOWED, action=ACTION_NAMES[action])
    from_state = order.status
    step = _Step(order, rule.to)
    if handler := RULES.get(action):
        handler(step, actor, rule.who & parties, params)
    to_state = step.to or from_state
    step.set(status=to_state)
    order.save(update_fields=[*step.fields, "updated_at"])
    note = _text(params, "note") or _text(params, "reason")
    record_event(
        order,
        action.value,
        actor=actor,
        ip=ip,
        user_agent=user_agent,
        note=note,
        from_state=from_state,
        to_state=to_state,
        **step.parameters,
    )
    _notify_parties(order, action, actor, rule.who & parties)
    return order


# --- payments --------------------------------------------------------------------------------

PAYMENT_STATES = {
    PaymentKind.DEPOSIT: (OrderStatus.PENDING_CONTRACT, OrderStatus.AWAITING_DEPOSIT),
    PaymentKind.BALANCE: (OrderStatus.DEPOSIT_PAID, OrderStatus.EXPORT_PROCESSING),
}


def _amount(raw: Any, currency: str) -> Decimal:
    places = minor_unit_digits(currency)
    try:
        amount = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        amount = None
    if (
        amount is None
        or not amount.is_finite()
        or amount <= 0
        or amount >= Decimal("1e13")
        or amount != quantize(amount, currency)
    ):  # "100.50" and "100.500" are fine in USD, "100.505" is not
        raise AppError(
            OrderError.INVALID_AMOUNT,
            errors={"amount": [OrderError.INVALID_AMOUNT]},
            places=places,
        )
    return quantize(amount, currency)


@transaction.atomic
def submit_payment(
    *,
    order: Order,
    buyer: User,
    kind: str,
    amount: Any,
    currency: str,
    reference: str,
    file,
    ip: str | None = None,
    user_agent: str = "",
) -> Payment:
    """The buyer declares a transfer into escrow with its proof; an operator decides."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.buyer_id != buyer.pk:
        raise AppError(OrderError.NOT_ALLOWED, action=ACTION_NAMES["pay"])
    errors: dict[str, list] = {}
    if kind not in PaymentKind.values:
        errors["kind"] = [AppError(CoreError.INVALID_CHOICE, choices=PaymentKind.values).detail]
    reference = (reference or "").strip()
    if not reference:
        errors["reference"] = [CoreError.REQUIRED]
    elif len(reference) > 100:
        errors["reference"] = [AppError(CoreError.TOO_LONG, count=100).detail]
    if errors:
        raise AppError(CoreError.VALIDATION, errors=errors)
    if (currency or "").strip().upper() != order.currency:
        raise AppError(
            OrderError.CURRENCY_MISMATCH,
            errors={"currency": [OrderError.CURRENCY_MISMATCH]},
            currency=order.currency,
        )
    value = _amount(amount, order.currency)
    if order.status not in PAYMENT_STATES[PaymentKind(kind)]:
        raise AppError(
            OrderError.PAYMENT_NOT_EXPECTED,
            kind=PaymentKind(kind).label,
            status=OrderStatus(order.status).label,
        )
    outstanding = selectors.money(order).outstanding
    if value > outstanding:
        raise AppError(
            OrderError.AMOUNT_TOO_HIGH,
            errors={"amount": [OrderError.AMOUNT_TOO_HIGH]},
            outstanding=localized_money(outstanding, order.currency),
        )
    checked = checked_document(file, max_bytes=settings.UPLOAD_MAX_BYTES)
    payment = Payment(
        order=order,
        kind=kind,
        amount=value,
        currency=order.currency,
        reference=reference,
        proof_content_type=checked.content_type,
        submitted_by=buyer,
    )
    payment.proof.save(
        f"{secrets.token_hex(16)}.{checked.extension}", ContentFile(checked.content), save=False
    )
    payment.save()
    record_event(
        payment,
        "submitted",
        actor=buyer,
        ip=ip,
        user_agent=user_agent,
        order=order.number,
        kind=kind,
        amount=_money_param(value, order.currency),
    )
    notify_all(
        User.objects.filter(is_staff=True, is_active=True),
        kind="payment_submitted",
        title=_("Order %(order)s: a %(kind)s payment of %(amount)s waits for confirmation"),
        link="/ops/payments/",
        params={
            "order": order.number,
            "kind": PaymentKind(kind).label,
            "amount": localized_money(value, order.currency),
        },
    )
    return payment


# --- the supplier's export documents ------------------------------------------------------


@transaction.atomic
def upload_document(
    *,
    order: Order,
    supplier,
    kind: str,
    file,
    ip: str | None = None,
    user_agent: str = "",
) -> OrderDocument:
    """An export paper from the order's supplier (PDF, JPEG, PNG ≤ 10 MB, checked by
    decoding, image metadata stripped); the buyer is told."""
    if Party.SUPPLIER not in selectors.parties_of(supplier, order):
        raise AppError(OrderError.NOT_ALLOWED, action=ACTION_NAMES["upload_document"])
    if kind not in UPLOADED_KINDS:
        raise AppError(
            OrderError.INVALID_DOCUMENT_KIND,
            errors={"kind": [OrderError.INVALID_DOCUMENT_KIND]},
            choices=", ".join(UPLOADED_KINDS),
        )
    checked = checked_document(file, max_bytes=settings.UPLOAD_MAX_BYTES)
    document = OrderDocument(
        order=order,
        kind=kind,
        generated=False,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=hashlib.sha256(checked.content).hexdigest(),
        uploaded_by=supplier,
    )
    document.file.save(
        f"{kind}-{secrets.token_hex(12)}.{checked.extension}",
        ContentFile(checked.content),
        save=False,
    )
    document.save()
    record_event(
        document,
        "uploaded",
        actor=supplier,
        ip=ip,
        user_agent=user_agent,
        order=order.number,
        kind=kind,
        sha256=document.sha256,
    )
    notify_all(
        [order.buyer],
        kind="order_document",
        title=_("Order %(order)s: the supplier added a %(document)s"),
        link=order_link(order),
        params={"order": order.number, "document": DocumentKind(kind).label},
    )
    return document


# --- consignee -------------------------------------------------------------------------------

CONSIGNEE_LIMITS = {"name": 200, "company": 200, "address": 500, "city": 100, "notify_party": 500}


@transaction.atomic
def set_consignee(*, order: Order, buyer: User, data: dict[str, Any]) -> Consignee:
    """Who receives the cars; fixed once they are shipped (it is what the B/L says)."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.buyer_id != buyer.pk:
        raise AppError(OrderError.NOT_ALLOWED, action=ACTION_NAMES["consignee"])
    if order.status not in (
        OrderStatus.PENDING_CONTRACT,
        OrderStatus.AWAITING_DEPOSIT,
        OrderStatus.DEPOSIT_PAID,
        OrderStatus.EXPORT_PROCESSING,
        OrderStatus.BALANCE_PAID,
    ):
        raise AppError(OrderError.CONSIGNEE_LOCKED)
    values = {
        k: (data.get(k) or "").strip() for k in (*CONSIGNEE_LIMITS, "country", "phone", "email")
    }
    errors: dict[str, list] = {}
    for name in ("name", "address", "city", "country", "phone", "email"):
        if not values[name]:
            errors.setdefault(name, []).append(CoreError.REQUIRED)
    for name, limit in CONSIGNEE_LIMITS.items():
        if len(values[name]) > limit:
            errors.setdefault(name, []).append(AppError(CoreError.TOO_LONG, count=limit).detail)
    country = values["country"].upper()
    if country and country not in dict(countries):
        errors.setdefault("country", []).append(
            AppError(CoreError.INVALID_CHOICE, choices="ISO 3166 alpha-2, e.g. KZ").detail
        )
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError as exc:
            errors.setdefault("email", []).extend(exc.messages)
    phone = ""
    if values["phone"] and "phone" not in errors:
        try:
            phone = normalise_phone(values["phone"], country or None)
        except AppError as exc:
            errors.setdefault("phone", []).extend(exc.errors.get("phone", [exc.code]))
    if errors:
        raise AppError(CoreError.VALIDATION, errors=errors)
    consignee, _created = Consignee.objects.update_or_create(
        order=order,
        defaults={**values, "country": country, "phone": phone},
    )
    return consignee


# --- scheduled -------------------------------------------------------------------------------


def complete_overdue_orders(now=None) -> list[str]:
    """Orders that arrived ``ORDER_CLAIM_DAYS`` ago without a dispute are completed by the
    system. Idempotent: a completed order is not arrived any more."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ORDER_CLAIM_DAYS)
    done = []
    for order in Order.objects.filter(status=OrderStatus.ARRIVED, arrived_at__lte=cutoff):
        try:
            perform(order=order, action=Action.COMPLETE, actor=None)
        except AppError:  # someone acted on it meanwhile
            continue
        done.append(order.number)
    return done
