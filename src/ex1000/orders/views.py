"""Order pages: acceptance from the inquiry page, the caller's orders, the order page (step
timeline, escrow account, payments, consignee, the caller's actions, documents), the
contract PDF and payment proofs. Views parse and call ``services``; every rule is there."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from ex1000.core.errors import AppError
from ex1000.core.http import client_ip
from ex1000.core.money import quantize
from ex1000.privacy.services import has_consent
from ex1000.privacy.staff_reads import record_staff_read
from ex1000.quotes import presentation
from ex1000.quotes import selectors as quote_selectors

from . import documents, files, schemas, selectors, services
from .forms import ConsigneeForm, DocumentForm, PaymentForm
from .models import (
    SHIPMENT_STATES,
    Consignee,
    DocumentKind,
    Order,
    OrderStatus,
    PaymentKind,
    PaymentStatus,
)
from .state_machine import Action, Party

PAGE_SIZE = 20
S = OrderStatus


def _origin(request) -> dict[str, Any]:
    return {
        "ip": client_ip(request),
        "user_agent": request.headers.get("User-Agent", "")[:300],
    }


def _error_text(exc: AppError) -> str:
    """The error's message and its field messages, in the reader's language."""
    problems = [m for ms in exc.rendered_errors().values() for m in ms if m != exc.detail]
    return " ".join([exc.detail, *problems])


def _add_errors(form, exc: AppError) -> None:
    """The service's field errors on the form's fields; the rest above the form."""
    rendered = exc.rendered_errors()
    placed = False
    for name, texts in rendered.items():
        if name in form.fields:
            for text in texts:
                form.add_error(name, text)
            placed = True
    if not placed or exc.detail not in [t for ts in rendered.values() for t in ts]:
        form.add_error(None, exc.detail)


@login_required
@require_POST
def accept(request, pk: int):
    """The buyer accepts a version: the order is created and its number shown."""
    quote = quote_selectors.quote_for(request.user, pk)
    try:
        order = services.accept_quote(quote=quote, buyer=request.user, **_origin(request))
    except AppError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request,
            _("You accepted version %(version)s. Your order number is %(order)s.")
            % {"version": quote.version, "order": order.number},
        )
    return redirect("quotes:inquiry_detail", pk=quote.inquiry_id)


# --- the list --------------------------------------------------------------------------------


@login_required
def order_list(request):
    """The caller's orders: a buyer's own, the supplier company's (operators: all)."""
    orders = selectors.orders_visible_to(request.user)
    status = request.GET.get("status", "")
    if status not in S.values:
        status = ""
    if status:
        orders = orders.filter(status=status)
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": S.choices,
        "role": _viewer_role(request.user),
        "list_url": request.path,
    }
    template = "orders/_order_rows.html" if request.htmx else "orders/order_list.html"
    return render(request, template, context)


def _viewer_role(user) -> str:
    if user.is_staff:
        return "operator"
    return "supplier" if user.is_supplier else "buyer"


# --- the order page --------------------------------------------------------------------------

# The trade's path when nothing goes wrong; a cancelled or disputed order leaves it.
HAPPY_PATH = (
    S.PENDING_CONTRACT,
    S.AWAITING_DEPOSIT,
    S.DEPOSIT_PAID,
    S.EXPORT_PROCESSING,
    S.BALANCE_PAID,
    S.SHIPPED,
    S.ARRIVED,
    S.COMPLETED,
    S.SETTLED,
)

PARTY_LABELS = {
    Party.BUYER: gettext_lazy("the buyer"),
    Party.SUPPLIER: gettext_lazy("the supplier"),
    Party.OPERATOR: gettext_lazy("EX1000"),
    Party.PARTNER: gettext_lazy("the logistics partner"),
    Party.SYSTEM: gettext_lazy("EX1000"),
}

EVENT_LABELS = {
    "accept": gettext_lazy("accepted the quotation"),
    **services.ACTION_LABELS,
}

# Actions with a form of their own on the page (not a plain button).
PAYMENT_DECISIONS = {Action.CONFIRM_DEPOSIT, Action.CONFIRM_BALANCE, Action.REJECT_PAYMENT}
NEEDS_REASON = {Action.CANCEL, Action.DISPUTE}
BUTTON_LABELS = {
    Action.SIGN: gettext_lazy("Sign the contract"),
    Action.CANCEL: gettext_lazy("Cancel the order"),
    Action.START_EXPORT: gettext_lazy("Start export processing"),
    Action.SHIP: gettext_lazy("Mark as shipped"),
    Action.ARRIVE: gettext_lazy("Record the arrival"),
    Action.COMPLETE: gettext_lazy("Confirm receipt and complete"),
    Action.DISPUTE: gettext_lazy("Open a dispute"),
    Action.RESOLVE: gettext_lazy("Resolve the dispute"),
    Action.SETTLE: gettext_lazy("Pay the supplier out"),
}
DANGER = {Action.CANCEL, Action.DISPUTE}
CONSIGNEE_STATES = (
    S.PENDING_CONTRACT,
    S.AWAITING_DEPOSIT,
    S.DEPOSIT_PAID,
    S.EXPORT_PROCESSING,
    S.BALANCE_PAID,
)


