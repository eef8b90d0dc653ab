"""Worked examples checked by hand (the arithmetic is in the comments; docs/pricing.md has the
same examples). Every expected figure here was computed on paper from quoting.md, not by the
engine."""

from datetime import date
from decimal import Decimal

import pytest

from ex1000.pricing import QuoteError, QuoteErrorCode, quote

from .books import FULL, SPEC_EXAMPLE, book, by_code, car, document, request

D = Decimal
SPEC_BOOK = book(SPEC_EXAMPLE)
FULL_BOOK = book()


def amounts(q):
    return [(line.code, line.item, line.amount) for line in q.lines]


def test_byd_song_plus_cif_jebel_ali_by_roro_in_usd():
    """One BYD Song Plus, 4775 × 1890 × 1670 mm, 118 000 CNY in Hangzhou; CIF Jebel Ali by
    RoRo, quoted in USD, with the example rate book of quoting.md (USD = 7.10 CNY).

    1. vehicle_price = 118 000 CNY
       platform_fee  = max(1.5 % × 118 000 = 1 770, 500) = 1 770 CNY
    2. inland   Hangzhou → CNSHA roro            = 1 200 CNY
       export   800 + 1 500                      = 2 300 CNY
       handling                                  =   600 CNY
    3. volume   4.775 × 1.890 × 1.670            = 15.0713325 m³ (not rounded)
       main     45 USD × 15.0713325              = 678.2099625 USD (= 4 815.29073375 CNY)
    5. B = 118 000 + 1 770 + 1 200 + 2 300 + 600 + 4 815.29073375 = 128 685.29073375 CNY
       CIF → ICC-C, r = 0.3 % = 0.003, 1.1 r = 0.0033
       premium = 128 685.29073375 × 0.0033 / (1 − 0.0033)
               = 424.661459421375 / 0.9967 = 426.06748211… CNY  (> min 200)
    6. in USD (÷ 7.10), each line rounded half-up to cents:
       118 000 / 7.10 = 16 619.7183… → 16 619.72
         1 770 / 7.10 =    249.2957… →    249.30
         1 200 / 7.10 =    169.0140… →    169.01
         2 300 / 7.10 =    323.9436… →    323.94
           600 / 7.10 =     84.5070… →     84.51
       678.2099625 USD                →    678.21
       426.06748… / 7.10 = 60.0095…  →     60.01
       total = sum of rounded lines   = 18 184.70
    """
    q = quote(request(car(), incoterm="CIF", destination="AEJEA", mode="roro"), SPEC_BOOK)
    assert amounts(q) == [
        ("vehicle_price", 1, D("16619.72")),
        ("platform_fee", 1, D("249.30")),
        ("inland", 1, D("169.01")),
        ("export", 1, D("323.94")),
        ("handling", 1, D("84.51")),
        ("main_carriage", 1, D("678.21")),
        ("insurance", None, D("60.01")),
    ]
    assert q.total == D("18184.70")
    assert (q.origin, q.destination, q.currency, q.incoterm, q.mode) == (
        "CNSHA",
        "AEJEA",
        "USD",
        "CIF",
        "roro",
    )
    assert q.rate_book_version == "2026-11-A"
    assert q.valid_until == date(2026, 11, 17)  # 10 Nov + 7 days, before valid_to 31 Dec
    assert q.eligible and q.reasons == () and q.warnings == ()

    main = q.lines[5]
    assert main.source.table == "main" and main.source.rows == ("main[0]",)
    assert main.source.currency == "USD"
    assert D(main.source.basis["volume_m3"]) == D("15.0713325")
    insurance = q.lines[6]
    assert insurance.source.rows == ("insurance[0]",)  # ICC-C
    assert D(insurance.source.basis["insured_base_cny"]) == D("128685.29073375")
    assert insurance.source.fx["USD"] == D("7.10") and insurance.source.fx["CNY"] == 1
    assert q.lines[0].source.rate_book_version == "2026-11-A"


def test_minimum_fee_and_minimum_premium_and_half_up_on_a_half_fen():
    """A small car (3000 × 1500 × 1500 mm) at 20 000 CNY, CIP Jebel Ali by RoRo, in CNY.

    platform_fee = max(1.5 % × 20 000 = 300, 500) = 500 (the minimum)
    main  = 45 USD × (3 × 1.5 × 1.5 = 6.75 m³) = 303.75 USD = 2 156.625 CNY
            → rounded half-up to 2 156.63 (half-even would give 2 156.62)
    B     = 20 000 + 500 + 1 200 + 2 300 + 600 + 2 156.625 = 26 756.625
    CIP → ICC-A, r = 0.005: 26 756.625 × 0.0055 / 0.9945 = 147.975… < min 300 → premium 300
    total = 20 000 + 500 + 1 200 + 2 300 + 600 + 2 156.63 + 300 = 27 056.63
    """
    small = car(price="20000", dims=(3000, 1500, 1500))
    q = quote(request(small, incoterm="CIP", currency="CNY"), SPEC_BOOK)
    assert by_code(q) == {
        "vehicle_price": D("20000.00"),
        "platform_fee": D("500.00"),
        "inland": D("1200.00"),
        "export": D("2300.00"),
        "handling": D("600.00"),
        "main_carriage": D("2156.63"),
        "insurance": D("300.00"),
    }
    assert q.total == D("27056.63")
    fee, insurance = q.lines[1], q.lines[-1]
    assert fee.source.basis["applied"] == "min"
    assert insurance.source.basis["applied"] == "min_premium"
    assert insurance.source.basis["cover"] == "ICC-A"


