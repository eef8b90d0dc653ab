"""Operator pages for the trade: the payments queue (proof viewer, confirm or reject with
a reason) and all orders with a status filter. Decisions go through ``orders.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ex1000.core.errors import AppError
from ex1000.core.http import client_ip
from ex1000.orders import selectors as order_selectors
from ex1000.orders import services as order_services
from ex1000.orders.models import Order, OrderStatus, PaymentKind, PaymentStatus
from ex1000.orders.state_machine import Action

from .views import staff_only

PAGE_SIZE = 30
PAYMENT_TABS = (PaymentStatus.SUBMITTED, PaymentStatus.CONFIRMED, PaymentStatus.REJECTED)
CONFIRM = {PaymentKind.DEPOSIT: Action.CONFIRM_DEPOSIT, PaymentKind.BALANCE: Action.CONFIRM_BALANCE}


@staff_only
def payments(request):
    """Submitted payments oldest first (the decided ones newest first)."""
    status = request.GET.get("status", PaymentStatus.SUBMITTED)
    if status not in PAYMENT_TABS:
        status = PaymentStatus.SUBMITTED
    queue = order_selectors.payments_queue(status)
    if status != PaymentStatus.SUBMITTED:
        queue = queue.order_by("-decided_at", "-id")
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for payment in page.object_list:
        order = payment.order
        rows.append(
            {
                "payment": payment,
                "order": order,
                "due": order.deposit if payment.kind == PaymentKind.DEPOSIT else order.balance,
                "money": order_selectors.money(order),
                "confirm": CONFIRM[PaymentKind(payment.kind)].value,
                "can_confirm": CONFIRM[PaymentKind(payment.kind)].value
                in order_selectors.allowed_actions(request.user, order),
                "is_image": payment.proof_content_type.startswith("image/"),
            }
        )
    return render(
        request,
        "ops/orders/payments.html",
        {
            "rows": rows,
            "page": page,
            "status": status,
            "tabs": [
                (tab.value, tab.label, order_selectors.payments_queue(tab).count())
                for tab in PAYMENT_TABS
            ],
        },
    )


@staff_only
@require_POST
def decide_payment(request, payment_id: int):
    """Confirm (confirm_deposit or confirm_balance by the payment's kind) or reject."""
    payment = order_selectors.payment_for(request.user, payment_id)
    decision = request.POST.get("decision", "")
    if decision == "confirm":
        action, params = CONFIRM[PaymentKind(payment.kind)], {"payment": payment.pk}
    else:
        action = Action.REJECT_PAYMENT
        params = {"payment": payment.pk, "reason": request.POST.get("reason", "")}
    try:
        order_services.perform(
            order=payment.order,
            action=action,
            actor=request.user,
            params=params,
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", "")[:300],
        )
    except AppError as exc:
        problems = [m for ms in exc.rendered_errors().values() for m in ms if m != exc.detail]
        messages.error(request, " ".join([exc.detail, *problems]))
    else:
        text = (
            _("Payment %(payment)s of order %(order)s confirmed.")
            if decision == "confirm"
            else _("Payment %(payment)s of order %(order)s rejected; the buyer has been told why.")
        )
        messages.success(request, text % {"payment": payment.pk, "order": payment.order.number})
    return redirect("ops:payments")


@staff_only
def orders(request):
    """Every order, newest first, filtered by status."""
    status = request.GET.get("status", "")
    queryset = Order.objects.select_related("buyer__company", "supplier")
    if status in OrderStatus.values:
        queryset = queryset.filter(status=status)
    else:
        status = ""
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": OrderStatus.choices,
        "role": "operator",
        "list_url": request.path,
    }
    template = "orders/_order_rows.html" if request.htmx else "ops/orders/orders.html"
    return render(request, template, context)