@dataclass
class NextStep:
    text: str
    who: list[Party]
    yours: bool

    @property
    def who_labels(self) -> list[str]:
        return [str(PARTY_LABELS[party]) for party in self.who]


def _next_step(order: Order, parties: set[Party], money) -> NextStep | None:
    """What happens next and who must act, in words (the state machine decides)."""
    submitted = set(selectors.submitted_payments(order).values_list("kind", flat=True))
    status = order.status
    if status == S.PENDING_CONTRACT:
        who = []
        if order.buyer_signed_at is None:
            who.append(Party.BUYER)
        if order.supplier_signed_at is None:
            who.append(Party.SUPPLIER)
        text = _("Both parties sign the sales contract. Then the deposit is due.")
    elif status == S.AWAITING_DEPOSIT:
        if PaymentKind.DEPOSIT in submitted:
            who, text = [Party.OPERATOR], _("EX1000 checks the deposit's proof of transfer.")
        else:
            who = [Party.BUYER]
            text = _(
                "The buyer transfers the deposit to the EX1000 escrow account and uploads "
                "the proof of transfer."
            )
    elif status == S.DEPOSIT_PAID:
        who, text = [Party.SUPPLIER], _("The supplier starts export processing.")
    elif status == S.EXPORT_PROCESSING:
        if PaymentKind.BALANCE in submitted:
            who, text = [Party.OPERATOR], _("EX1000 checks the balance's proof of transfer.")
        else:
            who = [Party.BUYER]
            text = _(
                "The buyer transfers the balance to the EX1000 escrow account and uploads "
                "the proof of transfer."
            )
    elif status == S.BALANCE_PAID:
        has_consignee = Consignee.objects.filter(order=order).exists()
        who = [Party.SUPPLIER] if has_consignee else [Party.BUYER, Party.SUPPLIER]
        text = (
            _("The supplier books the shipment and ships the cars.")
            if has_consignee
            else _("The buyer names the consignee; the supplier books the shipment and ships.")
        )
    elif status == S.SHIPPED:
        who, text = [Party.SUPPLIER], _("The cars are on their way; the arrival is recorded.")
    elif status == S.ARRIVED:
        deadline = selectors.claim_deadline(order)
        who = [Party.BUYER]
        text = _("The buyer confirms receipt, or opens a dispute, by %(date)s.") % {
            "date": _date(deadline)
        }
    elif status == S.DISPUTED:
        who, text = [Party.OPERATOR], _("EX1000 resolves the dispute.")
    elif status == S.COMPLETED:
        who, text = [Party.OPERATOR], _("EX1000 releases the escrow to the supplier.")
    else:
        return None
    return NextStep(text=text, who=who, yours=bool(set(who) & parties))


def _date(value) -> str:
    from django.utils import formats

    return formats.date_format(value, "DATE_FORMAT") if value else ""


def _path(order: Order) -> list[dict[str, Any]]:
    """The happy path's steps, marked done, current or to come."""
    if order.status in HAPPY_PATH:
        current = HAPPY_PATH.index(S(order.status))
    else:  # cancelled or disputed: what was reached before
        reached = [
            S(e.from_state)
            for e in selectors.operation_records(order)
            if e.to_state == order.status and e.from_state in HAPPY_PATH
        ]
        current = HAPPY_PATH.index(reached[-1]) if reached else 0
    steps = []
    for index, state in enumerate(HAPPY_PATH):
        if order.status in HAPPY_PATH:
            mark = "done" if index < current else ("current" if index == current else "todo")
            if state == S.SETTLED and order.status == S.SETTLED:
                mark = "done"
        else:
            mark = "done" if index < current else ("stopped" if index == current else "todo")
        steps.append({"state": state.value, "label": state.label, "mark": mark})
    return steps


def _who(event, operator: bool) -> str:
    """The company (or name) that acted; EX1000 for its staff and jobs, whose names only
    operators see."""
    if event.actor_role in (Party.OPERATOR, Party.SYSTEM):
        if operator and event.actor_label:
            return f"EX1000 · {event.actor_label}"
        return str(PARTY_LABELS[Party.OPERATOR])
    return event.actor_label or event.actor_role


def _records(order: Order, operator: bool) -> list[dict[str, Any]]:
    records = []
    for event in selectors.operation_records(order):
        records.append(
            {
                "event": event,
                "what": EVENT_LABELS.get(event.type, event.type),
                "who": _who(event, operator),
                "role": event.actor_role,
                "to": S(event.to_state).label if event.to_state in S.values else "",
                "changed": event.to_state and event.to_state != event.from_state,
            }
        )
    return records


