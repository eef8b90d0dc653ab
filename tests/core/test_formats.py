"""Dates as each language writes them: Django has no Arabic date-time formats of its own."""

from datetime import UTC, datetime

from django.utils import formats, translation


def test_arabic_times_put_the_day_first():
    second_of_december = datetime(2026, 12, 2, 14, 5, tzinfo=UTC)
    with translation.override("ar"):
        short = formats.date_format(second_of_december, "SHORT_DATETIME_FORMAT")
        assert short.replace("\u200f", "") == "02/12/2026 14:05"
        assert formats.date_format(second_of_december, "DATETIME_FORMAT").startswith("2 ")
    with translation.override("en"):  # the others keep Django's
        assert formats.date_format(second_of_december, "SHORT_DATE_FORMAT") == "12/02/2026"
