"""parse_rate_book: the JSON format of quoting.md, all-or-nothing, errors naming table/row/field."""

from datetime import date
from decimal import Decimal

import pytest

from ex1000.pricing import RateBookError, parse_rate_book
from ex1000.pricing.ratebook import MainRate

from .books import FULL, SPEC_EXAMPLE, document


def errors_of(doc) -> list[str]:
    with pytest.raises(RateBookError) as err:
        parse_rate_book(doc)
    return err.value.errors


def with_row(table: str, index: int, **changes):
    doc = document()
    row = doc[table][index]
    for key, value in changes.items():
        if value is None:
            row.pop(key, None)
        else:
            row[key] = value
    return doc


def test_the_example_document_of_quoting_md_parses():
    book = parse_rate_book(document(SPEC_EXAMPLE))
    assert book.version == "2026-11-A"
    assert (book.valid_from, book.valid_to, book.validity_days) == (
        date(2026, 11, 1),
        date(2026, 12, 31),
        7,
    )
    assert book.fx == {
        "CNY": 1,
        "USD": Decimal("7.10"),
        "EUR": Decimal("7.70"),
        "KZT": Decimal("0.0140"),
    }
    assert book.main[0] == MainRate(
        "main[0]", "CNSHA", "AEJEA", "roro", "USD", per_m3=Decimal("45")
    )
    assert book.main[1].container == "40HQ" and book.main[1].per_container == Decimal("2600")
    # a row without its own currency takes the document's
    assert book.inland[0].currency == "CNY" and book.inland[0].row_id == "inland[0]"
    assert book.insurance[1].cover == "ICC-A" and book.insurance[1].row_id == "insurance[1]"
    assert book.platform_fee.pct == Decimal("1.5")
    assert book.eligibility[0].steering == ("RHD",)


def test_the_document_currency_is_the_default_row_currency():
    doc = document(currency="USD")
    book = parse_rate_book(doc)
    assert book.inland[0].currency == "USD"
    assert book.main[0].currency == "USD"


@pytest.mark.parametrize(
    ("table", "index", "changes", "expected"),
    [
        ("main", 0, {"per_m3": "forty-five"}, "main[0].per_m3: not a decimal"),
        ("main", 0, {"per_m3": 45.5}, "main[0].per_m3: not a decimal"),
        ("main", 0, {"per_m3": "NaN"}, "main[0].per_m3: not a decimal"),
        ("main", 2, {"per_container": "-1"}, "main[2].per_container: must not be negative"),
        ("main", 0, {"per_m3": None}, "main[0].per_m3: missing"),
        ("main", 0, {"per_vehicle": "100"}, "main[0].per_vehicle: not used for mode 'roro'"),
        ("main", 1, {"container": "45HC"}, "main[1].container: unknown container type '45HC'"),
        ("main", 3, {"currency": "GBP"}, "main[3].currency: unknown currency 'GBP'"),
        ("main", 4, {"mode": "air"}, "main[4].mode: unknown mode 'air'"),
        ("main", 5, {"to": "XXNOP"}, "main[5].to: unknown place 'XXNOP'"),
        ("inland", 1, {"mode": "boat"}, "inland[1].mode: unknown mode 'boat'"),
        ("inland", 0, {"per_vehicle": None}, "inland[0].per_vehicle: missing"),
        ("inland", 2, {"from_city": ""}, "inland[2].from_city: must be a non-empty string"),
        ("origin", 0, {"place": "CNXXX"}, "origin[0].place: unknown place 'CNXXX'"),
        ("origin", 1, {"mode": "*"}, "origin[1].mode: unknown mode '*'"),
        ("origin", 2, {"handling": "-5"}, "origin[2].handling: must not be negative"),
        ("container_capacity", 0, {"vehicles": 0}, "container_capacity[0].vehicles: must be at"),
        ("container_capacity", 1, {"size_class": "tiny"}, "container_capacity[1].size_class:"),
        ("destination", 0, {"unloading": "1,20"}, "destination[0].unloading: not a decimal"),
        ("onward", 1, {"from": "KZXXX"}, "onward[1].from: unknown place 'KZXXX'"),
        ("duties", 0, {"country": "UAE"}, "duties[0].country: not an ISO 3166 alpha-2"),
        ("duties", 1, {"vat_pct": None}, "duties[1].vat_pct: missing"),
        ("insurance", 0, {"rate_pct": "95"}, "insurance[0].rate_pct: too large"),
        ("inspection", 0, {"currency": "XXX"}, "inspection[0].currency: unknown currency"),
        ("eligibility", 0, {"steering": ["LEFT"]}, "eligibility[0].steering: must be a list"),
        ("eligibility", 0, {"inspection": "JEVIC"}, "eligibility[0].inspection: no inspection"),
        ("eligibility", 0, {"max_age_years": "8"}, "eligibility[0].max_age_years: not a whole"),
        ("places", 2, {"country": "China"}, "places[2].country: not an ISO 3166 alpha-2"),
    ],
)
def test_errors_name_table_row_and_field(table, index, changes, expected):
    errors = errors_of(with_row(table, index, **changes))
    assert any(e.startswith(expected) for e in errors), errors


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"fx": {"USD": "0"}}, "fx.USD: must be positive"),
        ({"fx": {"USD": "abc"}}, "fx.USD: not a decimal"),
        ({"fx": {"usd": "7"}}, "fx.usd: not an ISO 4217 currency code"),
        ({"fx": {"CNY": "2"}}, "fx.CNY: CNY is the base currency"),
        ({"currency": "GBP"}, "currency: unknown currency 'GBP'"),
        ({"valid_to": "31/12/2026"}, "valid_to: not a date"),
        ({"valid_to": "2026-10-01"}, "valid_to: before valid_from"),
        ({"validity_days": -1}, "validity_days: must be at least 0"),
        ({"version": None}, "version: missing"),
        ({"platform_fee": None}, "platform_fee: missing"),
        ({"platform_fee": {"pct": "1.5"}}, "platform_fee.min: missing"),
        ({"main": {"from": "CNSHA"}}, "main: must be a list of rows"),
    ],
)
def test_document_level_errors(changes, expected):
    doc = document()
    for key, value in changes.items():
        if value is None:
            doc.pop(key)
        else:
            doc[key] = value
    errors = errors_of(doc)
    assert any(e.startswith(expected) for e in errors), errors


