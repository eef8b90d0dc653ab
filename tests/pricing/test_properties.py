"""Properties over random rate books and vehicles (hypothesis, bounded)."""

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ex1000.pricing import INCOTERMS, QuoteItem, minor_unit_digits, parse_rate_book, quote

from .books import FULL, car, document, request

D = Decimal
CURRENCIES = ("CNY", "USD", "EUR", "JPY", "KWD")
SEA_CHAIN = ("EXW", "FCA", "FAS", "FOB", "CFR", "CIF")
CARRIAGE_CHAIN = ("CPT", "CIP", "DAP", "DPU", "DDP")
ROUTES = {
    "roro": ("AEJEA", "Dubai"),
    "container": ("AEJEA", "Dubai"),
    "rail": ("KZALA", "Astana"),
    "truck": ("KZALA", "Astana"),
}


def rate(lo: str, hi: str, places: int) -> st.SearchStrategy[str]:
    """Decimal strings in [lo, hi] with `places` decimals (integers are cheap to draw)."""
    scale = 10**places
    return st.integers(int(D(lo) * scale), int(D(hi) * scale)).map(
        lambda n: str(D(n).scaleb(-places))
    )


def money(hi: int, places: int = 2) -> st.SearchStrategy[str]:
    return rate("0", str(hi), places)


@st.composite
def rate_books(draw: Any) -> Any:
    doc = document(FULL)
    doc["fx"] = {
        "USD": draw(rate("5", "9", 4)),
        "EUR": draw(rate("6", "10", 4)),
        "KZT": draw(rate("0.005", "0.03", 4)),
        "JPY": draw(rate("0.02", "0.09", 4)),
        "KWD": draw(rate("15", "30", 3)),
    }
    # a second sea port so origin selection has a choice
    doc["places"].append({"code": "CNNGB", "name": "Ningbo", "country": "CN", "kind": "seaport"})
    for row in doc["inland"]:
        row["per_vehicle"] = draw(money(20000))
    doc["inland"].append(
        {"from_city": "Hangzhou", "to": "CNNGB", "mode": "*", "per_vehicle": draw(money(20000))}
    )
    for row in list(doc["origin"]):
        for key in ("export_clearance", "export_documents", "handling"):
            row[key] = draw(money(5000))
        if row["place"] == "CNSHA":
            doc["origin"].append(dict(row, place="CNNGB", handling=draw(money(5000))))
    for row in list(doc["main"]):
        for key in ("per_m3", "per_vehicle", "per_container"):
            if key in row:
                row[key] = draw(money(8000 if key == "per_container" else 300))
        if row["from"] == "CNSHA" and row["to"] == "AEJEA":
            twin = dict(row, **{"from": "CNNGB"})
            for key in ("per_m3", "per_container"):
                if key in twin:
                    twin[key] = draw(money(8000 if key == "per_container" else 300))
            doc["main"].append(twin)
    for row in doc["destination"]:
        row["unloading"], row["import_clearance"] = draw(money(1000)), draw(money(1000))
    for row in doc["onward"]:
        row["per_vehicle"] = draw(money(1000))
    for row in doc["duties"]:
        row["duty_pct"], row["vat_pct"] = draw(money(50, 1)), draw(money(30, 1))
    for row in doc["insurance"]:
        row["rate_pct"], row["min_premium"] = draw(money(3, 3)), draw(money(2000))
    for row in doc["inspection"]:
        row["per_vehicle"] = draw(money(2000))
    doc["platform_fee"] = {"pct": draw(money(5, 2)), "min": draw(money(3000))}
    return parse_rate_book(doc)


@st.composite
def items(draw: Any, max_length: int = 6000) -> tuple[QuoteItem, ...]:
    n = draw(st.integers(1, 3))
    out = []
    for i in range(n):
        v = car(
            i + 1,
            price=draw(rate("1000", "2000000", 2)),
            dims=(
                draw(st.integers(3000, max_length)),
                draw(st.integers(1500, 2100)),
                draw(st.integers(1300, 2000)),
            ),
            year=draw(st.integers(2005, 2026)),
            steering=draw(st.sampled_from(["LHD", "RHD"])),
        )
        out.append(QuoteItem(v, draw(st.integers(1, 5))))
    return tuple(out)


