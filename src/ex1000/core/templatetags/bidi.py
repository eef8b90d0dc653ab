"""Codes (order numbers, VINs, B/L numbers) read left to right on right-to-left pages."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def ltr(value) -> str:
    """``EX-2026-000001`` stays one left-to-right run inside Arabic text."""
    return format_html('<bdi dir="ltr" class="ltr">{}</bdi>', value)
