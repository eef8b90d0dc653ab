"""Currency conversion and rounding: Decimal only, rounded once, at the end (quoting.md step 6)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.numbers import get_currency_precision

BASE_CURRENCY = "CNY"


@lru_cache(maxsize=256)
def minor_unit_digits(currency: str) -> int:
    """ISO 4217 minor unit: 2 for USD, 0 for JPY, 3 for KWD."""
    return int(get_currency_precision(currency))


@lru_cache(maxsize=256)
def _quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_unit_digits(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round half-up (away from zero on .5) to the currency's minor unit."""
    return amount.quantize(_quantum(currency), rounding=ROUND_HALF_UP)


def convert(
    amount: Decimal, from_currency: str, to_currency: str, fx: Mapping[str, Decimal]
) -> Decimal:
    """`amount_in_B = amount_in_A × fx[A] / fx[B]`, full precision; fx gives CNY per unit."""
    if from_currency == to_currency:
        return amount
    return amount * fx[from_currency] / fx[to_currency]
