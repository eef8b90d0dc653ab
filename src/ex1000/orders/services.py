"""Order changes. An order comes into being only by accepting a quote (quotes.services)."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone

from ex1000.quotes.models import QuoteVersion

from .models import Order, OrderStatus


def order_number(order: Order) -> str:
    """EX-<year>-<000123>: the year of creation and the row id, unique without a counter
    that concurrent acceptances would have to share."""
    return f"EX-{order.created_at:%Y}-{order.pk:06d}"


@transaction.atomic
def create_order_from_quote(
    *,
    quote: QuoteVersion,
    buyer,
    items: list[dict],
    ip: str | None = None,
    user_agent: str = "",
) -> Order:
    """The order for an accepted quote: its total and currency, the listings as they are
    now (``items``), who accepted it from where. The caller (accept_quote) has checked
    that the quote may be accepted and holds the inquiry's lock."""
    order = Order.objects.create(
        # Provisional and unique; replaced by the real number once the row id is known.
        number=f"new-{uuid.uuid4().hex[:16]}",
        quote=quote,
        buyer=buyer,
        supplier_id=quote.inquiry.supplier_id,
        status=OrderStatus.PENDING_CONTRACT,
        items=items,
        currency=quote.currency,
        total=quote.total,
        created_at=timezone.now(),
        accepted_ip=ip or None,
        accepted_user_agent=(user_agent or "")[:300],
    )
    order.number = order_number(order)
    order.save(update_fields=["number"])
    return order
