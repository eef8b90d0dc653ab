"""The order's documents (orders.md, Documents).

Generated: the sales contract and the proforma invoice (from acceptance on, still
downloadable once an order is cancelled), and after ``ship`` the commercial invoice and
the packing list — PDFs in the reader's language, rendered once per (order, kind,
language) and kept, since an order's terms never change after acceptance (and the
consignee never changes after ``ship``). Uploaded: the supplier's export papers.

Everything printed comes from the order (its frozen items and schedule), its accepted
quote version and inquiry, the consignee and the shipments — never a person's phone or
email: parties appear by company and country.
"""

from __future__ import annotations

import hashlib
import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_countries import countries

from ex1000.core.errors import AppError
from ex1000.core.money import display
from ex1000.core.pdf import PDF_TIME_ZONE, html_to_pdf
from ex1000.quotes import presentation

from .error_codes import OrderError
from .models import (
    GENERATED_KINDS,
    Consignee,
    DocumentKind,
    Order,
    OrderDocument,
    OrderStatus,
)
from .schemas import escrow_account

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)

TEMPLATES = {
    DocumentKind.CONTRACT: "orders/pdf/contract.html",
    DocumentKind.PROFORMA: "orders/pdf/proforma.html",
    DocumentKind.COMMERCIAL_INVOICE: "orders/pdf/commercial_invoice.html",
    DocumentKind.PACKING_LIST: "orders/pdf/packing_list.html",
}

# Once the cars are on their way: the commercial invoice and packing list exist.
SHIPPED_STATES = (
    OrderStatus.SHIPPED,
    OrderStatus.ARRIVED,
    OrderStatus.COMPLETED,
    OrderStatus.DISPUTED,
    OrderStatus.SETTLED,
)

# Where the Incoterm's named place is (Incoterms 2020): the E- and F-terms name the place
# of origin ("FOB Shanghai"), the C-terms the destination port, the D-terms the
# destination or the buyer's named place.

NUMBER_PREFIX = {
    DocumentKind.CONTRACT: "SC",
    DocumentKind.PROFORMA: "PI",
    DocumentKind.COMMERCIAL_INVOICE: "CI",
    DocumentKind.PACKING_LIST: "PL",
}


# --- what exists when -----------------------------------------------------------------------


def generated_kinds_available(order: Order) -> list[str]:
    """The generated documents of the order in its current state. A cancelled order asks
    for no payment, so it has no proforma; its contract stays on record."""
    kinds = [DocumentKind.CONTRACT]
    if order.status != OrderStatus.CANCELLED:
        kinds.append(DocumentKind.PROFORMA)
    if order.status in SHIPPED_STATES:
        kinds += [DocumentKind.COMMERCIAL_INVOICE, DocumentKind.PACKING_LIST]
    return [str(k) for k in kinds]


def check_available(order: Order, kind: str) -> None:
    if kind not in GENERATED_KINDS:
        raise AppError(
            OrderError.INVALID_DOCUMENT_KIND,
            errors={"kind": [OrderError.INVALID_DOCUMENT_KIND]},
            choices=", ".join(GENERATED_KINDS),
        )
    if kind not in generated_kinds_available(order):
        raise AppError(
            OrderError.DOCUMENT_NOT_AVAILABLE,
            kind=kind,
            state=OrderStatus(order.status).label,
        )


def document_language(language: str | None) -> str:
    """One of the six languages; anything else is English."""
    language = (language or "").lower()
    return language if language in LANGUAGES else "en"


# --- what the documents print ---------------------------------------------------------------


def _money(amount: Any, currency: str) -> str:
    if amount in (None, ""):
        return ""
    return display(Decimal(str(amount)), currency, translation.get_language() or "en")


def _party_country(user_or_company) -> str:
    country = getattr(user_or_company, "country", None)
    code = getattr(country, "code", country) or ""
    return str(dict(countries).get(code, code)) if code else ""


def _parties(order: Order) -> dict[str, dict[str, str]]:
    buyer = order.buyer
    company = buyer.company
    supplier = order.supplier
    return {
        "buyer": {
            "name": company.name if company else buyer.name,
            "country": _party_country(company or buyer),
            "city": (company.city if company else "") or "",
        },
        "supplier": {
            "name": supplier.name,
            "country": _party_country(supplier),
            "city": supplier.city or "",
            "verified": supplier.is_verified,
        },
    }


def _vehicles(order: Order) -> list[dict[str, Any]]:
    vehicles = []
    for item in order.items:
        length, width, height = (
            int(item.get("length_mm") or 0),
            int(item.get("width_mm") or 0),
            int(item.get("height_mm") or 0),
        )
        volume = Decimal(length * width * height) / Decimal(10**9)
        quantity = int(item.get("quantity") or 1)
        vehicles.append(
            {
                "title": item.get("title")
                or f"{item.get('year', '')} {item.get('make', '')} {item.get('model', '')}",
                "vin": item.get("vin", ""),
                "year": item.get("year", ""),
                "mileage_km": item.get("mileage_km", ""),
                "steering": item.get("steering", ""),
                "fuel": item.get("fuel", ""),
                "quantity": quantity,
                "length_mm": length,
                "width_mm": width,
                "height_mm": height,
                "volume_m3": f"{volume:.2f}",
                "total_volume_m3": volume * quantity,
            }
        )
    return vehicles