def _schedule(order: Order, payments) -> list[dict[str, Any]]:
    rows = []
    for kind, percent, amount in (
        (PaymentKind.DEPOSIT, order.deposit_percent, order.deposit),
        (PaymentKind.BALANCE, 100 - order.deposit_percent, order.balance),
    ):
        mine = [p for p in payments if p.kind == kind]
        confirmed = sum((p.amount for p in mine if p.status == PaymentStatus.CONFIRMED), Decimal(0))
        waiting = any(p.status == PaymentStatus.SUBMITTED for p in mine)
        if amount == 0 or confirmed >= amount:
            state = "confirmed"
        elif waiting:
            state = "submitted"
        else:
            state = "due"
        rows.append(
            {
                "kind": kind,
                "label": kind.label,
                "percent": percent,
                "amount": amount,
                "state": state,
            }
        )
    return rows


def _payment_initial(order: Order, money) -> dict[str, Any] | None:
    """What the buyer most likely pays now, or None when no payment is expected."""
    states = services.PAYMENT_STATES
    if money.outstanding <= 0:
        return None
    deposit_paid = money.paid >= order.deposit
    if order.status in states[PaymentKind.DEPOSIT] and not deposit_paid:
        kind, amount = PaymentKind.DEPOSIT, order.deposit - money.paid
    elif order.status in states[PaymentKind.BALANCE]:
        kind, amount = PaymentKind.BALANCE, money.outstanding
    else:
        return None
    return {
        "kind": kind.value,
        "amount": quantize(amount, order.currency),
        "currency": order.currency,
    }


def _consignee_initial(order: Order) -> dict[str, Any]:
    consignee = Consignee.objects.filter(order=order).first()
    if consignee is None:
        buyer = order.buyer
        return {
            "name": buyer.name,
            "company": buyer.company.name if buyer.company_id else "",
            "country": getattr(buyer.country, "code", "") or "",
        }
    return {
        f: getattr(consignee, f)
        for f in ("name", "company", "address", "city", "country", "phone", "email", "notify_party")
    }


def _context(
    request,
    order: Order,
    *,
    payment_form=None,
    consignee_form=None,
    document_form=None,
    open_form="",
) -> dict:
    user = request.user
    parties = selectors.parties_of(user, order)
    money = selectors.money(order)
    payments = list(order.payments.select_related("decided_by").all())
    allowed = selectors.allowed_actions(user, order)
    is_buyer = Party.BUYER in parties
    is_operator = Party.OPERATOR in parties
    initial = _payment_initial(order, money) if is_buyer else None
    if payment_form is None and initial is not None:
        payment_form = PaymentForm(initial=initial)
    can_consignee = is_buyer and order.status in CONSIGNEE_STATES
    if consignee_form is None and can_consignee:
        consignee_form = ConsigneeForm(initial=_consignee_initial(order))
    buttons = [
        {
            "action": action,
            "label": BUTTON_LABELS.get(Action(action), action),
            "reason": Action(action) in NEEDS_REASON,
            "danger": Action(action) in DANGER,
            "resolve": action == Action.RESOLVE,
        }
        for action in allowed
        if Action(action) not in PAYMENT_DECISIONS
    ]
    decisions = {
        "confirm": next(
            (a for a in allowed if a in (Action.CONFIRM_DEPOSIT, Action.CONFIRM_BALANCE)), None
        ),
        "reject": Action.REJECT_PAYMENT in allowed,
    }
    # The buyer withdrew logistics_sharing: the partner moving the cars gets no consignee.
    consignee_withheld = (
        is_buyer
        and not has_consent(order.buyer, "logistics_sharing")
        and order.shipments.filter(partner__isnull=False).exists()
    )
    return {
        "can_add_events": Party.SUPPLIER in parties,
        "consignee_withheld": consignee_withheld,
        "order": order,
        "quote": order.quote,
        "inquiry": order.quote.inquiry,
        "trade_term": presentation.quote_place(order.quote),
        "parties": {p.value for p in parties},
        "is_buyer": is_buyer,
        "is_supplier": Party.SUPPLIER in parties,
        "is_operator": is_operator,
        "sees_proofs": is_buyer or is_operator,
        "money": money,
        "schedule": _schedule(order, payments),
        "payments": payments,
        "escrow_account": schemas.escrow_account(order),
        "path": _path(order),
        "records": _records(order, is_operator),
        "next_step": _next_step(order, parties, money),
        "can_sign": Action.SIGN in allowed,
        "payment_open": open_form == "payment"
        or (initial is not None and not selectors.submitted_payments(order).exists()),
        "buttons": buttons,
        "decisions": decisions,
        "payment_form": payment_form if is_buyer else None,
        "consignee_form": consignee_form if can_consignee else None,
        "consignee": Consignee.objects.filter(order=order).first(),
        "shipments": list(order.shipments.prefetch_related("events")),
        "can_book_shipment": order.status in SHIPMENT_STATES
        and bool(parties & {Party.SUPPLIER, Party.OPERATOR}),
        "generated_documents": [
            (kind, DocumentKind(kind).label) for kind in documents.generated_kinds_available(order)
        ],
        "uploaded_documents": list(order.documents.filter(generated=False)),
        "document_form": (document_form or DocumentForm()) if Party.SUPPLIER in parties else None,
        "claim_deadline": selectors.claim_deadline(order),
        "open_form": open_form,
    }


