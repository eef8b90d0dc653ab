"""Every change to a shipment (orders.md, Shipments and tracking). ``create_shipment``
is the one way a shipment comes into being: it checks the numbers it names (container
and IMO check digits, place codes), records the event and tells the buyer."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from ex1000.accounts.models import Company, Role, VerificationStatus
from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError, FieldError
from ex1000.core.events import record_event
from ex1000.notifications.services import localized_datetime, notify_all
from ex1000.orders import selectors as order_selectors
from ex1000.orders.error_codes import OrderError
from ex1000.orders.models import SHIPMENT_STATES, Order, OrderStatus
from ex1000.orders.services import order_link, perform
from ex1000.orders.state_machine import ACTION_NAMES, Party
from ex1000.quotes.error_codes import QuoteError
from ex1000.quotes.presentation import place_label

from . import selectors, tasks, validation, webhooks
from .error_codes import LogisticsError
from .models import (
    ARRIVAL_CODES,
    Classifier,
    EventCode,
    Mode,
    Shipment,
    TrackingEvent,
    WebhookDelivery,
    WebhookEndpoint,
)

LIMITS = {"provider_name": 200, "bl_number": 40, "vessel_name": 100, "voyage": 40}

logger = logging.getLogger(__name__)


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""


class _Errors:
    """Field errors collected over the whole request; one code when they share it."""

    def __init__(self) -> None:
        self.fields: dict[str, list] = {}
        self.codes: list = []

    def add(self, field: str, code, **params: Any) -> None:
        self.fields.setdefault(field, []).append(FieldError(code, **params) if params else code)
        self.codes.append(code)

    def raise_any(self) -> None:
        if not self.fields:
            return
        codes = set(self.codes)
        code = codes.pop() if len(codes) == 1 else CoreError.VALIDATION
        params = {}
        if code is not CoreError.VALIDATION:
            first = next(m for ms in self.fields.values() for m in ms)
            params = first.params if isinstance(first, FieldError) else {}
        raise AppError(code, errors=self.fields, **params)


def _partner(raw: Any, errors: _Errors) -> Company | None:
    if raw in (None, ""):
        return None
    try:
        partner_id = int(raw)
    except (TypeError, ValueError):
        partner_id = 0
    # A verified company of logistics partners (accounts.md): not a supplier, not a buyer.
    company = (
        Company.objects.filter(
            pk=partner_id,
            verification_status=VerificationStatus.APPROVED,
            members__role=Role.LOGISTICS,
        )
        .only("pk", "name")
        .first()
        if 0 < partner_id < 2**63
        else None
    )
    if company is None:
        errors.add("partner", LogisticsError.INVALID_PARTNER, partner=str(raw)[:20])
    return company


def _clean(order: Order, data: dict[str, Any]) -> dict[str, Any]:
    errors = _Errors()
    values: dict[str, Any] = {name: _text(data, name) for name in LIMITS}
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            errors.add(name, CoreError.TOO_LONG, count=limit)
    if not values["bl_number"]:
        errors.add("bl_number", CoreError.REQUIRED)
    elif order.shipments.filter(bl_number=values["bl_number"]).exists():
        errors.add("bl_number", LogisticsError.BL_NUMBER_TAKEN, bl_number=values["bl_number"])

    mode = _text(data, "mode").lower() or order.quote.mode
    if mode not in Mode.values:
        errors.add(
            "mode", LogisticsError.UNKNOWN_MODE, mode=mode[:20], choices=", ".join(Mode.values)
        )
    values["mode"] = mode

    container = validation.normalise_container(_text(data, "container_number"))
    if container and not validation.valid_container_number(container):
        errors.add("container_number", LogisticsError.INVALID_CONTAINER_NUMBER, value=container)
    values["container_number"] = container

    imo = validation.normalise_imo(_text(data, "vessel_imo"))
    if imo and not validation.valid_imo(imo):
        errors.add("vessel_imo", LogisticsError.INVALID_IMO, value=imo)
    values["vessel_imo"] = imo

    # The quote's places unless the shipment names others (a transshipment port, say) —
    # from the rate book the quote was priced with, so the documents can name them.
    book = order.quote.rate_book
    for name, default in (("origin", order.quote.origin), ("destination", order.quote.destination)):
        code = _text(data, name).upper() or default
        if not code:
            errors.add(name, CoreError.REQUIRED)
        elif not validation.valid_place_code(code):
            errors.add(name, LogisticsError.INVALID_PLACE)
        elif not book.places.filter(code=code).exists():  # the places the quote knows
            errors.add(name, QuoteError.UNKNOWN_PLACE, place=code, version=book.version)
        values[name] = code

    etd, eta = data.get("etd"), data.get("eta")
    for name, value in (("etd", etd), ("eta", eta)):
        if value is not None and not isinstance(value, datetime):
            errors.add(name, CoreError.VALIDATION)
    if isinstance(etd, datetime) and isinstance(eta, datetime) and eta < etd:
        errors.add("eta", LogisticsError.ETA_BEFORE_ETD)
    values["etd"], values["eta"] = etd, eta

    url = _text(data, "tracking_url")
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors.add("tracking_url", LogisticsError.INVALID_TRACKING_URL)
        if len(url) > 500:
            errors.add("tracking_url", CoreError.TOO_LONG, count=500)
    values["tracking_url"] = url

    order_vins = order.vins
    given = data.get("vins") or []
    vins = list(dict.fromkeys(str(v).strip().upper() for v in given if str(v).strip()))
    foreign = [v for v in vins if v not in order_vins]
    if foreign:
        errors.add("vins", LogisticsError.VIN_NOT_IN_ORDER, vins=", ".join(foreign)[:200])
    shipped = {v for s in order.shipments.all() for v in s.vins}
    twice = [v for v in vins if v in shipped]
    if twice:
        errors.add("vins", LogisticsError.VIN_ALREADY_SHIPPED, vins=", ".join(twice)[:200])
    left = [v for v in order_vins if v not in shipped]
    if not vins and not left:  # every car of the order is on a shipment already
        errors.add("vins", LogisticsError.VIN_ALREADY_SHIPPED, vins=", ".join(order_vins)[:200])
    values["vins"] = vins or left

    values["partner"] = _partner(data.get("partner"), errors)
    errors.raise_any()
    return values


@transaction.atomic
def create_shipment(
    *,
    order: Order,
    actor,
    data: dict[str, Any],
    ip: str | None = None,
    user_agent: str = "",
) -> Shipment:
    """The order's supplier (or an operator) books the transport of its cars."""
    order = Order.objects.select_for_update().select_related("quote").get(pk=order.pk)
    parties = order_selectors.parties_of(actor, order)
    if not parties & {Party.SUPPLIER, Party.OPERATOR}:
        raise AppError(OrderError.NOT_ALLOWED, action=ACTION_NAMES["book_shipment"])
    if order.status not in SHIPMENT_STATES:
        raise AppError(LogisticsError.SHIPMENT_NOT_EXPECTED, state=OrderStatus(order.status).label)
    values = _clean(order, data)
    shipment = Shipment.objects.create(order=order, created_by=actor, **values)
    record_event(
        shipment,
        "created",
        actor=actor,
        ip=ip,
        user_agent=user_agent,
        order=order.number,
        bl_number=shipment.bl_number,
        vins=shipment.vins,
    )
    notify_all(
        [order.buyer],
        kind="shipment_created",
        title=_("Order %(order)s: shipment booked, B/L %(bl)s"),
        body=_("%(count)s vehicle(s) from %(origin)s to %(destination)s."),
        link=order_link(order),
        params={
            "order": order.number,
            "bl": shipment.bl_number,
            "count": len(shipment.vins),
            "origin": shipment.origin,
            "destination": shipment.destination,
        },
    )
    return shipment


