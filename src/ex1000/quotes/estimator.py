"""Reads for the public quotation API: places, the eleven terms, instant estimates and the
catalogue's landed prices. Nothing is stored; the engine prices against the book in force.

Options are checked by quotes.options (the one parser), so that a refusal names the
parameter (`errors.destination`, `errors.currency` …) with the same code everywhere; what
only the engine can tell (a missing rate, no container fit) comes back as its refusal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ex1000 import pricing
from ex1000.catalog.models import Vehicle
from ex1000.core.errors import AppError

from . import adapter, notices, presentation
from .models import Place, RateBook
from .options import DEFAULT_CURRENCY, QuoteOptions, parse_items, parse_quote_options
from .services import available_listings

SEA_TERM_DEFAULT = "CIF"
LAND_TERM_DEFAULT = "CPT"


def default_incoterm(mode: str) -> str:
    """CIF for the sea modes; CPT (the carriage term for any mode) by rail or truck."""
    return SEA_TERM_DEFAULT if mode in ("roro", "container") else LAND_TERM_DEFAULT


def default_currency(preferred: str | None) -> str:
    """The user's currency when the book in force converts to it, else USD."""
    preferred = (preferred or "").upper()
    if preferred:
        try:
            if preferred in adapter.engine_book(adapter.current_rate_book()).fx:
                return preferred
        except AppError:
            pass
    return DEFAULT_CURRENCY


# --- reference data ----------------------------------------------------------------------


def places(*, kind: str | None = None, role: str | None = None) -> list[Place]:
    """The places of the rate book in force (none before the first import)."""
    try:
        book = adapter.current_rate_book()
    except AppError:
        return []
    rows = Place.objects.filter(book=book)
    if kind:
        rows = rows.filter(kind=kind)
    if role == "origin":
        rows = rows.filter(is_origin=True)
    elif role == "destination":
        rows = rows.filter(is_destination=True)
    return list(rows.order_by("country", "name", "code"))


def incoterms() -> list[dict[str, Any]]:
    """The eleven Incoterms 2020 as quoting.md prices them, in the active language."""
    out = []
    for term in pricing.INCOTERMS.values():
        lines = [
            code
            for code in pricing.LINE_CODES
            if term.includes(code)
            or (code == "insurance" and term.insurance is pricing.Insurance.MANDATORY)
        ]
        if term.insurance is pricing.Insurance.MANDATORY:
            cover = term.mandatory_cover
        elif term.insurance is pricing.Insurance.OPTIONAL:
            cover = pricing.incoterms.DEFAULT_OPTIONAL_COVER
        else:
            cover = None
        out.append(
            {
                "code": term.code,
                "name": term.label,
                "label": str(presentation.INCOTERM_NAMES[term.code]),
                "lines": lines,
                "sea_only": term.sea_only,
                "modes": [m.value for m in pricing.Mode if not term.sea_only or m in _SEA],
                "insurance": term.insurance.value,
                "insurance_cover": cover,
                "needs_origin": term.needs_origin,
            }
        )
    return out


_SEA = {pricing.Mode.RORO, pricing.Mode.CONTAINER}


# --- estimates ---------------------------------------------------------------------------


def estimate(*, items: Sequence[Any], options: QuoteOptions) -> tuple[pricing.Quote, RateBook]:
    """Price published listings against the book in force (one query for the listings)."""
    book = adapter.current_rate_book()
    options = parse_quote_options(options.as_dict(), book=book)
    wanted = available_listings(parse_items(items))
    return adapter.price(items=wanted, options=options, book=book)


def line_json(line: pricing.QuoteLine) -> dict[str, Any]:
    """A line as the API serves it: the label in the reader's language."""
    data = adapter.line_to_json(line)
    data["label"] = presentation.line_label(data)
    return data


def quote_json(quote: pricing.Quote, options: QuoteOptions, book: RateBook) -> dict[str, Any]:
    """The quote body of api.md for an estimate (not stored: no id, no version)."""
    return {
        "id": None,
        "version": None,
        "incoterm": quote.incoterm,
        "mode": quote.mode,
        "origin": quote.origin,
        "destination": quote.destination,
        "named_place": options.named_place or None,
        "insurance": options.insurance,
        "inspection": options.inspection,
        "currency": quote.currency,
        "lines": [line_json(line) for line in quote.lines],
        "total": {"amount": str(quote.total), "currency": quote.currency},
        "valid_until": quote.valid_until,
        "eligible": quote.eligible,
        "incoterm_place": presentation.incoterm_place(
            quote.incoterm,
            origin=quote.origin,
            destination=quote.destination,
            named_place=options.named_place,
            book=book,
        ),
        "reasons": notices.render_all(quote.reasons),
        "warnings": notices.render_all(quote.warnings),
        "reason_codes": [r.as_dict() for r in quote.reasons],
        "warning_codes": [w.as_dict() for w in quote.warnings],
        "rate_book_version": quote.rate_book_version,
    }


# --- landed prices on the catalogue ------------------------------------------------------


@dataclass(frozen=True)
class Landed:
    """What a search result carries about its price at the destination."""

    price: dict[str, str] | None
    eligible: bool | None
    reasons: list[str] | None = None
    error: str | None = None


def landed(vehicles: list[Vehicle], options: QuoteOptions | dict[str, Any]) -> dict[int, Landed]:
    """One-vehicle landed prices for a page of results: one rate book query, no query per
    vehicle (the book is parsed once per process). Each equals the total of
    POST /quotes/estimate for that vehicle alone with the same options, which are checked
    by the same parser (so ``?destination=XYZ`` is ``unknown_place`` here too)."""
    try:
        book = adapter.current_rate_book()
    except AppError as exc:
        return {v.pk: Landed(None, None, error=exc.detail) for v in vehicles}
    raw = options.as_dict() if isinstance(options, QuoteOptions) else options
    options = parse_quote_options(raw, book=book)
    prices = adapter.landed_prices(vehicles, options=options, book=book)
    out: dict[int, Landed] = {}
    for vehicle in vehicles:
        price = prices[vehicle.pk]
        if price.error or price.total is None:
            error = adapter.refused(price.error, version=book.version).detail if price.error else ""
            out[vehicle.pk] = Landed(None, None, error=error)
            continue
        reasons = notices.render_all(price.reasons) if price.reasons else []
        out[vehicle.pk] = Landed(
            {"amount": str(price.total), "currency": price.currency}, price.eligible, reasons
        )
    return out
