"""Container packing (quoting.md step 3): fractions of a container per vehicle, whole
containers per type, the cheapest type, cost allocated in proportion to the fractions."""

from decimal import Decimal

import pytest

from ex1000.pricing import QuoteError, QuoteErrorCode, quote, size_class

from .books import FULL, book, car, document, request

D = Decimal


def dolphin(id: int) -> object:
    """BYD Dolphin 4290 × 1770 × 1570 mm: small."""
    return car(id, price="90000", dims=(4290, 1770, 1570), model="Dolphin")


def boxes(**prices: str) -> list[dict[str, str]]:
    rows = [r for r in FULL["main"] if r["mode"] != "container"]
    for container, price in prices.items():
        rows.append(
            {
                "from": "CNSHA",
                "to": "AEJEA",
                "mode": "container",
                "container": container.removeprefix("t"),
                "per_container": price,
                "currency": "USD",
            }
        )
    return rows


def main_lines(q):
    return [(ln.item, ln.quantity, ln.amount) for ln in q.lines if ln.code == "main_carriage"]


@pytest.mark.parametrize(
    ("length", "expected"),
    [(4400, "small"), (4401, "medium"), (4900, "medium"), (5400, "large"), (5401, "oversize")],
)
def test_size_class_boundaries(length, expected):
    assert size_class(length) == expected


def test_five_small_cars_40hq_beats_20gp_and_cost_is_allocated_by_fraction():
    """3 + 2 small cars. 40HQ takes 4 small: 3/4 + 2/4 = 5/4 → 2 containers × 2 600 = 5 200 USD.
    20GP takes 2 small: 3/2 + 2/2 = 5/2 → 3 containers × 1 900 = 5 700 USD. 40HQ is cheaper.
    Allocation: listing 1 gets (3/4)/(5/4) = 3/5 × 5 200 = 3 120; listing 2 gets 2/5 = 2 080."""
    q = quote(request((dolphin(1), 3), (dolphin(2), 2), incoterm="CFR", mode="container"), book())
    assert main_lines(q) == [(1, 3, D("3120.00")), (2, 2, D("2080.00"))]
    basis = q.lines[[ln.code for ln in q.lines].index("main_carriage")].source.basis
    assert basis["container"] == "40HQ" and basis["containers"] == "2"
    assert "20GP: 3 × 1900 USD" in basis["considered"]


def test_cheaper_20gp_wins_when_three_boxes_cost_less_than_two():
    """Same cars, 20GP at 1 500: 3 × 1 500 = 4 500 < 5 200 → 20GP; 3/5 → 2 700, 2/5 → 1 800."""
    q = quote(
        request((dolphin(1), 3), (dolphin(2), 2), incoterm="CFR", mode="container"),
        book(main=boxes(t40HQ="2600", t20GP="1500")),
    )
    assert main_lines(q) == [(1, 3, D("2700.00")), (2, 2, D("1800.00"))]
    main = next(ln for ln in q.lines if ln.code == "main_carriage")
    assert main.source.rows[0] == "main[5]"  # the 20GP row
    assert main.source.basis["container"] == "20GP"


def test_equal_cost_keeps_the_smaller_container():
    """40GP and 40HQ both take 4 small at 2 600: a tie, and 40GP comes before 40HQ."""
    doc = document(
        main=boxes(t40HQ="2600", t40GP="2600"),
        container_capacity=[
            *FULL["container_capacity"],
            {"container": "40GP", "size_class": "small", "vehicles": 4},
        ],
    )
    q = quote(request((dolphin(1), 4), incoterm="CFR", mode="container"), book(doc))
    main = next(ln for ln in q.lines if ln.code == "main_carriage")
    assert main.source.basis["container"] == "40GP"
    assert main.amount == D("2600.00")


def test_four_quarters_make_exactly_one_container():
    """4 × 1/4 = 1 exactly (fractions, not decimals): one 40HQ, 2 600 USD, not two."""
    q = quote(
        request(*(dolphin(i) for i in range(1, 5)), incoterm="CFR", mode="container"),
        book(main=boxes(t40HQ="2600")),
    )
    assert [amount for *_, amount in main_lines(q)] == [D("650.00")] * 4


def test_three_thirds_make_one_container_and_rounded_shares_still_add_up():
    """Three medium cars, 40HQ takes 3 medium: 3 × 1/3 = 1 container, 2 600 USD.
    Each share is 2 600 / 3 = 866.666… → 866.67, so the main carriage lines sum to 2 600.01:
    the total is the sum of the rounded lines."""
    q = quote(
        request(car(1), car(2), car(3), incoterm="CFR", mode="container"),
        book(main=boxes(t40HQ="2600")),
    )
    assert [amount for *_, amount in main_lines(q)] == [D("866.67")] * 3
    assert q.total == sum(ln.amount for ln in q.lines)


def test_mixed_sizes_use_each_vehicles_own_fraction():
    """2 small + 1 medium in 40HQ: 2/4 + 1/3 = 5/6 → 1 container, 2 600 USD.
    Shares: (1/2)/(5/6) = 3/5 → 1 560; (1/3)/(5/6) = 2/5 → 1 040.
    (20GP: 2/2 + 1/1 = 2 → 2 × 1 900 = 3 800, dearer.)"""
    q = quote(request((dolphin(1), 2), car(2), incoterm="CFR", mode="container"), book())
    assert main_lines(q) == [(1, 2, D("1560.00")), (2, 1, D("1040.00"))]


def test_vehicle_that_fits_no_container_is_refused_with_roro_suggested():
    pickup = car(9, dims=(5600, 2000, 1900), model="Big pickup")  # oversize
    with pytest.raises(QuoteError) as err:
        quote(request(pickup, incoterm="CFR", mode="container", origin="CNSHA"), book())
    assert err.value.code is QuoteErrorCode.NO_CONTAINER_FIT
    assert err.value.notice.params["size_classes"] == "oversize"  # the page suggests roro


def test_type_without_capacity_for_a_size_is_skipped():
    """A large car only fits the 40HQ (the 20GP has no large capacity) even if 20GP is cheap."""
    large = car(5, dims=(5100, 1950, 1800))
    q = quote(
        request(large, incoterm="CFR", mode="container"), book(main=boxes(t40HQ="2600", t20GP="10"))
    )
    main = next(ln for ln in q.lines if ln.code == "main_carriage")
    assert main.source.basis["container"] == "40HQ"
    assert main.amount == D("2600.00")  # 1/2 of a 40HQ → ceil = 1 container


def test_missing_container_rate_names_the_route():
    with pytest.raises(QuoteError) as err:
        quote(
            request(incoterm="CFR", mode="container", destination="KEMBA", origin="CNSHA"), book()
        )
    assert err.value.code is QuoteErrorCode.MISSING_RATE
    assert err.value.notice.as_dict() == {
        "code": "missing_main_rate",
        "params": {"origin": "CNSHA", "destination": "KEMBA", "mode": "container"},
    }
