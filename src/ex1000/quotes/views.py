"""Quote pages: the vehicle calculator's partial, inquiries (buyer's list, supplier's inbox,
the versions side by side), revising, accepting, and the PDF for the browser."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import push_url

from ex1000.catalog import selectors as catalog_selectors
from ex1000.core.errors import AppError

from . import estimates, notices, preferences, presentation, selectors, services
from .adapter import current_rate_book
from .forms import RevisionForm, add_app_error
from .models import Inquiry, InquiryStatus, QuoteVersion
from .pdf import proforma_url, quote_number
from .pdf_api import pdf_response

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def calculator(request, pk: int):
    """The calculator's result for the vehicle page (htmx), with the request form's hidden
    options swapped out of band so a quotation request asks for what the table shows."""
    vehicle = catalog_selectors.public_vehicle(pk)
    context = estimates.calculator(request, vehicle)
    user = request.user
    context.update(
        vehicle=vehicle,
        oob=True,
        show_inquiry_form=user.is_authenticated and user.is_buyer,
    )
    if not request.htmx:  # the page itself shows the same result without JavaScript
        query = f"?{context['options_query']}" if context.get("options_query") else ""
        return redirect(reverse("catalog:vehicle_detail", args=[pk]) + query + "#calculator")
    response = render(request, "quotes/_calculator_result.html", context)
    if context.get("remember"):
        preferences.remember(request, response, context["remember"])
    if context.get("options_query"):
        url = reverse("catalog:vehicle_detail", args=[pk]) + "?" + context["options_query"]
        push_url(response, url)
    return response


@login_required
def quote_pdf(request, pk: int):
    """The same document as GET /api/v1/quotes/{id}/pdf, with the browser's session."""
    quote = selectors.quote_for(request.user, pk)
    language = request.GET.get("lang", "")
    if language not in LANGUAGE_CODES:
        language = quote.inquiry.buyer.language or "en"
    if request.GET.get("proforma") == "1":  # the order's proforma, never a quote's
        try:
            return redirect(proforma_url(quote, language))
        except AppError as exc:
            messages.error(request, exc.detail)
            return redirect("quotes:inquiry_detail", pk=quote.inquiry_id)
    return pdf_response(quote, language=language)


# --- inquiries -----------------------------------------------------------------------------


def _latest(inquiry: Inquiry) -> QuoteVersion | None:
    versions = list(inquiry.quotes.all())
    return versions[-1] if versions else None


def _rows(inquiries) -> list[dict]:
    rows = []
    for inquiry in inquiries:
        latest = _latest(inquiry)
        rows.append(
            {
                "inquiry": inquiry,
                "vehicles": ", ".join(
                    f"{item.quantity} × {item.snapshot.get('title') or item.vehicle_id}"
                    for item in inquiry.items.all()
                ),
                "latest": latest,
                "term": presentation.quote_place(latest or inquiry),
                "versions": len(inquiry.quotes.all()),
                "order_number": next(
                    (q.order_number for q in inquiry.quotes.all() if q.order_number), None
                ),
            }
        )
    return rows


@login_required
def inquiries(request):
    """The buyer's inquiries (an operator sees all); suppliers have their inbox."""
    if request.user.is_supplier:
        return redirect("quotes:supplier_inbox")
    return render(
        request,
        "quotes/inquiries.html",
        {"rows": _rows(selectors.inquiries_visible_to(request.user)), "inbox": False},
    )


@login_required
def supplier_inbox(request):
    """Inquiries addressed to the supplier's company."""
    if not request.user.is_supplier:
        return redirect("quotes:inquiries")
    return render(
        request,
        "quotes/inquiries.html",
        {"rows": _rows(selectors.inquiries_visible_to(request.user)), "inbox": True},
    )


def _acceptable(quote: QuoteVersion, inquiry: Inquiry, today) -> bool:
    return (
        inquiry.status == InquiryStatus.OPEN
        and quote.is_latest
        and quote.eligible
        and quote.valid_until >= today
    )


