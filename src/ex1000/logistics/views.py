"""Logistics pages: booking a shipment of an order's cars (supplier or operator), adding
tracking events to it (the supplier, from the order page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ex1000.core.errors import AppError
from ex1000.core.http import client_ip
from ex1000.orders import selectors as order_selectors
from ex1000.web import add_service_errors, error_messages

from . import selectors, services
from .forms import ShipmentForm, TrackingEventForm


@login_required
def book_shipment(request, number: str):
    order = order_selectors.order_for(request.user, number)
    quote = order.quote
    if request.method == "POST":
        form = ShipmentForm(request.POST)
        if form.is_valid():
            try:
                services.create_shipment(
                    order=order,
                    actor=request.user,
                    data=form.cleaned_data,
                    ip=client_ip(request),
                    user_agent=request.headers.get("User-Agent", ""),
                )
            except AppError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The shipment is booked; the buyer is told."))
                return redirect(reverse("orders:detail", args=[order.number]) + "#shipments")
        status = 422
    else:
        form = ShipmentForm(
            initial={"mode": quote.mode, "origin": quote.origin, "destination": quote.destination}
        )
        status = 200
    return render(
        request, "logistics/book_shipment.html", {"order": order, "form": form}, status=status
    )


@login_required
@require_POST
def add_tracking_event(request, shipment_id: int):
    """The order page's event form; the answer is the order page again, at the shipment."""
    shipment = selectors.shipment_for(request.user, shipment_id)
    target = reverse("orders:detail", args=[shipment.order.number]) + f"#shipment-{shipment.pk}"
    form = TrackingEventForm(request.POST, prefix=f"s{shipment.pk}")  # as on the page
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(target)
    try:
        event = services.add_tracking_event(
            shipment=shipment,
            actor=request.user,
            data=form.cleaned_data,
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except AppError as exc:
        messages.error(request, " ".join(error_messages(exc)))
    else:
        messages.success(
            request, _("Added to the timeline: %(event)s.") % {"event": event.get_code_display()}
        )
    return redirect(target)
