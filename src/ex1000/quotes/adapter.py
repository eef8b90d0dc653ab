"""Adapts database rows to the pure pricing engine (ex1000.pricing) and back.

The engine takes plain dataclasses; this module loads the rate book in force once per
process and version, turns listings into VehicleSpecs and engine refusals into AppError
(``quotes.error_codes.QuoteError``, naming the field when there is one), and turns a
priced Quote into the JSON that is frozen on a QuoteVersion.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.utils import timezone

from ex1000 import pricing
from ex1000.catalog.models import Vehicle
from ex1000.core.errors import AppError

from . import notices, presentation
from .error_codes import QuoteError
from .models import RateBook
from .options import QuoteOptions

# Which request field an engine refusal is about, when it is about one.
_REFUSAL_FIELDS = {
    pricing.QuoteErrorCode.UNKNOWN_INCOTERM: "incoterm",
    pricing.QuoteErrorCode.TERM_NOT_FOR_MODE: "incoterm",
    pricing.QuoteErrorCode.UNKNOWN_MODE: "mode",
    pricing.QuoteErrorCode.UNKNOWN_CURRENCY: "currency",
    pricing.QuoteErrorCode.UNKNOWN_INSURANCE_COVER: "insurance",
    pricing.QuoteErrorCode.NO_CONTAINER_FIT: "mode",
}


class QuoteRefused(AppError):
    """The rate book cannot price this request: an engine refusal as an AppError."""


def refused(exc: pricing.QuoteError, *, version: str = "") -> QuoteRefused:
    """The engine's refusal with the code of the error catalogue and its parameters; the
    message is rendered when shown, in the reader's language."""
    code = QuoteError(exc.code.value)
    params: dict[str, Any] = {"version": version, **exc.notice.params}
    if "mode" in params:
        params["mode"] = presentation.MODE_LABELS.get(str(params["mode"]), params["mode"])
    if exc.notice.code != exc.code.value or exc.failures:
        params["detail"] = notices.refusal_detail(exc)
    field = _REFUSAL_FIELDS.get(exc.code) or str(params.get("field") or "") or None
    return QuoteRefused(code, errors={field: [code]} if field else None, **params)


def current_rate_book(on: date | None = None) -> RateBook:
    """The newest imported book valid on the day; else the newest at all. Its document
    (tens of kilobytes) is read when first used: most requests need only which book it is,
    and the engine's parsed copy (engine_book)."""
    on = on or timezone.now().date()
    books = RateBook.objects.defer("document")
    book = books.filter(valid_from__lte=on, valid_to__gte=on).first() or books.first()
    if book is None:
        raise AppError(QuoteError.NO_RATE_BOOK)
    return book


@lru_cache(maxsize=8)
def _parsed(book_id: int, version: str, imported_at: object) -> pricing.RateBook:
    document = RateBook.objects.values_list("document", flat=True).get(pk=book_id)
    return pricing.parse_rate_book(document)


def engine_book(book: RateBook) -> pricing.RateBook:
    """Parsed once per process: a version's document never changes."""
    return _parsed(book.pk, book.version, book.imported_at)


def vehicle_spec(vehicle: Vehicle) -> pricing.VehicleSpec:
    return pricing.VehicleSpec(
        id=vehicle.pk,
        make=vehicle.make,
        model=vehicle.model,
        year=vehicle.year,
        price=vehicle.price,
        price_currency=vehicle.price_currency,
        city=vehicle.city,
        length_mm=vehicle.length_mm,
        width_mm=vehicle.width_mm,
        height_mm=vehicle.height_mm,
        steering=vehicle.steering,
    )


def price(
    *,
    items: list[tuple[Vehicle, int]],
    options: QuoteOptions,
    book: RateBook | None = None,
    quote_date: date | None = None,
) -> tuple[pricing.Quote, RateBook]:
    quote_date = quote_date or timezone.now().date()
    book = book or current_rate_book(quote_date)
    request = pricing.QuoteRequest(
        items=tuple(pricing.QuoteItem(vehicle_spec(v), q) for v, q in items),
        incoterm=options.incoterm,
        destination=options.destination,
        mode=options.mode,
        currency=options.currency,
        quote_date=quote_date,
        origin=options.origin or None,
        named_place=options.named_place or None,
        insurance=options.insurance,
        inspection=options.inspection,
    )
    try:
        return pricing.quote(request, engine_book(book)), book
    except pricing.QuoteError as exc:
        raise refused(exc, version=book.version) from exc


def landed_prices(
    vehicles: list[Vehicle], *, options: QuoteOptions, book: RateBook | None = None
) -> dict[int, pricing.LandedPrice]:
    """One-vehicle totals for a page of results, against one parsed book (no query each)."""
    today = timezone.now().date()
    book = book or current_rate_book(today)
    try:
        results = pricing.landed_prices(
            [vehicle_spec(v) for v in vehicles],
            engine_book(book),
            incoterm=options.incoterm,
            destination=options.destination,
            mode=options.mode,
            currency=options.currency,
            quote_date=today,
            origin=options.origin or None,
            named_place=options.named_place or None,
            insurance=options.insurance,
            inspection=options.inspection,
        )
    except pricing.QuoteError as exc:
        raise refused(exc, version=book.version) from exc
    return {int(r.vehicle_id): r for r in results}


def _text(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_text(v) for v in value]
    return value


def line_to_json(line: pricing.QuoteLine) -> dict[str, Any]:
    """A line as frozen on a QuoteVersion and served by the API (amounts as strings)."""
    source = line.source
    return {
        "code": line.code,
        "label": line.label,
        "item": line.item,
        "quantity": line.quantity,
        "unit_amount": str(line.unit_amount),
        "amount": str(line.amount),
        "currency": line.currency,
        "source": {
            "table": source.table,
            "rows": list(source.rows),
            "rate_book_version": source.rate_book_version,
            "currency": source.currency,
            "fx": _text(dict(source.fx)),
            "basis": _text(dict(source.basis)),
        },
    }