def comparison(inquiry: Inquiry) -> dict:
    """The versions side by side: one column per version, one row per line (a line a
    version does not have is empty), then total, validity, eligibility, note."""
    versions = list(inquiry.quotes.all())
    titles = {item.vehicle_id: item.snapshot.get("title") for item in inquiry.items.all()}
    keys: list[tuple] = []
    labels: dict[tuple, str] = {}
    cells: dict[tuple, dict[int, dict]] = {}
    for quote in versions:
        for line in quote.lines:
            key = (line.get("code"), line.get("item"), line.get("label"))
            if key not in cells:
                keys.append(key)
                cells[key] = {}
                label = presentation.line_label(line)
                if line.get("item") and len(titles) > 1:
                    label = f"{label} — {titles.get(line['item']) or line['item']}"
                labels[key] = label
            cells[key][quote.pk] = line
    today = timezone.now().date()
    columns = [
        {
            "quote": quote,
            "number": quote_number(quote),
            "acceptable": _acceptable(quote, inquiry, today),
            "expired": quote.valid_until < today,
            "reasons": notices.render_all(quote.reasons),
            "warnings": notices.render_all(quote.warnings),
            "term": presentation.quote_place(quote),
            "mode": presentation.MODE_LABELS.get(quote.mode, quote.mode),
        }
        for quote in versions
    ]
    rows = [
        {
            "label": labels[key],
            "code": key[0],
            "cells": [
                {"line": cells[key].get(quote.pk), "currency": quote.currency} for quote in versions
            ],
        }
        for key in keys
    ]
    return {"columns": columns, "rows": rows}


def _detail(request, inquiry: Inquiry, *, revision_form: RevisionForm | None = None, status=200):
    user = request.user
    is_supplier = user.is_supplier and user.company_id == inquiry.supplier_id
    latest = _latest(inquiry)
    can_revise = is_supplier and inquiry.status == InquiryStatus.OPEN and latest is not None
    if can_revise and revision_form is None:
        try:
            book = current_rate_book()
        except AppError:
            can_revise = False
        else:
            revision_form = RevisionForm(book=book, currency=latest.currency)
    order_number = next((q.order_number for q in inquiry.quotes.all() if q.order_number), None)
    return render(
        request,
        "quotes/inquiry_detail.html",
        {
            "inquiry": inquiry,
            "items": list(inquiry.items.all()),
            "is_buyer": inquiry.buyer_id == user.pk,
            "is_supplier": is_supplier,
            "can_revise": can_revise,
            "revision_form": revision_form,
            "order_number": order_number,
            "latest": latest,
            "requested_term": presentation.quote_place(latest or inquiry),
            "mode": presentation.MODE_LABELS.get(inquiry.mode, inquiry.mode),
            **comparison(inquiry),
        },
        status=status,
    )


@login_required
def inquiry_detail(request, pk: int):
    return _detail(request, selectors.inquiry_for(request.user, pk))


@login_required
@require_POST
def revise(request, pk: int):
    """The supplier's revision: a new version from the current rate book, plus adjustments."""
    inquiry = selectors.inquiry_for(request.user, pk)
    latest = _latest(inquiry)
    try:
        book = current_rate_book()
    except AppError as exc:
        messages.error(request, exc.detail)
        return redirect("quotes:inquiry_detail", pk=pk)
    form = RevisionForm(request.POST, book=book, currency=latest.currency if latest else "")
    if form.is_valid():
        try:
            revised = services.revise_quote(
                inquiry=inquiry,
                supplier_user=request.user,
                adjustments=form.adjustments(),
                note=form.cleaned_data["note"],
                **form.option_changes(),
            )
        except AppError as exc:
            if exc.status in (403, 404, 409):  # not this user's to revise, or too late
                messages.error(request, exc.detail)
                return redirect("quotes:inquiry_detail", pk=pk)
            add_app_error(form, exc)
        else:
            messages.success(
                request,
                _("Version %(version)s is on its way to the buyer.") % {"version": revised.version},
            )
            return redirect("quotes:inquiry_detail", pk=pk)
    inquiry = selectors.inquiry_for(request.user, pk)
    return _detail(request, inquiry, revision_form=form, status=400)
