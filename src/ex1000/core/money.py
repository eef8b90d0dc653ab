"""Money is Decimal with an ISO 4217 currency; never float."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency, list_currencies
from pydantic import BaseModel, field_validator

# One rounding rule for the whole app: the pricing engine's (half-up to the minor unit).
from ex1000.pricing.money import minor_unit_digits
from ex1000.pricing.money import round_money as quantize

__all__ = ["CURRENCY_CODES", "MoneySchema", "display", "minor_unit_digits", "quantize"]

CURRENCY_CODES = frozenset(list_currencies())


def display(amount: Decimal, currency: str, locale: str = "en") -> str:
    return format_currency(
        amount, currency, locale=locale.replace("-", "_").replace("zh_hans", "zh_Hans_CN")
    )


class MoneySchema(BaseModel):
    """API form of money: the amount is a decimal string."""

    amount: Decimal
    currency: str = "CNY"

    @field_validator("currency")
    @classmethod
    def known_currency(cls, value: str) -> str:
        value = value.upper()
        if value not in CURRENCY_CODES:
            raise ValueError(f"unknown ISO 4217 currency {value!r}")
        return value

    @field_validator("amount")
    @classmethod
    def finite(cls, value: Decimal) -> Decimal:
        if not value.is_finite():
            raise ValueError("amount must be a finite decimal")
        return value

    @classmethod
    def of(cls, amount: Decimal, currency: str) -> MoneySchema:
        return cls(amount=quantize(amount, currency), currency=currency)