def _lines(order: Order, vehicles_by_id: dict[int, str]) -> list[dict[str, str]]:
    currency = order.currency
    return [
        {
            "label": presentation.line_label(line),
            "item": vehicles_by_id.get(line.get("item"), "") if line.get("item") else "",
            "quantity": line.get("quantity", ""),
            "unit_amount": _money(line.get("unit_amount"), currency),
            "amount": _money(line.get("amount"), currency),
        }
        for line in order.quote.lines
    ]


def _shipments(order: Order) -> list[dict[str, Any]]:
    return [
        {
            "bl_number": s.bl_number,
            "mode": presentation.MODE_LABELS.get(s.mode, s.mode),
            "provider_name": s.provider_name,
            "vessel_name": s.vessel_name,
            "vessel_imo": s.vessel_imo,
            "voyage": s.voyage,
            "container_number": s.container_number,
            "origin": s.origin,
            "destination": s.destination,
            "etd": s.etd,
            "eta": s.eta,
            "vins": s.vins,
        }
        for s in order.shipments.all()
    ]


def _consignee(order: Order) -> dict[str, str] | None:
    consignee = Consignee.objects.filter(order=order).first()
    if consignee is None:
        return None
    # What goes on the B/L: who and where; the consignee's phone and email stay off the
    # documents (the carrier gets them with the shipment, not from a PDF).
    return {
        "name": consignee.name,
        "company": consignee.company,
        "address": consignee.address,
        "city": consignee.city,
        "country": str(dict(countries).get(consignee.country, consignee.country)),
        "notify_party": consignee.notify_party,
    }


def document_number(order: Order, kind: str) -> str:
    return f"{NUMBER_PREFIX[kind]}-{order.number}"


def document_context(order: Order, kind: str, language: str) -> dict[str, Any]:
    """What a document prints, in the active language."""
    quote = order.quote
    currency = order.currency
    vehicles = _vehicles(order)
    titles = {item.get("vehicle_id"): item.get("title", "") for item in order.items}
    total_volume = sum((v.pop("total_volume_m3") for v in vehicles), Decimal(0))
    return {
        "order": order,
        "kind": kind,
        "title": DocumentKind(kind).label,
        "number": document_number(order, kind),
        "issued_on": timezone.now().date(),
        "language": language,
        "bidi": translation.get_language_bidi(),
        "parties": _parties(order),
        "vehicles": vehicles,
        "units": sum(v["quantity"] for v in vehicles),
        "total_volume_m3": f"{total_volume:.2f}",
        "lines": _lines(order, titles),
        "incoterm": quote.incoterm,
        "term": presentation.term_label(quote.incoterm),
        "named_place": presentation.term_place(
            quote.incoterm,
            origin=quote.origin or None,
            destination=quote.destination,
            named_place=quote.named_place,
            book=quote.rate_book,
        ),
        "origin": presentation.place_label(quote.rate_book, quote.origin),
        "destination": presentation.place_label(quote.rate_book, quote.destination),
        "mode": presentation.MODE_LABELS.get(quote.mode, quote.mode),
        "currency": currency,
        "total": _money(order.total, currency),
        "deposit_percent": order.deposit_percent,
        "balance_percent": 100 - order.deposit_percent,
        "deposit": _money(order.deposit, currency),
        "balance": _money(order.balance, currency),
        "escrow": escrow_account(order),
        "claim_days": settings.ORDER_CLAIM_DAYS,
        "buyer_signed_at": order.buyer_signed_at,
        "supplier_signed_at": order.supplier_signed_at,
        "consignee": _consignee(order),
        "shipments": _shipments(order),
        "quote_version": quote.version,
        "inquiry_id": quote.inquiry_id,
    }


def _render(order: Order, kind: str, language: str) -> bytes:
    # Legal documents: dates in UTC whoever asks (pages show the viewer's zone).
    with translation.override(language), timezone.override(PDF_TIME_ZONE):
        html = render_to_string(TEMPLATES[kind], document_context(order, kind, language))
    return html_to_pdf(html)


def generated_document(order: Order, kind: str, language: str = "en") -> OrderDocument:
    """The kept rendering, made on first use (409 ``document_not_available`` for a
    document the order's state does not have yet)."""
    check_available(order, kind)
    language = document_language(language)
    existing = OrderDocument.objects.filter(
        order=order, kind=kind, language=language, generated=True
    ).first()
    if existing is not None:
        return existing
    content = _render(order, kind, language)
    document = OrderDocument(
        order=order,
        kind=kind,
        generated=True,
        language=language,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    document.file.save(f"{kind}-{secrets.token_hex(8)}.pdf", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:  # rendered concurrently: keep the first
        document.file.delete(save=False)
        return OrderDocument.objects.get(order=order, kind=kind, language=language, generated=True)
    return document


def contract_document(order: Order) -> OrderDocument:
    """The binding (English) sales contract that both parties sign."""
    return generated_document(order, DocumentKind.CONTRACT, "en")


def filename(document: OrderDocument) -> str:
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        document.content_type, "bin"
    )
    language = f"-{document.language}" if document.generated and document.language else ""
    return f"{document.order.number}-{document.kind}{language}.{extension}"
