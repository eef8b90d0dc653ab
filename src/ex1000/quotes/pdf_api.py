"""GET /api/v1/quotes/{quote_id}/pdf: the quotation of a quote version (its proforma invoice
is the order's)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from ninja import Router

from ex1000.core.api import user_auth

from . import selectors
from .pdf import filename, proforma_url, render_quote_pdf

router = Router(tags=["quotation"], auth=user_auth)

Language = Literal["en", "zh-hans", "ru", "ar", "es", "fr"]

PDF_RESPONSE = {
    "description": "The quotation PDF; with `proforma=true`, 303 to the order's proforma.",
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
}

PROFORMA_REDIRECT = {
    "description": "`proforma=true` for a quotation that has an order: the order's proforma.",
    "headers": {"Location": {"schema": {"type": "string"}, "required": True}},
}


def pdf_response(quote, *, language: str) -> HttpResponse:
    """The document as a download; private: it names the parties and the price."""
    response = HttpResponse(
        render_quote_pdf(quote, language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename(quote)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/quotes/{quote_id}/pdf",
    summary="Quotation as PDF (proforma: the order's)",
    description=(
        "For the parties: the buyer of the inquiry, the supplier's users, operators. "
        "In the buyer's language unless `lang` names another one."
    ),
    openapi_extra={"responses": {200: PDF_RESPONSE, 303: PROFORMA_REDIRECT}},
)
def quote_pdf(
    request: HttpRequest, quote_id: int, proforma: bool = False, lang: Language | None = None
):
    quote = selectors.quote_for(request.user, quote_id)
    language = lang or quote.inquiry.buyer.language or "en"
    if proforma:
        # The proforma invoice is the order's (deposit now, balance later), never a quote
        # version's asking for 100 %: 409 without an order, else 303 to the order's.
        return HttpResponseRedirect(proforma_url(quote, language, api=True), status=303)
    return pdf_response(quote, language=language)
