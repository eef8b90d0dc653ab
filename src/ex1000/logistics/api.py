"""Shipments (api.md): created on an order by its supplier or an operator, read by the
order's parties and the assigned logistics partner; tracking events added by the supplier
or the assigned partner."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from ex1000.core.api import PageParams, Text, paginate, user_auth
from ex1000.core.http import client_ip
from ex1000.orders import selectors as order_selectors

from . import selectors, services
from .models import Shipment, TrackingEvent

router = Router(tags=["logistics"], auth=user_auth)


class ShipmentIn(Schema):
    partner: int | None = Field(
        None, description="Id of the verified logistics partner company that moves it"
    )
    provider_name: Text = Field("", max_length=200, description="Carrier or forwarder")
    mode: Text = Field("", description="roro, container, rail, truck, air (default: the quote's)")
    bl_number: Text = Field("", max_length=40, description="B/L or waybill number (required)")
    container_number: Text = Field("", max_length=20, description="ISO 6346, check digit verified")
    vessel_name: Text = Field("", max_length=100)
    vessel_imo: Text = Field("", max_length=12, description="IMO number, check digit verified")
    voyage: Text = Field("", max_length=40)
    origin: Text = Field("", max_length=10, description="Place code (default: the quote's)")
    destination: Text = Field("", max_length=10, description="Place code (default: the quote's)")
    etd: datetime | None = None
    eta: datetime | None = Field(None, description="Not before the ETD")
    tracking_url: Text = Field("", max_length=500, description="http or https")
    vins: list[Text] = Field(
        default_factory=list, max_length=500, description="Default: all of the order's"
    )


class TrackingEventIn(Schema):
    code: Text = Field(
        description="received, gate_in, loaded, departed, transshipment, arrived, discharged, "
        "customs_cleared, gate_out, delivered, delayed"
    )
    classifier: Text = Field(description="PLN (planned), EST (estimated), ACT (actual)")
    location: Text = Field("", max_length=100, description="Place code (UN/LOCODE) or text")
    # Read by the service, as the webhook's events are: one rule and one error code for a
    # missing, zone-less, impossible or non-string time (a number is not a time here).
    occurred_at: Any = Field(
        None,
        description="ISO 8601 with its time zone",
        json_schema_extra={"type": "string", "format": "date-time"},
    )
    description: Text = Field("", max_length=1000)


class TrackingEventOut(Schema):
    id: int
    code: str
    label: str = Field(description="The event's name in the caller's language")
    classifier: str
    location: str
    occurred_at: datetime
    description: str
    source: str = Field(description="manual, or the carrier's webhook (webhook:<provider>)")
    created_at: datetime


class PartnerOut(Schema):
    id: int
    company_name: str


class ShipmentOut(Schema):
    id: int
    order: str = Field(description="The order number")
    partner: PartnerOut | None
    provider_name: str
    mode: str
    bl_number: str
    container_number: str
    vessel_name: str
    vessel_imo: str
    voyage: str
    origin: str
    destination: str
    etd: datetime | None
    eta: datetime | None
    tracking_url: str
    vins: list[str]
    events: list[TrackingEventOut] = Field(
        description="The timeline: planned, estimated and actual events, by time"
    )
    vehicles: list[ShipmentVehicleOut] = Field(
        description="The cars it carries: make, model, year, VIN"
    )
    consignee: ShipmentConsigneeOut | None = Field(
        description="Who receives the cars; for the logistics partner only with the buyer's "
        "logistics_sharing consent (each response that carries it is a disclosure record)"
    )
    consignee_withheld: bool = Field(
        description="true: the buyer withdrew logistics_sharing; the partner sees no consignee"
    )
    created_at: datetime


class ShipmentPage(Schema):
    items: list[ShipmentOut]
    count: int
    page: int
    page_size: int


def event_json(event: TrackingEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "code": event.code,
        "label": str(event.get_code_display()),
        "classifier": event.classifier,
        "location": event.location,
        "occurred_at": event.occurred_at,
        "description": event.description,
        "source": event.source,
        "created_at": event.created_at,
    }


class ShipmentVehicleOut(Schema):
    make: str | None
    model: str | None
    year: int | None
    vin: str | None


class ShipmentConsigneeOut(Schema):
    name: str
    company: str
    phone: str
    email: str
    address: str
    city: str
    country: str


def _consignee(shipment: Shipment, viewer) -> tuple[dict[str, str] | None, bool]:
    """The consignee as the viewer may see it. The shipment's partner gets it only with the
    buyer's ``logistics_sharing`` consent, and each time that is one disclosure record."""
    partner_view = (
        viewer is not None
        and not viewer.is_staff
        and getattr(viewer, "role", "") == "logistics"
        and viewer.company_id == shipment.partner_id
    )
    if partner_view:
        return services.consignee_for_partner_view(shipment, viewer)
    _shared, withheld = selectors.consignee_for_partner(shipment)
    consignee = getattr(shipment.order, "consignee", None)
    if consignee is None:
        return None, False
    return selectors.consignee_fields(consignee), bool(shipment.partner_id) and withheld


