"""Origin selection (cheapest whole route, tie alphabetical); errors name what is missing."""

from decimal import Decimal

import pytest

from ex1000.pricing import Adjustment, QuoteError, QuoteErrorCode, apply_adjustments, quote

from .books import FULL, book, car, document, request

D = Decimal


def ports_book(ngb_per_m3: str = "40", sha_per_m3: str = "45", ngb_inland: str = "1200"):
    """Three Chinese ports for a Hangzhou car; CNTAO has no main carriage to Jebel Ali."""
    doc = document(
        FULL,
        places=[
            *FULL["places"],
            {"code": "CNNGB", "name": "Ningbo", "country": "CN", "kind": "seaport"},
            {"code": "CNTAO", "name": "Qingdao", "country": "CN", "kind": "seaport"},
        ],
        inland=[
            {"from_city": "Hangzhou", "to": "CNSHA", "mode": "*", "per_vehicle": "1200"},
            {"from_city": "Hangzhou", "to": "CNNGB", "mode": "*", "per_vehicle": ngb_inland},
            {"from_city": "Hangzhou", "to": "CNTAO", "mode": "*", "per_vehicle": "100"},
        ],
        origin=[
            {
                "place": p,
                "mode": "roro",
                "export_clearance": "800",
                "export_documents": "1500",
                "handling": "600",
            }
            for p in ("CNSHA", "CNNGB", "CNTAO")
        ],
        main=[
            {
                "from": "CNSHA",
                "to": "AEJEA",
                "mode": "roro",
                "per_m3": sha_per_m3,
                "currency": "USD",
            },
            {
                "from": "CNNGB",
                "to": "AEJEA",
                "mode": "roro",
                "per_m3": ngb_per_m3,
                "currency": "USD",
            },
        ],
    )
    return book(doc)


def test_origin_with_the_lowest_total_is_chosen():
    q = quote(request(incoterm="CFR"), ports_book(ngb_per_m3="40", sha_per_m3="45"))
    assert q.origin == "CNNGB"
    q = quote(request(incoterm="CFR"), ports_book(ngb_per_m3="50", sha_per_m3="45"))
    assert q.origin == "CNSHA"


def test_equal_totals_pick_the_alphabetically_first_code():
    q = quote(request(incoterm="CFR"), ports_book(ngb_per_m3="45", sha_per_m3="45"))
    assert q.origin == "CNNGB"  # CNNGB < CNSHA


def test_origin_choice_follows_the_term():
    """FOB stops before main carriage, so CNTAO (cheapest inland, no main rate) wins FOB;
    it cannot serve CFR, so CFR goes to the cheapest place with a main carriage rate."""
    b = ports_book()
    assert quote(request(incoterm="FOB"), b).origin == "CNTAO"
    assert quote(request(incoterm="CFR"), b).origin == "CNNGB"


def test_named_origin_is_used_even_when_dearer():
    q = quote(request(incoterm="CFR", origin="CNSHA"), ports_book(ngb_per_m3="40"))
    assert q.origin == "CNSHA"


def test_named_origin_without_a_rate_is_an_error_naming_the_route():
    with pytest.raises(QuoteError) as err:
        quote(request(incoterm="CFR", origin="CNTAO"), ports_book())
    assert err.value.code is QuoteErrorCode.MISSING_RATE
    assert err.value.notice.as_dict() == {
        "code": "missing_main_rate",
        "params": {"origin": "CNTAO", "destination": "AEJEA", "mode": "roro"},
    }


def test_no_origin_with_the_whole_route_names_every_gap():
    with pytest.raises(QuoteError) as err:
        quote(request(incoterm="CIF", destination="TZDAR"), ports_book())
    assert err.value.code is QuoteErrorCode.NO_ORIGIN
    assert [f.notice.as_dict() for f in err.value.failures] == [
        {
            "code": "missing_main_rate",
            "params": {"origin": port, "destination": "TZDAR", "mode": "roro"},
        }
        for port in ("CNNGB", "CNSHA", "CNTAO")
    ]


