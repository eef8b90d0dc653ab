"""What a buyer asks to be priced — parsed, normalised and checked in one place.

Every way in goes through here: POST /quotes/estimate, POST /inquiries, a supplier's
revision, the catalogue search with a destination (through quotes.landed), the vehicle
page's calculator and quotation request, and the services. So the same bad input gives
the same code everywhere (``unknown_incoterm``, ``unknown_place`` …) with the same message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ex1000 import pricing
from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError, ErrorCode, FieldError

from .error_codes import QuoteError
from .models import RateBook
from .presentation import MODE_LABELS

MAX_ITEMS = 50  # vehicles in one estimate or inquiry
MAX_QUANTITY = 10_000
MAX_NAMED_PLACE = 100
DEFAULT_MODE = "roro"
DEFAULT_CURRENCY = "USD"
OPTION_NAMES = (
    "incoterm",
    "mode",
    "destination",
    "origin",
    "currency",
    "insurance",
    "inspection",
    "named_place",
)
_TRUE = frozenset({"true", "on", "1", "yes"})
_FALSE = frozenset({"false", "off", "0", "no", ""})


@dataclass(frozen=True)
class QuoteOptions:
    """Normalised: codes upper case, mode lower case, `insurance` True (the term's cover),
    False, or a cover of the rate book; `origin` None for the cheapest."""

    incoterm: str
    destination: str
    mode: str = DEFAULT_MODE
    currency: str = DEFAULT_CURRENCY
    origin: str | None = None
    named_place: str | None = None
    insurance: bool | str = False
    inspection: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def place(self) -> str | None:
        """The place the Incoterm names (origin, destination or named place)."""
        return pricing.named_place(
            self.incoterm,
            origin=self.origin,
            destination=self.destination,
            named_place=self.named_place,
        )


def _text(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    return str(value).strip()


def _flag(value: Any) -> bool | None:
    """True/False from a JSON bool or a form's text; None when it is neither."""
    if isinstance(value, bool) or value is None:
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


class _Errors:
    def __init__(self) -> None:
        self.fields: dict[str, list[FieldError]] = {}
        self.first: FieldError | None = None

    def add(self, field: str, code: ErrorCode, **params: Any) -> None:
        error = FieldError(code, **params)
        self.fields.setdefault(field, []).append(error)
        self.first = self.first or error

    def raise_if_any(self) -> None:
        if self.first is None:
            return
        code = self.first.code
        if code is CoreError.REQUIRED or code is CoreError.TOO_LONG:
            code = CoreError.VALIDATION
        raise AppError(code, errors=self.fields, **self.first.params)


def parse_quote_options(
    raw: Mapping[str, Any],
    *,
    book: RateBook | None = None,
    default_currency: str = DEFAULT_CURRENCY,
) -> QuoteOptions:
    """The options of `raw` (JSON, a form's data, search parameters), checked against the
    rate book (the one in force unless given). Raises AppError naming every bad field; its
    code is the first one's (``unknown_incoterm``, ``unknown_mode``, ``term_not_for_mode``,
    ``unknown_place``, ``unknown_currency``, ``unknown_insurance_cover`` …)."""
    from .adapter import current_rate_book, engine_book

    errors = _Errors()
    incoterm = _text(raw.get("incoterm")).upper()
    mode = _text(raw.get("mode")).lower() or DEFAULT_MODE
    destination = _text(raw.get("destination")).upper()
    origin = _text(raw.get("origin")).upper() or None
    currency = _text(raw.get("currency")).upper() or default_currency
    named_place = _text(raw.get("named_place"))

    term = pricing.INCOTERMS.get(incoterm)
    if not incoterm:
        errors.add("incoterm", CoreError.REQUIRED)
    elif term is None:
        errors.add(
            "incoterm",
            QuoteError.UNKNOWN_INCOTERM,
            incoterm=incoterm[:20],
            choices=", ".join(pricing.INCOTERMS),
        )
    if mode not in pricing.MODE_LABELS:
        errors.add("mode", QuoteError.UNKNOWN_MODE, mode=mode[:20])
    elif term is not None and pricing.not_for_mode(term, mode):
        errors.add(
            "incoterm", QuoteError.TERM_NOT_FOR_MODE, incoterm=incoterm, mode=MODE_LABELS[mode]
        )

    book = book or current_rate_book()
    parsed = engine_book(book)
    places = parsed.index.places
    if not destination:
        errors.add("destination", CoreError.REQUIRED)
    elif destination not in places:
        errors.add(
            "destination", QuoteError.UNKNOWN_PLACE, place=destination[:20], version=book.version
        )
    if origin is not None and origin not in places:
        errors.add("origin", QuoteError.UNKNOWN_PLACE, place=origin[:20], version=book.version)
    if currency not in parsed.fx:
        errors.add(
            "currency",
            QuoteError.UNKNOWN_CURRENCY,
            currency=currency[:10],
            version=book.version,
            choices=", ".join(sorted(parsed.fx)),
        )

    insurance: bool | str = False
    raw_insurance = raw.get("insurance")
    flag = _flag(raw_insurance)
    if flag is not None:
        insurance = flag
    else:
        cover = _text(raw_insurance).upper()
        if cover in parsed.index.insurance:
            insurance = cover
        else:
            errors.add(
                "insurance",
                QuoteError.UNKNOWN_INSURANCE_COVER,
                cover=cover[:20],
                choices=", ".join(sorted(parsed.index.insurance)),
            )
    inspection = _flag(raw.get("inspection"))
    if inspection is None:
        errors.add("inspection", QuoteError.INVALID_OPTION)
    if len(named_place) > MAX_NAMED_PLACE:
        errors.add("named_place", CoreError.TOO_LONG, count=MAX_NAMED_PLACE)
    errors.raise_if_any()
    return QuoteOptions(
        incoterm=incoterm,
        destination=destination,
        mode=mode,
        currency=currency,
        origin=origin,
        named_place=named_place or None,
        insurance=insurance,
        inspection=bool(inspection),
    )


def parse_items(raw: Sequence[Any]) -> list[tuple[int, int]]:
    """(vehicle id, quantity) pairs from [(id, quantity)] or [{"vehicle_id", "quantity"}]:
    1 to MAX_ITEMS of them, each listing once, quantities from 1. Raises AppError naming
    the item (``items.2.quantity``)."""
    if not raw:
        raise AppError(QuoteError.NO_ITEMS, errors={"items": [QuoteError.NO_ITEMS]})
    if len(raw) > MAX_ITEMS:
        raise AppError(
            QuoteError.TOO_MANY_ITEMS,
            errors={"items": [QuoteError.TOO_MANY_ITEMS]},
            count=MAX_ITEMS,
        )
    errors = _Errors()
    wanted: list[tuple[int, int]] = []
    seen: set[int] = set()
    for n, item in enumerate(raw):
        if isinstance(item, Mapping):
            vehicle_id, quantity = item.get("vehicle_id"), item.get("quantity", 1)
        else:
            vehicle_id, quantity = item
        if (
            isinstance(vehicle_id, bool)
            or not isinstance(vehicle_id, int)
            or not 0 < vehicle_id < 2**63
        ):
            errors.add(f"items.{n}.vehicle_id", QuoteError.INVALID_VEHICLE)
            continue
        if vehicle_id in seen:
            errors.add(f"items.{n}.vehicle_id", QuoteError.DUPLICATE_VEHICLE, vehicle=vehicle_id)
        seen.add(vehicle_id)
        if (
            isinstance(quantity, bool)
            or not isinstance(quantity, int)
            or not 1 <= quantity <= MAX_QUANTITY
        ):
            errors.add(f"items.{n}.quantity", QuoteError.INVALID_QUANTITY)
        wanted.append((vehicle_id, quantity))
    errors.raise_if_any()
    return wanted