# ---------------------------------------------------------------- tracking events

# A clock a little ahead at the carrier's is not a future event.
CLOCK_SKEW = timedelta(minutes=10)


# Events from the year 2000 to five years ahead (plans): anything else is a carrier's or a
# client's error, refused before it is stored (and before a webhook delivery is accepted).
EVENT_YEARS = (2000, 5)


def _event_time(raw: Any, errors: _Errors) -> datetime | None:
    value = raw if isinstance(raw, datetime) else None
    if isinstance(raw, str):
        try:
            value = parse_datetime(raw.strip())
        except ValueError:  # well-formed but impossible, e.g. month 13: a carrier's typo
            value = None
    if value is None or timezone.is_naive(value):
        errors.add("occurred_at", LogisticsError.EVENT_TIME_REQUIRED)
        return None
    first, last = EVENT_YEARS
    try:
        value = value.astimezone(UTC)  # 9999-12-31T23:59-12:00 is past the last year
    except OverflowError:
        value = None
    if value is None or not first <= value.year <= timezone.now().year + last:
        errors.add(
            "occurred_at",
            LogisticsError.EVENT_TIME_OUT_OF_RANGE,
            first=first,
            last=timezone.now().year + last,
        )
        return None
    return value


def clean_event(data: dict[str, Any]) -> dict[str, Any]:
    """Our event form (orders.md): code, classifier, location, occurred_at, description."""
    errors = _Errors()
    code = _text(data, "code").lower()
    if code not in EventCode.values:
        errors.add(
            "code",
            LogisticsError.UNKNOWN_EVENT_CODE,
            event=code[:40],
            choices=", ".join(EventCode.values),
        )
    classifier = _text(data, "classifier").upper()
    if classifier not in Classifier.values:
        errors.add("classifier", LogisticsError.UNKNOWN_CLASSIFIER, classifier=classifier[:10])
    occurred_at = _event_time(data.get("occurred_at"), errors)
    if (
        occurred_at is not None
        and classifier == Classifier.ACTUAL
        and occurred_at > timezone.now() + CLOCK_SKEW
    ):
        errors.add("occurred_at", LogisticsError.ACTUAL_IN_FUTURE)
    location = _text(data, "location")
    description = _text(data, "description")
    for name, value, limit in (("location", location, 100), ("description", description, 1000)):
        if len(value) > limit:
            errors.add(name, CoreError.TOO_LONG, count=limit)
    errors.raise_any()
    return {
        "code": code,
        "classifier": classifier,
        "occurred_at": occurred_at,
        "location": location.upper() if validation.valid_place_code(location) else location,
        "description": description,
    }