def test_ddp_almaty_by_truck_with_duty_and_vat_in_cny():
    """A Haval H6 (4653 × 1886 × 1730) at 100 000 CNY in Xi'an; DDP Almaty by truck, onward to
    Astana, insured (ICC-A), quoted in CNY.

    vehicle 100 000; fee 1.5 % = 1 500; inland Xi'an → CNHGS ("*" row) 3 000;
    export 700 + 300 = 1 000; handling 200; main 900 USD × 7.10 = 6 390
    B       = 100 000 + 1 500 + 3 000 + 1 000 + 200 + 6 390 = 112 090
    premium = 112 090 × 0.0055 / 0.9945 = 616.495 / 0.9945 = 619.904474… → 619.90
    onward 400 USD = 2 840; unloading 50 USD = 355; import clearance 200 USD = 1 420
    CV      = B + premium = 112 709.904474…
    duty    = CV × 15 % = 16 906.485671… → 16 906.49
    VAT     = (CV + duty) × 12 % = 129 616.390145… × 0.12 = 15 553.966817… → 15 553.97
    total   = 100 000 + 1 500 + 3 000 + 1 000 + 200 + 6 390 + 619.90 + 2 840 + 355
              + 1 420 + 16 906.49 + 15 553.97 = 149 785.36
    """
    haval = car(
        7,
        price="100000",
        city="Xi'an",
        dims=(4653, 1886, 1730),
        make="Haval",
        model="H6",
        year=2023,
    )
    q = quote(
        request(
            haval,
            incoterm="DDP",
            destination="KZALA",
            mode="truck",
            currency="CNY",
            insurance=True,
            named_place="Astana",
        ),
        FULL_BOOK,
    )
    assert amounts(q) == [
        ("vehicle_price", 7, D("100000.00")),
        ("platform_fee", 7, D("1500.00")),
        ("inland", 7, D("3000.00")),
        ("export", 7, D("1000.00")),
        ("handling", 7, D("200.00")),
        ("main_carriage", 7, D("6390.00")),
        ("insurance", None, D("619.90")),
        ("onward", 7, D("2840.00")),
        ("unloading", 7, D("355.00")),
        ("import_clearance", 7, D("1420.00")),
        ("duty", None, D("16906.49")),
        ("vat", None, D("15553.97")),
    ]
    assert q.total == D("149785.36")
    assert q.origin == "CNHGS"
    duty = q.lines[10]
    assert duty.source.rows == ("duties[1]",)
    assert D(duty.source.basis["customs_value_cny"]).quantize(D("0.000001")) == D("112709.904475")


def test_ddp_without_insurance_uses_b_as_customs_value():
    """Same car, DDP uninsured, no named place: CV = B = 112 090;
    duty = 16 813.50; VAT = (112 090 + 16 813.5) × 12 % = 15 468.42."""
    haval = car(7, price="100000", city="Xi'an", dims=(4653, 1886, 1730))
    q = quote(
        request(haval, incoterm="DDP", destination="KZALA", mode="truck", currency="CNY"),
        FULL_BOOK,
    )
    codes = by_code(q)
    assert codes["duty"] == D("16813.50")
    assert codes["vat"] == D("15468.42")
    assert "insurance" not in codes and "onward" not in codes
    # 112 090 + 355 + 1 420 + 16 813.50 + 15 468.42
    assert q.total == D("146146.92")


def test_jpy_has_no_minor_unit_and_rounds_half_up():
    """EXW in JPY (1 JPY = 0.048 CNY), a listing at 99 999.96 CNY:
    99 999.96 / 0.048 = 2 083 332.5 → 2 083 333 (half-up; half-even would keep …332)
    fee 1.5 % = 1 499.9994 → / 0.048 = 31 249.9875 → 31 250
    total 2 114 583 JPY."""
    q = quote(request(car(price="99999.96"), incoterm="EXW", currency="JPY"), FULL_BOOK)
    assert amounts(q) == [
        ("vehicle_price", 1, D("2083333")),
        ("platform_fee", 1, D("31250")),
    ]
    assert q.total == D("2114583")
    assert q.total.as_tuple().exponent == 0


