"""Serving an order's private files (documents, payment proofs): never cached, and a staff
member's look at a buyer's proof of transfer is recorded as a staff read."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest

from ex1000.privacy.staff_reads import record_staff_read

from . import documents
from .models import OrderDocument, Payment


def private_file(field_file, *, content_type: str, filename: str, inline: bool) -> FileResponse:
    response = FileResponse(field_file.open("rb"), content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def document_response(document: OrderDocument, *, inline: bool = False) -> FileResponse:
    return private_file(
        document.file,
        content_type=document.content_type,
        filename=documents.filename(document),
        inline=inline,
    )


def proof_response(request: HttpRequest, payment: Payment, *, inline: bool = False):
    if request.user.is_staff:
        record_staff_read(request.user, payment, request=request, view="payment proof")
    return private_file(
        payment.proof,
        content_type=payment.proof_content_type,
        filename=f"payment-{payment.pk}-proof",
        inline=inline,
    )
