"""The shipment timeline on the order page and the partner's dashboard: orders renders it
without importing logistics (templates load an app's tags by name)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from ex1000.core.timezones import zone_label
from ex1000.quotes.presentation import place_label

from .. import selectors
from ..forms import TrackingEventForm
from ..models import Classifier

register = template.Library()


@register.inclusion_tag("logistics/_timeline.html")
def tracking_timeline(
    shipment, can_add: bool = False, next_url: str = "", show_partner: bool = True
):
    """Places by name, times in the viewer's zone (the request's active one), named beside
    them; the ETA as whole calendar days from today in that zone. ``next_url``: the page the
    event form returns to (the order page when empty)."""
    events = list(shipment.events.all())
    book = getattr(shipment.order.quote, "rate_book", None)
    for event in events:  # "Jebel Ali (AEJEA)" where the rate book names the place
        event.place = place_label(book, event.location)
    # An estimate is superseded by a later-added estimate of the same event, or by the
    # actual one: the buyer sees which ETA counts.
    latest: dict[str, int] = {}
    for event in events:
        if event.classifier == Classifier.ESTIMATED:
            latest[event.code] = max(latest.get(event.code, 0), event.pk)
    actual = {e.code for e in events if e.classifier == Classifier.ACTUAL}
    for event in events:
        event.superseded = event.classifier == Classifier.ESTIMATED and (
            event.code in actual or event.pk != latest[event.code]
        )
    now = timezone.now()
    eta_days = None
    if shipment.eta:
        eta_days = (timezone.localdate(shipment.eta) - timezone.localdate(now)).days
    return {
        "shipment": shipment,
        "events": events,
        "now": now,
        "eta_days": eta_days,
        "zone_label": zone_label(timezone.get_current_timezone()),
        "arrived": any(
            e.classifier == Classifier.ACTUAL and e.code in ("arrived", "discharged")
            for e in events
        ),
        "partner": selectors.partner_contact(shipment) if show_partner else None,
        "form": TrackingEventForm(prefix=f"s{shipment.pk}") if can_add else None,
        "next_url": next_url,
    }