def test_fx_removal_makes_every_row_in_that_currency_an_error():
    doc = document(fx={"EUR": "7.70"})
    errors = errors_of(doc)
    assert "main[0].currency: unknown currency 'USD' (no fx rate)" in errors
    assert "destination[4].currency: unknown currency 'USD' (no fx rate)" in errors


def test_duplicate_keys_are_refused():
    doc = document()
    doc["origin"].append(dict(doc["origin"][0], handling="1"))
    doc["inland"].append(dict(doc["inland"][0], from_city=" hangzhou "))  # same city, spaced
    errors = errors_of(doc)
    assert "origin[4]: duplicates origin[0]" in errors
    assert "inland[4]: duplicates inland[0]" in errors


def test_all_or_nothing_every_error_is_reported_and_nothing_is_returned():
    doc = document()
    doc["main"][2]["per_container"] = "x"
    doc["origin"][0]["place"] = "NOPE"
    doc["duties"][0]["duty_pct"] = "-3"
    with pytest.raises(RateBookError) as err:
        parse_rate_book(doc)
    assert err.value.errors == [
        "origin[0].place: unknown place 'NOPE' (not in places)",
        "main[2].per_container: not a decimal",
        "duties[0].duty_pct: must not be negative",
    ]
    assert "main[2].per_container: not a decimal" in str(err.value)


def test_the_input_document_is_not_modified():
    doc = document()
    snapshot = repr(doc)
    parse_rate_book(doc)
    assert repr(doc) == snapshot


def test_optional_tables_may_be_absent():
    doc = {
        k: v
        for k, v in document().items()
        if k
        in (
            "version",
            "currency",
            "valid_from",
            "valid_to",
            "validity_days",
            "fx",
            "places",
            "platform_fee",
        )
    }
    book = parse_rate_book(doc)
    assert book.main == () and book.eligibility == ()


def test_index_is_built_once_per_book():
    book = parse_rate_book(document(FULL))
    assert book.index is book.index
    assert book.index.origins_by_mode["roro"] == ("CNSHA",)
    assert [r.container for r in book.index.containers[("CNSHA", "AEJEA")]] == ["20GP", "40HQ"]
