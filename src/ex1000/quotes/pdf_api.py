"""GET /api/v1/quotes/{quote_id}/pdf: the quotation or proforma invoice of a quote version."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router

from ex1000.core.api import user_auth

from . import selectors
from .pdf import filename, render_quote_pdf

router = Router(tags=["quotation"], auth=user_auth)

Language = Literal["en", "zh-hans", "ru", "ar", "es", "fr"]

PDF_RESPONSE = {
    "description": "The PDF document (quotation, or proforma invoice with `proforma=true`).",
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
}


def pdf_response(quote, *, language: str, proforma: bool) -> HttpResponse:
    """The document as a download; private: it names the parties and the price."""
    response = HttpResponse(
        render_quote_pdf(quote, language=language, proforma=proforma),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename(quote, proforma=proforma)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/quotes/{quote_id}/pdf",
    summary="Quotation or proforma invoice as PDF",
    description=(
        "For the parties: the buyer of the inquiry, the supplier's users, operators. "
        "In the buyer's language unless `lang` names another one."
    ),
    openapi_extra={"responses": {200: PDF_RESPONSE}},
)
def quote_pdf(
    request: HttpRequest, quote_id: int, proforma: bool = False, lang: Language | None = None
):
    quote = selectors.quote_for(request.user, quote_id)
    language = lang or quote.inquiry.buyer.language or "en"
    if proforma:
        # Issue 6: the proforma invoice is the order's (deposit now, balance later), never a
        # quote version's asking for 100 %. A quote without an order has none (409); for
        # the accepted quote, 303 to the order's kept proforma. The order is reached by the
        # reverse relation; only the error code is imported from orders (quotes has no
        # catalogue of its own yet) -- move it when quotes/error_codes.py exists.
        from django.http import HttpResponseRedirect

        from ex1000.core.errors import AppError
        from ex1000.orders.error_codes import OrderError

        order = getattr(quote, "order", None)  # no order: RelatedObjectDoesNotExist
        if order is None:
            raise AppError(OrderError.PROFORMA_NEEDS_ORDER)
        return HttpResponseRedirect(
            f"/api/v1/orders/{order.number}/documents/proforma.pdf?lang={language}", status=303
        )
    return pdf_response(quote, language=language, proforma=proforma)
