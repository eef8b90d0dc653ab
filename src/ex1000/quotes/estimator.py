"""Reads for the public quotation API: places, the eleven terms, instant estimates and the
catalogue's landed prices. Nothing is stored; the engine prices against the book in force.

Requests are checked against the rate book first, so that a refusal names the parameter
(`errors.destination`, `errors.currency` …); what only the engine can tell (a missing rate,
no container fit, a sea-only term by rail) comes back as its message, in problem JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ex1000 import pricing
from ex1000.catalog.models import ListingStatus, Vehicle
from ex1000.core.errors import ServiceError, ValidationFailed

from . import adapter, presentation
from .adapter import QuoteRefused
from .models import Place, RateBook

MAX_ITEMS = 50
SEA_TERM_DEFAULT = "CIF"
LAND_TERM_DEFAULT = "CPT"
DEFAULT_CURRENCY = "USD"

# Which request field an engine refusal is about, when it is about one.
_REFUSAL_FIELDS = {
    pricing.QuoteErrorCode.UNKNOWN_INCOTERM: "incoterm",
    pricing.QuoteErrorCode.TERM_NOT_FOR_MODE: "incoterm",
    pricing.QuoteErrorCode.UNKNOWN_CURRENCY: "currency",
    pricing.QuoteErrorCode.NO_CONTAINER_FIT: "mode",
}


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
        except ServiceError:
            pass
    return DEFAULT_CURRENCY


# --- reference data ----------------------------------------------------------------------


def places(*, kind: str | None = None, role: str | None = None) -> list[Place]:
    """The places of the rate book in force (none before the first import)."""
    try:
        book = adapter.current_rate_book()
    except ServiceError:
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


# --- checking a request against the book -------------------------------------------------


def check_options(options: adapter.Options, book: RateBook) -> None:
    """ValidationFailed naming each field the rate book cannot serve."""
    parsed = adapter.engine_book(book)
    index = parsed.index
    errors: dict[str, list[str]] = {}
    if options.incoterm not in pricing.INCOTERMS:
        errors["incoterm"] = [f"Unknown Incoterm; one of {', '.join(pricing.INCOTERMS)}."]
    if options.mode not in pricing.MODE_LABELS:
        errors["mode"] = ["One of roro, container, rail, truck."]
    if options.destination not in index.places:
        errors["destination"] = [
            f"Unknown place {options.destination!r} in rate book {book.version}."
        ]
    if options.origin and options.origin not in index.places:
        errors["origin"] = [f"Unknown place {options.origin!r} in rate book {book.version}."]
    if options.currency not in parsed.fx:
        errors["currency"] = [
            f"No exchange rate for {options.currency!r} in rate book {book.version}; "
            f"one of {', '.join(sorted(parsed.fx))}."
        ]
    if isinstance(options.insurance, str) and options.insurance not in index.insurance:
        errors["insurance"] = [
            f"Unknown cover {options.insurance!r}; true, false or one of "
            f"{', '.join(sorted(index.insurance))}."
        ]
    if errors:
        raise ValidationFailed(
            "The rate book cannot price this request: "
            + " ".join(m for ms in errors.values() for m in ms),
            code="invalid_options",
            errors=errors,
        )


def refused(exc: QuoteRefused) -> QuoteRefused:
    """The engine's refusal in the active language, naming the field it is about."""
    detail = presentation.engine_message(exc.detail)
    field = _REFUSAL_FIELDS.get(exc.code)
    return QuoteRefused(detail, code=exc.code, errors={field: [detail]} if field else None)


# --- estimates ---------------------------------------------------------------------------


def listings(items: Sequence[tuple[int, int]]) -> list[tuple[Vehicle, int]]:
    """The published listings asked for, each in a quantity it has; else ValidationFailed
    naming each bad item (an unknown or unpublished listing is "not available")."""
    errors: dict[str, list[str]] = {}
    seen: dict[int, int] = {}
    for n, (vehicle_id, quantity) in enumerate(items):
        if vehicle_id in seen:
            errors[f"items.{n}.vehicle_id"] = [
                f"Vehicle {vehicle_id} is listed twice; give it one quantity."
            ]
        seen.setdefault(vehicle_id, n)
        if quantity < 1:
            errors[f"items.{n}.quantity"] = ["At least 1."]
    found = {
        v.pk: v for v in Vehicle.objects.filter(pk__in=list(seen), status=ListingStatus.PUBLISHED)
    }
    for n, (vehicle_id, quantity) in enumerate(items):
        vehicle = found.get(vehicle_id)
        if vehicle is None:
            errors.setdefault(f"items.{n}.vehicle_id", []).append(
                f"Vehicle {vehicle_id} is not available."
            )
        elif quantity > vehicle.quantity:
            errors.setdefault(f"items.{n}.quantity", []).append(
                f"Vehicle {vehicle_id}: only {vehicle.quantity} available."
            )
    if errors:
        raise ValidationFailed(
            "Some vehicles cannot be estimated: "
            + " ".join(m for ms in errors.values() for m in ms),
            code="vehicle_unavailable",
            errors=errors,
        )
    return [(found[vehicle_id], quantity) for vehicle_id, quantity in items]


def estimate(
    *, items: Sequence[tuple[int, int]], options: adapter.Options
) -> tuple[pricing.Quote, RateBook]:
    """Price published listings against the book in force (one query for the listings)."""
    book = adapter.current_rate_book()
    check_options(options, book)
    wanted = listings(items)
    try:
        return adapter.price(items=wanted, options=options, book=book)
    except QuoteRefused as exc:
        raise refused(exc) from exc


def line_json(line: pricing.QuoteLine) -> dict[str, Any]:
    """A line as the API serves it: the label in the reader's language."""
    data = adapter.line_to_json(line)
    data["label"] = presentation.line_label(data)
    return data


def quote_json(quote: pricing.Quote, options: adapter.Options) -> dict[str, Any]:
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
        "reasons": [presentation.engine_message(r) for r in quote.reasons],
        "warnings": [presentation.engine_message(w) for w in quote.warnings],
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


def landed(vehicles: list[Vehicle], options: adapter.Options) -> dict[int, Landed]:
    """One-vehicle landed prices for a page of results: one rate book query, no query per
    vehicle (the book is parsed once per process). Each equals the total of
    POST /quotes/estimate for that vehicle alone with the same options."""
    try:
        book = adapter.current_rate_book()
    except ServiceError as exc:
        return {v.pk: Landed(None, None, error=exc.detail) for v in vehicles}
    check_options(options, book)
    try:
        prices = adapter.landed_prices(vehicles, options=options, book=book)
    except QuoteRefused as exc:
        raise refused(exc) from exc
    out: dict[int, Landed] = {}
    for vehicle in vehicles:
        price = prices[vehicle.pk]
        if price.error or price.total is None:
            out[vehicle.pk] = Landed(
                None, None, error=presentation.engine_message(price.error or "")
            )
            continue
        reasons: list[str] = []
        if not price.eligible:
            # A full quote of this one car says why (no query: the book is parsed already).
            quote, _book = adapter.price(items=[(vehicle, 1)], options=options, book=book)
            reasons = [presentation.engine_message(r) for r in quote.reasons]
        out[vehicle.pk] = Landed(
            {"amount": str(price.total), "currency": price.currency}, price.eligible, reasons
        )
    return out