@login_required
def order_detail(request, number: str):
    order = selectors.order_for(request.user, number)
    consignee = getattr(order, "consignee", None)
    if request.user.is_staff and consignee is not None:  # the buyer's consignee contacts
        record_staff_read(request.user, consignee, request=request, view="order page")
    return render(request, "orders/order_detail.html", _context(request, order))


def _back(order: Order, anchor: str = ""):
    url = reverse("orders:detail", args=[order.number])
    return redirect(f"{url}#{anchor}" if anchor else url)


@login_required
@require_POST
def order_action(request, number: str, action: str):
    """One action of the state machine, as the buttons on the order page send it."""
    order = selectors.order_for(request.user, number)
    params = {
        name: request.POST.get(name, "")
        for name in ("reason", "note", "payment", "outcome")
        if request.POST.get(name, "") != ""
    }
    try:
        services.perform(
            order=order, action=action, actor=request.user, params=params, **_origin(request)
        )
    except AppError as exc:
        messages.error(request, _error_text(exc))
        if request.user.is_staff and request.POST.get("next") == "ops":
            return redirect("ops:payments")
        return _back(order, "actions")
    label = EVENT_LABELS.get(action, action)
    messages.success(request, _("Done: %(what)s.") % {"what": label})
    if request.user.is_staff and request.POST.get("next") == "ops":
        return redirect("ops:payments")
    return _back(order)


@login_required
@require_POST
def submit_payment(request, number: str):
    order = selectors.order_for(request.user, number)
    form = PaymentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_payment(
                order=order,
                buyer=request.user,
                kind=data["kind"],
                amount=data["amount"],
                currency=data["currency"],
                reference=data["reference"],
                file=data["file"],
                **_origin(request),
            )
        except AppError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Thank you. EX1000 checks the transfer and confirms it on this page."),
            )
            return _back(order, "payments")
    context = _context(request, order, payment_form=form, open_form="payment")
    return render(request, "orders/order_detail.html", context, status=422)


@login_required
@require_POST
def set_consignee(request, number: str):
    order = selectors.order_for(request.user, number)
    form = ConsigneeForm(request.POST)
    if form.is_valid():
        try:
            services.set_consignee(order=order, buyer=request.user, data=form.cleaned_data)
        except AppError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The consignee is saved."))
            return _back(order, "consignee")
    context = _context(request, order, consignee_form=form, open_form="consignee")
    return render(request, "orders/order_detail.html", context, status=422)


@login_required
@require_POST
def upload_document(request, number: str):
    order = selectors.order_for(request.user, number)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.upload_document(
                order=order,
                supplier=request.user,
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
                **_origin(request),
            )
        except AppError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The document is on the order; the buyer is told."))
            return _back(order, "documents")
    context = _context(request, order, document_form=form, open_form="documents")
    return render(request, "orders/order_detail.html", context, status=422)


@login_required
def generated(request, number: str, kind: str):
    """A generated document (contract, proforma, and after shipping the commercial invoice
    and packing list) in the reader's language; rendered once, then kept. The contract
    both parties sign is the English one (``?lang=en``)."""
    order = selectors.order_for(request.user, number)
    language = documents.document_language(request.GET.get("lang") or request.LANGUAGE_CODE)
    try:
        document = documents.generated_document(order, kind, language)
    except AppError as exc:
        messages.error(request, exc.detail)
        return redirect("orders:detail", number=order.number)
    return files.document_response(document, inline=True)


@login_required
def uploaded(request, number: str, pk: int):
    """A document the supplier uploaded (export papers), for the order's parties."""
    order = selectors.order_for(request.user, number)
    document = order.documents.filter(pk=pk, generated=False).first()
    if document is None:
        raise Http404
    return files.document_response(document)


@xframe_options_sameorigin  # the operators' queue shows it in a frame
@login_required
def payment_proof(request, payment_id: int):
    """A proof of transfer, for the buyer who paid and operators only."""
    payment = selectors.payment_for(request.user, payment_id)
    if not payment.proof:
        raise Http404
    return files.proof_response(request, payment, inline=request.GET.get("inline") == "1")
