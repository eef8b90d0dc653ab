"""Rate books for the quotation tests, imported through the real service.

- `rate_book`: the pricing tests' full book (tests/pricing/books.py FULL: origins CNSHA and
  CNHGS; destinations AEJEA, KEMBA, KZALA; roro, container, rail, truck; container
  capacities, duties, ICC-A/ICC-C, inspection, Kenya's eligibility rule), version "TEST-1",
  valid from 30 days ago to 60 days ahead so that it is the book in force today.
- `demo_rate_book`: the demo book shipped in src/ex1000/quotes/fixtures/demo_ratebook.json
  (version unchanged), its validity moved to surround today so tests do not age.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from ex1000.quotes.rate_books import import_rate_book
from tests.pricing.books import document
from tests.quotes import fixtures_inquiries as fx

DEMO_FILE = Path(__file__).resolve().parents[2] / "src/ex1000/quotes/fixtures/demo_ratebook.json"


def in_force(doc: dict[str, Any], *, before: int = 30, after: int = 60) -> dict[str, Any]:
    """The document with its validity moved to [today - before, today + after]."""
    today = timezone.now().date()
    return {
        **doc,
        "valid_from": (today - timedelta(days=before)).isoformat(),
        "valid_to": (today + timedelta(days=after)).isoformat(),
    }


def book_document(version: str = "TEST-1", **changes: Any) -> dict[str, Any]:
    return in_force(document(version=version, **changes))


def demo_document() -> dict[str, Any]:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def rate_book(db):
    return import_rate_book(document=book_document())


@pytest.fixture
def demo_rate_book(db):
    return import_rate_book(document=in_force(demo_document(), after=120))


# The inquiry tests' world: a rate book, one supplier with two cars, a buyer with a token.
@pytest.fixture
def book(db):
    return fx.rate_book()


@pytest.fixture
def stock(db):
    return fx.supplier_with_listings(2)


@pytest.fixture
def seller(stock):
    return stock[0]


@pytest.fixture
def cars(stock):
    return stock[1]


@pytest.fixture
def buyer_api(login_api, buyer):
    return login_api(buyer)