def _at_destination(shipment: Shipment, location: str) -> bool:
    return not location or location.upper() == shipment.destination.upper()


def _place_of(shipment: Shipment, event: TrackingEvent) -> str:
    """Where it happened, as the rate book names it; an arrival without a place is at the
    destination, any other event without one is nowhere in particular."""
    location = event.location or (shipment.destination if event.code in ARRIVAL_CODES else "")
    return place_label(getattr(shipment.order.quote, "rate_book", None), location) or "—"


@transaction.atomic
def add_tracking_event(
    *,
    shipment: Shipment,
    actor,
    data: dict[str, Any],
    source: str = "manual",
    ip: str | None = None,
    user_agent: str = "",
) -> TrackingEvent:
    """A tracking event from the order's supplier or the shipment's partner (``actor``), or
    from a carrier's webhook (``actor=None``: the system).

    An estimated arrival at the destination moves the ETA; an actual one performs the
    order's ``arrive`` when the order is shipped. The buyer is told of every actual event.
    """
    shipment = Shipment.objects.select_for_update().select_related("order").get(pk=shipment.pk)
    order = shipment.order
    if actor is not None:
        parties = order_selectors.parties_of(actor, order)
        allowed = Party.SUPPLIER in parties or (
            Party.PARTNER in parties and actor.company_id == shipment.partner_id
        )
        if not allowed:
            raise AppError(OrderError.NOT_ALLOWED, action=ACTION_NAMES["add_tracking_event"])
    values = clean_event(data)
    event = TrackingEvent.objects.create(
        shipment=shipment, created_by=actor, source=source, **values
    )
    record_event(
        shipment,
        "tracking_event",
        actor=actor,
        ip=ip,
        user_agent=user_agent,
        event=event.pk,
        code=event.code,
        classifier=event.classifier,
        location=event.location,
        occurred_at=event.occurred_at.isoformat(),
        source=source,
    )
    arrival = event.code in ARRIVAL_CODES and _at_destination(shipment, event.location)
    if arrival and event.classifier == Classifier.ESTIMATED:
        shipment.eta = event.occurred_at
        shipment.save(update_fields=["eta"])
    if event.classifier == Classifier.ACTUAL:
        if arrival and order.status == OrderStatus.SHIPPED:
            perform(
                order=order,
                action="arrive",
                actor=actor,
                params={"note": f"tracking event {event.pk}", "arrived_at": event.occurred_at},
                ip=ip,
                user_agent=user_agent,
            )
        notify_all(
            [order.buyer],
            kind="tracking_event",
            title=_("Order %(order)s: %(event)s"),
            body=_("B/L %(bl)s · %(place)s · %(time)s"),
            link=order_link(order),
            params={
                "order": order.number,
                "event": EventCode(event.code).label,
                "bl": shipment.bl_number,
                "place": _place_of(shipment, event),
                "time": localized_datetime(event.occurred_at),
            },
        )
    return event


