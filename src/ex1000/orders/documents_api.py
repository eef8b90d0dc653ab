"""The order's documents (api.md, orders.md Documents): the generated PDFs and the
supplier's uploads, for the buyer, the supplier's users and operators (404 for anyone
else, the logistics partner included: it never sees the buyer's documents)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from ex1000.core.api import PageParams, user_auth
from ex1000.core.http import client_ip

from . import documents, files, selectors, services
from .models import GENERATED_KINDS, Order, OrderDocument
from .state_machine import Party

router = Router(tags=["orders"], auth=user_auth)

Language = Literal["en", "zh-hans", "ru", "ar", "es", "fr"]
GeneratedKind = Literal["contract", "proforma", "commercial_invoice", "packing_list"]

PDF_RESPONSE = {
    "description": "The document (PDF, or the uploaded JPEG/PNG).",
    "content": {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
        "image/png": {"schema": {"type": "string", "format": "binary"}},
    },
}


class DocumentOut(Schema):
    kind: str
    generated: bool
    url: str
    language: str | None = Field(None, description="Of a generated document")
    id: int | None = Field(None, description="Of an uploaded (or already rendered) document")
    size: int | None = None
    content_type: str
    uploaded_at: datetime | None = None


def _order_of_party(request: HttpRequest, number: str) -> Order:
    """The order for its buyer, the supplier's users and operators; 404 otherwise."""
    order = selectors.order_for(request.user, number)
    if not selectors.parties_of(request.user, order) & {
        Party.BUYER,
        Party.SUPPLIER,
        Party.OPERATOR,
    }:
        raise Http404
    return order


def _language(request: HttpRequest, lang: str | None) -> str:
    return documents.document_language(lang or getattr(request.user, "language", "") or "en")


def _generated_url(order: Order, kind: str, language: str) -> str:
    path = reverse("api:order_generated_document", kwargs={"number": order.number, "kind": kind})
    return f"{path}?lang={language}"


def _uploaded_json(document: OrderDocument) -> dict:
    return {
        "kind": document.kind,
        "generated": False,
        "url": reverse(
            "api:order_document",
            kwargs={"number": document.order.number, "document_id": document.pk},
        ),
        "language": None,
        "id": document.pk,
        "size": document.size,
        "content_type": document.content_type,
        "uploaded_at": document.created_at,
    }


class DocumentPage(Schema):
    items: list[DocumentOut]
    count: int
    page: int
    page_size: int


@router.get("/orders/{number}/documents", response=DocumentPage)
def list_documents(
    request: HttpRequest, number: str, paging: Query[PageParams], lang: Language | None = None
):
    """The generated documents the order has in its state (sales contract and proforma
    invoice from acceptance on; commercial invoice and packing list after `ship`), in
    `lang` (default: the caller's language), then the supplier's uploads, oldest first."""
    order = _order_of_party(request, number)
    language = _language(request, lang)
    generated = [
        {
            "kind": kind,
            "generated": True,
            "url": _generated_url(order, kind, language),
            "language": language,
            "content_type": "application/pdf",
        }
        for kind in documents.generated_kinds_available(order)
    ]
    uploaded = order.documents.filter(generated=False).select_related("order")
    everything = generated + [_uploaded_json(d) for d in uploaded]
    start = (paging.page - 1) * paging.page_size
    return {
        "items": everything[start : start + paging.page_size],
        "count": len(everything),
        "page": paging.page,
        "page_size": paging.page_size,
    }


@router.get(
    "/orders/{number}/documents/{int:document_id}",
    url_name="order_document",
    summary="An uploaded (or kept generated) document",
    openapi_extra={"responses": {200: PDF_RESPONSE}},
)
def document_file(request: HttpRequest, number: str, document_id: int):
    """The file, for the parties (`Cache-Control: private, no-store`)."""
    order = _order_of_party(request, number)
    document = order.documents.filter(pk=document_id).select_related("order").first()
    if document is None:
        raise Http404
    return files.document_response(document)


@router.get(
    "/orders/{number}/documents/{kind}.pdf",
    url_name="order_generated_document",
    summary="A generated document as PDF",
    description=(
        "`kind`: `contract`, `proforma`, `commercial_invoice`, `packing_list`; `lang`: one "
        "of en, zh-hans, ru, ar, es, fr (default: the caller's language). Rendered on the "
        "first request and kept, so later requests serve the same file. The English "
        "contract is the one both parties sign. The commercial invoice and packing list "
        "exist only after `ship`: before, `409 document_not_available`. A cancelled "
        "order's contract and proforma stay downloadable."
    ),
    openapi_extra={"responses": {200: PDF_RESPONSE}},
)
def generated_file(request: HttpRequest, number: str, kind: str, lang: Language | None = None):
    order = _order_of_party(request, number)
    if kind not in GENERATED_KINDS:
        raise Http404
    document = documents.generated_document(order, kind, _language(request, lang))
    return files.document_response(document)


@router.post("/orders/{number}/documents", response={201: DocumentOut})
def upload_document(
    request: HttpRequest,
    number: str,
    kind: Form[str],
    file: UploadedFile | None = File(None),
):
    """The order's supplier adds an export paper: `kind` one of
    `deregistration_certificate`, `export_licence`, `export_declaration`,
    `inspection_certificate`, `bill_of_lading`, `other`; `file` a PDF, JPEG or PNG
    ≤ 10 MB, checked by decoding (image metadata removed)."""
    order = _order_of_party(request, number)
    document = services.upload_document(
        order=order,
        supplier=request.user,
        kind=kind,
        file=file,
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    return 201, _uploaded_json(document)
