"""Logistics pages: booking a shipment of an order's cars (supplier or operator), adding
tracking events to it (the supplier from the order page, the partner from its dashboard),
the logistics partner's dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ex1000.accounts import selectors as account_selectors
from ex1000.accounts.models import Role, VerificationStatus
from ex1000.core.errors import AppError
from ex1000.core.http import client_ip, safe_next
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
    """The event form of the order page or the partner's dashboard; the answer is the page
    it came from (its ``next``, when that is ours), at the shipment."""
    shipment = selectors.shipment_for(request.user, shipment_id)
    target = _back_to(request, shipment) + f"#shipment-{shipment.pk}"
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


def _back_to(request, shipment) -> str:
    """Where an added event leads back to: the form's ``next`` if it is a page of this
    site, else the partner's dashboard for a partner (the order page is not theirs) and
    the order page for everybody else."""
    if target := safe_next(request, default="", target=request.POST.get("next", "")):
        return target
    if request.user.role == Role.LOGISTICS and not request.user.is_staff:
        return reverse("logistics:dashboard")
    return reverse("orders:detail", args=[shipment.order.number])


PAGE_SIZE = 10


@login_required
def dashboard(request):
    """The logistics partner's shipments with what orders.md lets it see: the shipment,
    its cars, the consignee (one disclosure record per shipment shown with it, as the
    API writes) and the timeline with the event form. Never prices, payments, documents."""
    user = request.user
    if user.role != Role.LOGISTICS or user.is_staff:
        raise Http404
    status, reason = account_selectors.verification_status(user)
    page = Paginator(selectors.partner_shipments(user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for shipment in page:
        consignee, withheld = services.consignee_for_partner_view(shipment, user)
        rows.append(
            {
                "shipment": shipment,
                "vehicles": selectors.vehicles_of(shipment),
                "consignee": consignee,
                "consignee_withheld": withheld,
                "latest": selectors.latest_actual_event(shipment),
            }
        )
    context = {
        "page": page,
        "rows": rows,
        "verified": user.company is not None and user.company.is_verified,
        "verification_status": status,
        "verification_label": VerificationStatus(status).label,
        "verification_reason": reason,
    }
    return render(request, "logistics/dashboard.html", context)