def _quote(book: Any, its: Any, term: str, mode: str, currency: str, **options: Any) -> Any:
    destination, _ = ROUTES[mode]
    return quote(
        request(
            *((i.vehicle, i.quantity) for i in its),
            incoterm=term,
            destination=destination,
            mode=mode,
            currency=currency,
            **options,
        ),
        book,
    )


@settings(max_examples=200, deadline=None)
@given(
    book=rate_books(),
    its=items(max_length=5400),
    term=st.sampled_from(sorted(INCOTERMS)),
    mode=st.sampled_from(sorted(ROUTES)),
    currency=st.sampled_from(CURRENCIES),
    insurance=st.booleans(),
    inspection=st.booleans(),
    named=st.booleans(),
)
def test_lines_always_add_up_to_the_total(
    book, its, term, mode, currency, insurance, inspection, named
):
    if INCOTERMS[term].sea_only and mode in ("rail", "truck"):
        mode = "roro"
    q = _quote(
        book,
        its,
        term,
        mode,
        currency,
        insurance=insurance,
        inspection=inspection,
        named_place=ROUTES[mode][1] if named else None,
    )
    assert q.total == sum(line.amount for line in q.lines)
    exponent = -minor_unit_digits(currency)
    assert all(line.amount.as_tuple().exponent == exponent for line in q.lines)
    assert all(line.amount >= 0 for line in q.lines)


@settings(max_examples=200, deadline=None)
@given(
    book=rate_books(),
    its=items(max_length=5400),
    sea_mode=st.sampled_from(["roro", "container"]),
    any_mode=st.sampled_from(sorted(ROUTES)),
    currency=st.sampled_from(CURRENCIES),
    inspection=st.booleans(),
)
def test_totals_grow_along_the_incoterm_chains(book, its, sea_mode, any_mode, currency, inspection):
    # EXW ≤ FCA ≤ FAS ≤ FOB ≤ CFR (uninsured) ≤ CIF, by sea
    sea = [_quote(book, its, t, sea_mode, currency, inspection=inspection).total for t in SEA_CHAIN]
    assert sea == sorted(sea), dict(zip(SEA_CHAIN, sea, strict=True))
    # CPT (uninsured) ≤ CIP ≤ DAP ≤ DPU ≤ DDP (insured ICC-A, with onward carriage), any mode
    named = ROUTES[any_mode][1]
    carriage = [
        _quote(
            book,
            its,
            t,
            any_mode,
            currency,
            inspection=inspection,
            named_place=named,
            insurance=(t != "CPT"),
        ).total
        for t in CARRIAGE_CHAIN
    ]
    assert carriage == sorted(carriage), dict(zip(CARRIAGE_CHAIN, carriage, strict=True))


@settings(max_examples=200, deadline=None)
@given(
    book=rate_books(),
    its=items(max_length=5400),
    term=st.sampled_from(sorted(INCOTERMS)),
    mode=st.sampled_from(sorted(ROUTES)),
    currency=st.sampled_from(CURRENCIES[1:]),
    insurance=st.booleans(),
)
def test_currency_changes_the_cny_total_by_rounding_only(
    book, its, term, mode, currency, insurance
):
    if INCOTERMS[term].sea_only and mode in ("rail", "truck"):
        mode = "roro"
    origin = None if term == "EXW" else ("CNHGS" if mode in ("rail", "truck") else "CNSHA")
    in_cny = _quote(book, its, term, mode, "CNY", insurance=insurance, origin=origin)
    in_x = _quote(book, its, term, mode, currency, insurance=insurance, origin=origin)
    n = len(in_cny.lines)
    fx = book.fx[currency]
    half_unit_x_in_cny = D(1).scaleb(-minor_unit_digits(currency)) / 2 * fx
    bound = n * half_unit_x_in_cny + n * D("0.005")
    assert abs(in_x.total * fx - in_cny.total) <= bound
