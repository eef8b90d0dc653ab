"""The quotation as PDF, in the buyer's language (WeasyPrint). The proforma invoice is
the order's (orders.documents): a quote version never asks for payment.

Everything the document shows comes from the frozen QuoteVersion and its inquiry, so a PDF
printed later says what the quote said when it was issued. Nothing is fetched from outside:
fonts are the machine's (Debian fonts-noto-cjk for Chinese), and the URL fetcher allows
only inline data: URIs.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from ex1000.accounts.models import VerificationStatus
from ex1000.core.pdf import PDF_TIME_ZONE, html_to_pdf

from . import notices, presentation
from .models import QuoteVersion


def quote_number(quote: QuoteVersion) -> str:
    """The inquiry and the version: one number per issued document."""
    return f"EX1000-Q{quote.inquiry_id:06d}-V{quote.version}"


def filename(quote: QuoteVersion) -> str:
    return f"quotation-{quote_number(quote)}.pdf"


def proforma_url(quote: QuoteVersion, language: str, *, api: bool = False) -> str:
    """Where the accepted quote's proforma invoice is: its order's (409 without one)."""
    from ex1000.core.errors import AppError

    from .error_codes import QuoteError

    number = getattr(quote, "order_number", None)
    if number is None:
        order = getattr(quote, "order", None)  # the reverse one-to-one; None: not accepted
        number = order.number if order is not None else None
    if number is None:
        raise AppError(QuoteError.PROFORMA_NEEDS_ORDER)
    if api:
        return f"/api/v1/orders/{number}/documents/proforma.pdf?lang={language}"
    return f"/orders/{number}/documents/proforma.pdf?lang={language}"


def document_context(quote: QuoteVersion) -> dict:
    """What the PDF (and the pages showing a quote) print, in the active language."""
    inquiry = quote.inquiry
    buyer = inquiry.buyer
    supplier = inquiry.supplier
    vehicles = []
    titles: dict[int, str] = {}
    for item in inquiry.items.select_related("vehicle"):
        snap, vehicle = item.snapshot or {}, item.vehicle
        year = snap.get("year") or vehicle.year
        make = snap.get("make") or vehicle.make
        model = snap.get("model") or vehicle.model
        title = f"{year} {make} {model}"
        titles[vehicle.pk] = title
        vehicles.append(
            {
                "title": title,
                "variant": snap.get("variant") or vehicle.variant,
                "vin": snap.get("vin") or vehicle.vin,
                "year": year,
                "mileage_km": snap.get("mileage_km") or vehicle.mileage_km,
                "quantity": item.quantity,
            }
        )
    lines = [
        {
            **line,
            "display_label": presentation.line_label(line),
            "display_item": titles.get(line.get("item"), "") if line.get("item") else "",
        }
        for line in quote.lines
    ]
    buyer_company = buyer.company
    return {
        "quote": quote,
        "inquiry": inquiry,
        "number": quote_number(quote),
        "issued_on": quote.created_at.date(),
        "buyer_name": buyer_company.name if buyer_company else buyer.name,
        "buyer_country": (buyer_company.country if buyer_company else buyer.country).name,
        "buyer_contact": buyer.name,
        "supplier": supplier,
        "supplier_verified": supplier.verification_status == VerificationStatus.APPROVED,
        "supplier_status": supplier.get_verification_status_display(),
        "term": presentation.term_label(quote.incoterm),
        "incoterm_place": presentation.quote_place(quote),
        "destination": presentation.place_label(quote.rate_book, quote.destination),
        "origin": presentation.place_label(quote.rate_book, quote.origin),
        "mode": presentation.MODE_LABELS.get(quote.mode, quote.mode),
        "vehicles": vehicles,
        "lines": lines,
        "reasons": notices.render_all(quote.reasons),
        "warnings": notices.render_all(quote.warnings),
        "buyer_side": presentation.buyer_side_lines(
            quote.incoterm, insured=any(line.get("code") == "insurance" for line in quote.lines)
        ),
    }


def render_quote_pdf(quote: QuoteVersion, *, language: str) -> bytes:
    # A commercial document: its dates in UTC whoever asks (pages show the viewer's zone).
    with translation.override(language), timezone.override(PDF_TIME_ZONE):
        context = document_context(quote)
        context.update(
            title=gettext("Quotation"),
            language=language,
            bidi=translation.get_language_bidi(),
        )
        html = render_to_string("quotes/quote_pdf.html", context)
    return html_to_pdf(html)