def test_kwd_has_three_decimals_and_rounds_half_up():
    """EXW in KWD (1 KWD = 23.2 CNY), a listing at 116 000.29 CNY:
    116 000.29 / 23.2 = 5 000.0125 → 5 000.013 (half-up)
    fee 1 740.00435 / 23.2 = 75.0001875 → 75.000
    total 5 075.013 KWD."""
    q = quote(request(car(price="116000.29"), incoterm="EXW", currency="KWD"), FULL_BOOK)
    assert amounts(q) == [
        ("vehicle_price", 1, D("5000.013")),
        ("platform_fee", 1, D("75.000")),
    ]
    assert q.total == D("5075.013")


def test_quantity_multiplies_per_vehicle_lines():
    """Two of the same BYD, CIF, USD: every per-vehicle line is × 2 before rounding
    (volume 15.0713325 × 2 × 45 = 1 356.419925 USD → 1 356.42)."""
    q = quote(request((car(), 2), incoterm="CIF"), SPEC_BOOK)
    main = next(ln for ln in q.lines if ln.code == "main_carriage")
    assert (main.quantity, main.unit_amount, main.amount) == (2, D("678.21"), D("1356.42"))
    price = q.lines[0]
    assert (price.quantity, price.amount) == (2, D("33239.44"))  # 236 000 / 7.10


def test_eligibility_rules_of_the_destination_country():
    """Kenya: at most 8 years old, right-hand drive only, pre-shipment inspection required.
    A 2015 left-hand-drive car quoted on 10 Nov 2026 (age 11) breaks two rules: still priced,
    not eligible, one reason per broken rule. The inspection is added although not asked for,
    at the Kenyan row (450) which beats the "*" row (300)."""
    old = car(3, year=2015, steering="LHD")
    q = quote(request(old, incoterm="CFR", destination="KEMBA", currency="CNY"), FULL_BOOK)
    assert not q.eligible
    assert len(q.reasons) == 2
    assert [r.as_dict() for r in q.reasons] == [
        {
            "code": "too_old",
            "params": {
                "vehicle_id": "3",
                "vehicle": old.params["vehicle"],
                "age": 11,
                "country": "KE",
                "max_age": 8,
            },
        },
        {
            "code": "steering_not_admitted",
            "params": {
                "vehicle_id": "3",
                "vehicle": old.params["vehicle"],
                "steering": "LHD",
                "country": "KE",
                "allowed": "RHD",
            },
        },
    ]
    inspection = next(ln for ln in q.lines if ln.code == "inspection")
    assert inspection.amount == D("450.00")
    assert inspection.source.rows == ("inspection[1]",)

    fine = car(4, year=2020, steering="RHD")  # age 6, RHD
    q = quote(request(fine, incoterm="CFR", destination="KEMBA", currency="CNY"), FULL_BOOK)
    assert q.eligible and q.reasons == ()


def test_inspection_asked_uses_the_star_row_elsewhere():
    q = quote(request(incoterm="FOB", inspection=True, currency="CNY"), FULL_BOOK)
    inspection = next(ln for ln in q.lines if ln.code == "inspection")
    assert inspection.amount == D("300.00")
    assert inspection.source.rows == ("inspection[0]",)


def test_valid_until_is_capped_by_the_rate_book():
    q = quote(request(quote_date=date(2026, 12, 28)), SPEC_BOOK)
    assert q.valid_until == date(2026, 12, 31)


def test_quote_dated_after_the_rate_book_is_priced_but_born_expired_and_warned():
    """valid_until = min(2 Jan 2027 + 7, 31 Dec 2026) = 31 Dec 2026, before the quote date."""
    q = quote(request(quote_date=date(2027, 1, 2)), SPEC_BOOK)
    assert q.valid_until == date(2026, 12, 31)
    assert [w.code for w in q.warnings] == ["rate_book_not_in_force"]
    assert q.warnings[0].params["date"] == "2027-01-02"


def test_line_amounts_in_rate_currency_convert_through_cny():
    """A EUR quote of a USD rate:
    678.2099625 USD × 7.10 / 7.70 = 4 815.29073375 / 7.70 = 625.3624… EUR → 625.36."""
    q = quote(request(incoterm="CFR", currency="EUR"), SPEC_BOOK)
    main = next(ln for ln in q.lines if ln.code == "main_carriage")
    assert main.amount == D("625.36")
    assert main.source.fx == {"EUR": D("7.70"), "USD": D("7.10")}


def test_unknown_quote_currency_is_refused():
    with pytest.raises(QuoteError) as err:
        quote(request(currency="GBP"), SPEC_BOOK)
    assert err.value.code is QuoteErrorCode.UNKNOWN_CURRENCY


def test_platform_fee_minimum_in_another_currency_is_compared_in_cny():
    """Fee minimum 100 USD = 710 CNY beats 1.5 % × 20 000 = 300 CNY → 710 CNY."""
    doc = document(FULL, platform_fee={"pct": "1.5", "min": "100", "currency": "USD"})
    q = quote(request(car(price="20000"), incoterm="EXW", currency="CNY"), book(doc))
    assert by_code(q)["platform_fee"] == D("710.00")