# ---------------------------------------------------------------- the carriers' webhook

MAX_EVENTS = 500


def _provider_slug(company: Company) -> str:
    base = slugify(company.name)[:50] or f"partner-{company.pk}"
    slug, n = base, 1
    while WebhookEndpoint.objects.filter(provider=slug).exclude(company=company).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def rotate_webhook_secret(*, user, ip: str | None = None) -> tuple[WebhookEndpoint, str]:
    """A verified logistics partner's new signing secret, shown once; the old one stops
    working at once."""
    company = user.company
    if not (
        getattr(user, "role", "") == "logistics"
        and company is not None
        and company.verification_status == VerificationStatus.APPROVED
    ):
        raise AppError(LogisticsError.PARTNERS_ONLY)
    secret = webhooks.new_secret()
    endpoint = WebhookEndpoint.objects.select_for_update().filter(company=company).first()
    if endpoint is None:
        endpoint = WebhookEndpoint.objects.create(
            company=company, provider=_provider_slug(company), secret=secret
        )
    else:
        endpoint.secret = secret
        endpoint.rotated_at = timezone.now()
        endpoint.save(update_fields=["secret", "rotated_at"])
    record_event(endpoint, "webhook_secret_issued", actor=user, ip=ip, provider=endpoint.provider)
    return endpoint, secret


def _resolve(endpoint: WebhookEndpoint, reference: tuple[str, str]) -> Shipment | None:
    bl_number, container = reference
    match = Q(pk__in=[])
    if bl_number:
        match |= Q(bl_number__iexact=bl_number.strip())
    if container:
        match |= Q(container_number=validation.normalise_container(container))
    return Shipment.objects.filter(partner_id=endpoint.company_id).filter(match).first()


