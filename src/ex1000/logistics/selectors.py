"""Who sees which shipment: the order's buyer, the supplier's users, the logistics
partner it is assigned to, operators; anyone else gets 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ex1000.accounts.models import Role
from ex1000.privacy.services import has_consent

from .models import Classifier, Shipment


def shipments_visible_to(user) -> QuerySet[Shipment]:
    shipments = Shipment.objects.select_related(
        "order__buyer", "order__consignee", "partner"
    ).prefetch_related("events")
    if not getattr(user, "is_authenticated", False):
        return shipments.none()
    if user.is_staff:
        return shipments
    if user.role == Role.BUYER:
        return shipments.filter(order__buyer=user)
    if user.company_id is None:
        return shipments.none()
    if user.role == Role.SUPPLIER:
        return shipments.filter(order__supplier_id=user.company_id)
    if user.role == Role.LOGISTICS:
        return shipments.filter(partner_id=user.company_id)
    return shipments.none()


def shipment_for(user, shipment_id: int) -> Shipment:
    shipment = shipments_visible_to(user).filter(pk=shipment_id).first()
    if shipment is None:
        raise Http404
    return shipment


CONSIGNEE_FIELDS = ("name", "company", "phone", "email", "address", "city", "country")


def consignee_fields(consignee) -> dict[str, str]:
    return {name: str(getattr(consignee, name) or "") for name in CONSIGNEE_FIELDS}


def vehicles_of(shipment: Shipment) -> list[dict]:
    """The shipment's cars as the order recorded them: make, model, year, VIN."""
    vins = set(shipment.vins)
    return [
        {key: item.get(key) for key in ("make", "model", "year", "vin")}
        for item in shipment.order.items
        if item.get("vin") in vins
    ]


def consignee_for_partner(shipment: Shipment):
    """(consignee fields or None, withheld) for the shipment's logistics partner: nothing
    when the buyer withdrew ``logistics_sharing`` (privacy.md)."""
    order = shipment.order
    consignee = getattr(order, "consignee", None)
    if consignee is None:
        return None, False
    if not has_consent(order.buyer, "logistics_sharing"):
        return None, True
    return consignee_fields(consignee), False


def partner_shipments(user) -> QuerySet[Shipment]:
    """The partner dashboard's list: the shipments assigned to the user's company, newest
    first; nothing for anyone but a logistics partner."""
    if getattr(user, "role", "") != Role.LOGISTICS or user.company_id is None:
        return Shipment.objects.none()
    return shipments_visible_to(user).order_by("-created_at", "-id")


def latest_actual_event(shipment: Shipment):
    """The shipment's last actual event (its status as far as anyone knows), or None."""
    actual = [e for e in shipment.events.all() if e.classifier == Classifier.ACTUAL]
    return actual[-1] if actual else None


def partner_contact(shipment: Shipment) -> dict[str, str] | None:
    """Who moves the cars, for the order's parties (privacy.md: the partner is named, with
    its contact, on the shipment): the company and its first active member's business
    email and phone."""
    company = shipment.partner
    if company is None:
        return None
    member = (
        company.members.filter(role=Role.LOGISTICS, is_active=True).order_by("date_joined").first()
    )
    return {
        "name": company.name,
        "place": ", ".join(p for p in (company.city, company.country.name) if p),
        "email": member.email if member else "",
        "phone": member.phone if member else "",
    }
