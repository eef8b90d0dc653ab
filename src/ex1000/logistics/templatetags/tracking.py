"""The shipment timeline on the order page and the partner's dashboard: orders renders it
without importing logistics (templates load an app's tags by name)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from ..forms import TrackingEventForm
from ..models import Classifier

register = template.Library()


@register.inclusion_tag("logistics/_timeline.html")
def tracking_timeline(shipment, can_add: bool = False, next_url: str = ""):
    """``next_url``: the page the event form returns to (the order page when empty)."""
    events = list(shipment.events.all())
    return {
        "shipment": shipment,
        "events": events,
        "now": timezone.now(),
        "arrived": any(
            e.classifier == Classifier.ACTUAL and e.code in ("arrived", "discharged")
            for e in events
        ),
        "form": TrackingEventForm(prefix=f"s{shipment.pk}") if can_add else None,
        "next_url": next_url,
    }