def receive_webhook(*, provider: str, headers, body: bytes) -> dict[str, Any]:
    """Verify, dedupe and check one delivery, then hand its events to a task (orders.md:
    401 and no change for a bad signature; a repeated id accepted once; an unknown
    shipment named in a 422)."""
    endpoint = WebhookEndpoint.objects.filter(provider=provider[:60]).first()
    if endpoint is None:  # the same answer as a bad signature: nothing to probe
        raise AppError(LogisticsError.BAD_SIGNATURE)
    try:
        webhook_id = webhooks.verify(endpoint.secret, headers, body)
    except webhooks.SignatureError as exc:
        raise AppError(LogisticsError.BAD_SIGNATURE) from exc
    if WebhookDelivery.objects.filter(endpoint=endpoint, webhook_id=webhook_id).exists():
        return {"webhook_id": webhook_id, "duplicate": True, "events": 0}
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise AppError(CoreError.MALFORMED) from exc
    items = payload if isinstance(payload, list) else [payload]
    if not items or not all(isinstance(item, dict) for item in items):
        raise AppError(CoreError.MALFORMED)
    if len(items) > MAX_EVENTS:
        raise AppError(LogisticsError.TOO_MANY_EVENTS, count=MAX_EVENTS)
    events, unknown = [], []
    for item in items:
        ours = webhooks.to_our_event(item)
        reference = (ours.pop("bl_number"), ours.pop("container_number"))
        shipment = _resolve(endpoint, reference)
        if shipment is None:
            unknown.append(reference[0] or reference[1] or "—")
            continue
        cleaned = clean_event(ours)  # 422 now, not in the task
        cleaned["occurred_at"] = cleaned["occurred_at"].isoformat()
        events.append({"shipment": shipment.pk, **cleaned})
    if unknown:
        raise AppError(
            LogisticsError.UNKNOWN_SHIPMENT,
            errors={"bl_number": [LogisticsError.UNKNOWN_SHIPMENT]},
            reference=", ".join(sorted(set(unknown)))[:200],
        )
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                endpoint=endpoint, webhook_id=webhook_id, events=events
            )
    except IntegrityError:  # the same id at the same moment: the other one counts
        return {"webhook_id": webhook_id, "duplicate": True, "events": 0}
    pk = delivery.pk
    transaction.on_commit(lambda: tasks.apply_webhook_delivery.enqueue(pk), robust=True)
    return {"webhook_id": webhook_id, "duplicate": False, "events": len(events)}


def apply_webhook_delivery(delivery_id: int) -> int:
    """The task's work: add the delivery's events as the system; once."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("endpoint")
            .filter(pk=delivery_id, processed_at__isnull=True)
            .first()
        )
        if delivery is None:
            return 0
        source = f"webhook:{delivery.endpoint.provider}"
        for event in delivery.events:
            shipment = Shipment.objects.get(pk=event["shipment"])
            data = {k: v for k, v in event.items() if k != "shipment"}
            add_tracking_event(shipment=shipment, actor=None, data=data, source=source)
        delivery.processed_at = timezone.now()
        delivery.save(update_fields=["processed_at"])
        return len(delivery.events)


def retry_webhook_deliveries(older_than: timedelta = timedelta(minutes=2)) -> int:
    """The schedule's catch-up: deliveries accepted (the carrier got its 200) whose task
    never finished — a worker restart, a database hiccup — are applied now; one that
    fails again waits for the next run instead of stopping the others."""
    cutoff = timezone.now() - older_than
    applied = 0
    pending = WebhookDelivery.objects.filter(processed_at__isnull=True, received_at__lte=cutoff)
    for delivery_id in pending.order_by("received_at").values_list("pk", flat=True)[:500]:
        try:
            applied += apply_webhook_delivery(delivery_id)
        except Exception:  # logged; the delivery stays unprocessed for the next run
            logger.exception("webhook delivery %s could not be applied", delivery_id)
    return applied


# ---------------------------------------------------------------- the partner's view


def consignee_for_partner_view(shipment: Shipment, partner_user) -> tuple[dict | None, bool]:
    """(consignee fields or None, withheld) as handed to the shipment's partner, by the API
    and the partner's dashboard alike: each hand-over is one disclosure record; none when
    the buyer withdrew ``logistics_sharing``."""
    shared, withheld = selectors.consignee_for_partner(shipment)
    if shared is not None:
        disclose_consignee(shipment, partner_user, shared)
    return shared, withheld


def disclose_consignee(shipment: Shipment, partner_user, fields) -> None:
    """One disclosure record per response that hands the consignee to the partner."""
    from ex1000.privacy.disclosures import record_disclosure

    order = shipment.order
    record_disclosure(
        user=order.buyer,
        recipient_kind="logistics_partner",
        recipient=shipment.partner.name if shipment.partner else str(partner_user.company),
        fields=[f"consignee.{name}" for name in fields],
        purpose=gettext_noop("deliver the cars to the consignee"),  # shown translated
        reference=f"{order.number} · B/L {shipment.bl_number}",
    )
