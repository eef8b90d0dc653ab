"""Quote figures in templates: amounts with their currency's minor unit, engine notices."""

from django import template

from ex1000.quotes import presentation

register = template.Library()


@register.filter
def amount(value, currency: str) -> str:
    """{{ line.amount|amount:quote.currency }} → US$1,234.50 / 1 234,50 $US / US$1,234.50"""
    return presentation.money(value, currency)


@register.filter
def quote_place(quote) -> str:
    """{{ quote|quote_place }} → FOB Shanghai (CNSHA)"""
    return presentation.quote_place(quote)


@register.filter
def line_label(line: dict) -> str:
    return presentation.line_label(line)


@register.filter
def field(form, name: str):
    """{{ form|field:"adjustment_0_label" }}: a bound field by a name held in a variable."""
    return form[name]


@register.filter
def inquiry_status(status: str) -> str:
    return presentation.inquiry_status(status)
