"""Money shown the way the visitor's language writes it."""

from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency, format_decimal
from django import template
from django.utils.translation import get_language

from ex1000.core.money import display

register = template.Library()


def _babel_locale(language: str) -> str:
    return language.replace("-", "_").replace("zh_hans", "zh_Hans_CN")


@register.filter
def money(amount: Decimal | None, currency: str = "CNY") -> str:
    """CN¥118,000 for whole amounts (asking prices), CN¥118,000.50 otherwise."""
    if amount in (None, ""):
        return ""
    amount = Decimal(amount)
    currency = currency or "CNY"
    language = get_language() or "en"
    if amount != amount.to_integral_value():
        return display(amount, currency, language)
    locale = Locale.parse(_babel_locale(language))
    pattern = locale.currency_formats["standard"].pattern.split(";")[0]
    whole = pattern.replace(".00", "").replace(".##", "")
    return format_currency(amount, currency, format=whole, locale=locale, currency_digits=False)


def grouped(value, language: str | None = None) -> str:
    """30,000 / 30 000 / 30.000: digits grouped the way the language writes them."""
    if value in (None, ""):
        return ""
    locale = _babel_locale(language or get_language() or "en")
    return format_decimal(value, locale=locale)


@register.filter
def number(value) -> str:
    return grouped(value)
