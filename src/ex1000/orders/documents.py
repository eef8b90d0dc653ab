"""The order's generated documents (orders.md, Documents): sales contract, proforma
invoice, and after ``ship`` the commercial invoice and packing list — PDFs in the
reader's language, rendered once per (order, kind, language) and kept, since an order's
terms never change after acceptance."""

from __future__ import annotations

import hashlib
import secrets

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from ex1000.quotes.pdf import _weasyprint

from .models import DocumentKind, Order, OrderDocument

TEMPLATES = {
    DocumentKind.CONTRACT: "orders/pdf/contract.html",
}


def _render(order: Order, kind: str, language: str) -> bytes:
    html_cls, fetcher_cls = _weasyprint()
    with translation.override(language):
        html = render_to_string(TEMPLATES[kind], {"order": order, "language": language})
    fetcher = fetcher_cls(allowed_protocols=("data",))
    return html_cls(string=html, url_fetcher=fetcher).write_pdf()


def generated_document(order: Order, kind: str, language: str = "en") -> OrderDocument:
    """The kept rendering, made on first use."""
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