@pytest.mark.parametrize(
    ("req", "message"),
    [
        (
            request(car(city="Wuhan"), incoterm="FCA", origin="CNSHA"),
            ("missing_inland_rate", {"city": "Wuhan", "place": "CNSHA", "mode": "roro"}),
        ),
        (
            request(incoterm="FCA", mode="rail", destination="KZALA", origin="CNSHA"),
            ("missing_origin_rate", {"place": "CNSHA", "mode": "rail"}),
        ),
        (
            request(incoterm="DPU", destination="KEMBA", mode="roro", named_place="Nairobi"),
            ("missing_onward_rate", {"place": "KEMBA", "named_place": "Nairobi"}),
        ),
        (
            request(incoterm="DPU", destination="TZDAR", mode="roro"),
            ("missing_destination_rate", {"place": "TZDAR", "mode": "roro"}),
        ),
        (
            request(incoterm="CIF"),
            ("missing_insurance_rate", {"cover": "ICC-C"}),
        ),
    ],
)
def test_missing_rates_are_errors_never_zero(req, message):
    b = book(insurance=[]) if req.incoterm == "CIF" else book()
    with pytest.raises(QuoteError) as err:
        quote(req, b)
    assert (err.value.notice.code, dict(err.value.notice.params)) == message
    assert err.value.code is QuoteErrorCode.MISSING_RATE


def test_a_cover_the_book_does_not_have_is_an_unknown_cover():
    with pytest.raises(QuoteError) as err:
        quote(request(incoterm="CFR", insurance="ICC-B"), book())
    assert err.value.code is QuoteErrorCode.UNKNOWN_INSURANCE_COVER


def test_missing_duty_and_inspection_rates():
    with pytest.raises(QuoteError, match=r"missing_duty_rate\(country=AE\)"):
        quote(request(incoterm="DDP"), book(duties=[]))
    with pytest.raises(QuoteError, match="missing_inspection_rate"):
        quote(request(inspection=True), book(inspection=[], eligibility=[]))


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"destination": "XXNOP"}, QuoteErrorCode.UNKNOWN_PLACE),
        ({"origin": "XXNOP"}, QuoteErrorCode.UNKNOWN_PLACE),
        ({"mode": "air"}, QuoteErrorCode.UNKNOWN_MODE),
    ],
)
def test_bad_requests(changes, code):
    with pytest.raises(QuoteError) as err:
        quote(request(**changes), book())
    assert err.value.code is code


def test_bad_items():
    with pytest.raises(QuoteError, match="duplicate_vehicle"):
        quote(request(car(1), car(1)), book())
    with pytest.raises(QuoteError, match="invalid_quantity"):
        quote(request((car(1), 0)), book())


def test_inland_row_for_the_mode_beats_the_star_row():
    """Hangzhou → CNSHA: 1 200 for roro, 1 500 ("*") for container."""
    b = book()
    roro = quote(request(incoterm="FCA", currency="CNY"), b)
    box = quote(request(incoterm="FCA", mode="container", currency="CNY"), b)
    assert next(ln for ln in roro.lines if ln.code == "inland").amount == D("1200.00")
    assert next(ln for ln in box.lines if ln.code == "inland").amount == D("1500.00")


def test_city_and_named_place_match_ignoring_case_and_spaces():
    q = quote(request(car(city="  hangzhou "), incoterm="DAP", named_place="DUBAI"), book())
    assert {"inland", "onward"} <= {ln.code for ln in q.lines}


def test_adjustments_add_lines_and_keep_the_total_the_sum_of_lines():
    q = quote(request(incoterm="CIF"), book())
    revised = apply_adjustments(
        q, [Adjustment("Loyalty discount", D("-100.004")), Adjustment("Extra key", D("25"))]
    )
    added = revised.lines[-2:]
    assert [(ln.code, ln.label, ln.amount) for ln in added] == [
        ("adjustment", "Loyalty discount", D("-100.00")),
        ("adjustment", "Extra key", D("25.00")),
    ]
    assert revised.total == q.total - D("75.00")
    assert revised.total == sum(ln.amount for ln in revised.lines)
