"""landed_prices: one-vehicle totals for a page of search results, against one book."""

from decimal import Decimal

import pytest

from ex1000.pricing import QuoteError, landed_prices, quote
from ex1000.pricing.ratebook import RateIndex

from .books import QUOTE_DATE, book, car, request

TERMS = {
    "incoterm": "CIF",
    "destination": "AEJEA",
    "mode": "roro",
    "currency": "USD",
    "quote_date": QUOTE_DATE,
}


def page(n: int = 50) -> list:
    return [
        car(
            i,
            price=str(50000 + 1000 * i),
            dims=(4000 + 20 * i, 1800, 1600),
            city="Wuhan" if i == 7 else "Hangzhou",
        )
        for i in range(n)
    ]


def test_each_vehicle_gets_the_total_of_its_own_one_vehicle_quote():
    b = book()
    vehicles = page()
    results = landed_prices(vehicles, b, **TERMS)
    assert [r.vehicle_id for r in results] == [v.id for v in vehicles]
    for v, r in zip(vehicles, results, strict=True):
        if v.id == 7:
            continue
        q = quote(request(v, incoterm="CIF"), b)
        assert (r.total, r.origin, r.eligible, r.currency) == (q.total, q.origin, q.eligible, "USD")


def test_a_vehicle_the_book_cannot_price_gets_an_error_not_a_zero():
    results = landed_prices(page(10), book(), **TERMS)
    wuhan = results[7]
    assert wuhan.total is None and wuhan.error is not None
    assert wuhan.error.code == "no_origin"
    assert wuhan.error.failures[0].notice.as_dict() == {
        "code": "missing_inland_rate",
        "params": {"city": "Wuhan", "place": "CNSHA", "mode": "roro"},
    }
    assert all(r.total is not None and r.total > 0 for i, r in enumerate(results) if i != 7)


def test_eligibility_is_reported_per_vehicle():
    vehicles = [car(1, year=2024, steering="RHD"), car(2, year=2010, steering="RHD")]
    results = landed_prices(vehicles, book(), **{**TERMS, "destination": "KEMBA"})
    assert [r.eligible for r in results] == [True, False]


def test_a_bad_request_is_refused_once():
    with pytest.raises(QuoteError, match="term_not_for_mode"):
        landed_prices(page(3), book(), **{**TERMS, "mode": "rail", "destination": "KZALA"})


def test_the_index_is_built_once_for_many_calls(monkeypatch):
    b = book()
    built = []
    original = RateIndex.__init__

    def counting(self, rate_book):
        built.append(rate_book.version)
        original(self, rate_book)

    monkeypatch.setattr(RateIndex, "__init__", counting)
    for _ in range(3):
        landed_prices(page(), b, **TERMS)
    quote(request(), b)
    assert built == ["T-1"]
    assert isinstance(landed_prices(page(1), b, **TERMS)[0].total, Decimal)
