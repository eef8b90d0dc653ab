"""EX1000 pricing engine: Incoterms 2020, the rate book and the quotation engine.

Pure Python (stdlib + babel for ISO 4217 minor units), `Decimal` only: data classes in,
data classes out. The rules are in docs/quoting.md; the worked examples in docs/pricing.md.
"""

from .engine import (
    Adjustment,
    LandedPrice,
    LineSource,
    Quote,
    QuoteError,
    QuoteErrorCode,
    QuoteItem,
    QuoteLine,
    QuoteRequest,
    VehicleSpec,
    apply_adjustments,
    landed_prices,
    quote,
    size_class,
)
from .incoterms import (
    INCOTERMS,
    LINE_CODES,
    LINE_LABELS,
    MODE_LABELS,
    Incoterm,
    Insurance,
    Mode,
    named_place,
    not_for_mode,
)
from .money import convert, minor_unit_digits, round_money
from .notices import Notice
from .ratebook import RateBook, RateBookError, parse_rate_book

__all__ = [
    "INCOTERMS",
    "LINE_CODES",
    "LINE_LABELS",
    "MODE_LABELS",
    "Adjustment",
    "Incoterm",
    "Insurance",
    "LandedPrice",
    "LineSource",
    "Mode",
    "Notice",
    "Quote",
    "QuoteError",
    "QuoteErrorCode",
    "QuoteItem",
    "QuoteLine",
    "QuoteRequest",
    "RateBook",
    "RateBookError",
    "VehicleSpec",
    "apply_adjustments",
    "convert",
    "landed_prices",
    "minor_unit_digits",
    "named_place",
    "not_for_mode",
    "parse_rate_book",
    "quote",
    "round_money",
    "size_class",
]