def shipment_json(shipment: Shipment, viewer=None) -> dict[str, Any]:
    partner = shipment.partner
    consignee, withheld = _consignee(shipment, viewer)
    return {
        "id": shipment.pk,
        "order": shipment.order.number,
        "partner": {"id": partner.pk, "company_name": partner.name} if partner else None,
        "provider_name": shipment.provider_name,
        "mode": shipment.mode,
        "bl_number": shipment.bl_number,
        "container_number": shipment.container_number,
        "vessel_name": shipment.vessel_name,
        "vessel_imo": shipment.vessel_imo,
        "voyage": shipment.voyage,
        "origin": shipment.origin,
        "destination": shipment.destination,
        "etd": shipment.etd,
        "eta": shipment.eta,
        "tracking_url": shipment.tracking_url,
        "vins": shipment.vins,
        "events": [event_json(event) for event in shipment.events.all()],
        "vehicles": selectors.vehicles_of(shipment),
        "consignee": consignee,
        "consignee_withheld": withheld,
        "created_at": shipment.created_at,
    }


@router.post("/orders/{number}/shipments", response={201: ShipmentOut})
def create_shipment(request: HttpRequest, number: str, payload: ShipmentIn):
    """The order's supplier or an operator books the transport (orders.md): possible
    from `deposit_paid` to `shipped`; the buyer is told."""
    order = order_selectors.order_for(request.user, number)
    shipment = services.create_shipment(
        order=order,
        actor=request.user,
        data=payload.dict(),
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    return 201, shipment_json(shipment, request.user)


@router.get("/shipments", response=ShipmentPage)
def list_shipments(request: HttpRequest, paging: Query[PageParams]):
    """The caller's shipments: of a buyer's or supplier's orders, those assigned to a
    logistics partner; operators see all. Newest first."""
    shipments = selectors.shipments_visible_to(request.user).order_by("-created_at", "-id")
    page, meta = paginate(shipments, paging.page, paging.page_size)
    return {"items": [shipment_json(s, request.user) for s in page], **meta}


@router.get("/shipments/{int:shipment_id}", response=ShipmentOut)
def shipment_detail(request: HttpRequest, shipment_id: int):
    return shipment_json(selectors.shipment_for(request.user, shipment_id), request.user)


@router.post("/shipments/{int:shipment_id}/events", response={201: TrackingEventOut})
def add_tracking_event(request: HttpRequest, shipment_id: int, payload: TrackingEventIn):
    """The order's supplier or the shipment's logistics partner adds an event (orders.md).
    An `EST` arrival at the destination moves the ETA; an `ACT` one records the order's
    arrival; the buyer is told of every actual event."""
    shipment = selectors.shipment_for(request.user, shipment_id)
    event = services.add_tracking_event(
        shipment=shipment,
        actor=request.user,
        data=payload.dict(),
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    return 201, event_json(event)


webhook_router = Router(tags=["logistics"])


class WebhookAccepted(Schema):
    webhook_id: str
    duplicate: bool = Field(description="true: this webhook-id was received before")
    events: int = Field(description="Events accepted, applied by a worker right after")


@webhook_router.post("/logistics/webhook/{provider}", response=WebhookAccepted)
def carrier_webhook(request: HttpRequest, provider: str):
    """Tracking events from a logistics partner's system, signed as Standard Webhooks
    (orders.md; docs/carrier-webhook.md has a worked example). One event or a list, in our
    form or as DCSA Track & Trace events, each naming its shipment by `bl_number` or
    `container_number`. A bad signature or a timestamp more than 5 minutes away: `401`,
    nothing changes; a repeated `webhook-id`: `200`, nothing added."""
    return services.receive_webhook(provider=provider, headers=request.headers, body=request.body)


class WebhookSecretOut(Schema):
    provider: str = Field(description="The path segment of your webhook URL")
    secret: str = Field(description="whsec_ + base64(key); shown once, replaces the old one")


@router.post("/me/webhook-secret", response=WebhookSecretOut)
def webhook_secret(request: HttpRequest):
    """A verified logistics partner's signing secret for the carrier webhook."""
    endpoint, secret = services.rotate_webhook_secret(user=request.user, ip=client_ip(request))
    return {"provider": endpoint.provider, "secret": secret}
