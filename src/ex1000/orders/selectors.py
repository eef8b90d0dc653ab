"""Who sees which order: its buyer, the supplier company's users, operators; else 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import Order


def orders_visible_to(user) -> QuerySet[Order]:
    orders = Order.objects.select_related("quote", "supplier", "buyer__company")
    if not user.is_authenticated:
        return orders.none()
    if user.is_staff:
        return orders
    if user.is_buyer:
        return orders.filter(buyer=user)
    if user.is_supplier and user.company_id is not None:
        return orders.filter(supplier_id=user.company_id)
    return orders.none()


def order_for(user, number: str) -> Order:
    if len(number) > 20 or "\x00" in number:  # cannot be an order number
        raise Http404
    order = orders_visible_to(user).filter(number=number).first()
    if order is None:
        raise Http404
    return order
