"""Who sees which shipment: the order's buyer, the supplier's users, the logistics
partner it is assigned to, operators; anyone else gets 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ex1000.accounts.models import Role

from .models import Shipment


def shipments_visible_to(user) -> QuerySet[Shipment]:
    shipments = Shipment.objects.select_related("order", "partner").prefetch_related("events")
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
