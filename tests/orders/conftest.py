"""The orders tests start from the quotation fixtures: a rate book in force, a supplier's
stock, a buyer with an API client."""

from tests.quotes.conftest import (  # noqa: F401 (fixtures)
    book,
    buyer_api,
    cars,
    demo_rate_book,
    rate_book,
    seller,
    stock,
)
