"""GET /places, GET /incoterms and POST /quotes/estimate: the worked examples of
docs/pricing.md through the API, every refusal as problem JSON naming its cause, and labels
in the reader's language."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ex1000.catalog.models import ListingStatus
from ex1000.quotes.rate_books import import_rate_book
from tests.factories import BuyerFactory, VehicleFactory
from tests.helpers import assert_problem
from tests.quotes.conftest import book_document

pytestmark = pytest.mark.django_db

QUOTE_FIELDS = {
    "id",
    "version",
    "incoterm",
    "mode",
    "origin",
    "destination",
    "named_place",
    "insurance",
    "inspection",
    "currency",
    "lines",
    "total",
    "valid_until",
    "eligible",
    "reasons",
    "warnings",
    "reason_codes",
    "warning_codes",
    "incoterm_place",
    "rate_book_version",
}
LINE_FIELDS = {"code", "label", "item", "quantity", "unit_amount", "amount", "currency", "source"}


def estimate(api, *vehicles, quantity=1, headers=None, **options):
    body = {
        "items": [
            {"vehicle_id": v.pk, "quantity": q}
            for v, q in ((v if isinstance(v, tuple) else (v, quantity)) for v in vehicles)
        ],
        "incoterm": "CIF",
        "destination": "AEJEA",
        "mode": "roro",
        "currency": "USD",
        **options,
    }
    return api.post("quotes/estimate", body, headers=headers)


def amounts(body) -> dict[str, str]:
    """Line amounts by code (one line per code in these examples)."""
    out = {}
    for line in body["lines"]:
        assert line["code"] not in out or line["item"] is not None
        out[line["code"]] = line["amount"]
    return out


def by_code(body) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for line in body["lines"]:
        out[line["code"]] = out.get(line["code"], Decimal(0)) + Decimal(line["amount"])
    return out


# --- worked examples (docs/pricing.md) -----------------------------------------------------


def test_example_1_cif_jebel_ali_by_roro_in_usd(api, rate_book):
    car = VehicleFactory()  # BYD Song Plus 4775 × 1890 × 1670 mm, 118 000 CNY, Hangzhou
    response = estimate(api, car)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == QUOTE_FIELDS
    assert all(set(line) == LINE_FIELDS for line in body["lines"])
    assert amounts(body) == {
        "vehicle_price": "16619.72",
        "platform_fee": "249.30",
        "inland": "169.01",
        "export": "323.94",
        "handling": "84.51",
        "main_carriage": "678.21",
        "insurance": "60.01",
    }
    assert body["total"] == {"amount": "18184.70", "currency": "USD"}
    assert body["currency"] == "USD"
    assert (body["id"], body["version"]) == (None, None)
    assert (body["incoterm"], body["mode"], body["origin"], body["destination"]) == (
        "CIF",
        "roro",
        "CNSHA",
        "AEJEA",
    )
    assert body["rate_book_version"] == "TEST-1"
    assert body["valid_until"] == (timezone.now().date() + timedelta(days=7)).isoformat()
    assert body["eligible"] is True and body["reasons"] == []
    main = next(line for line in body["lines"] if line["code"] == "main_carriage")
    assert main["source"]["table"] == "main" and main["source"]["rows"] == ["main[0]"]
    assert main["source"]["basis"]["volume_m3"] == "15.0713325"
    assert main["source"]["rate_book_version"] == "TEST-1"
    insurance = next(line for line in body["lines"] if line["code"] == "insurance")
    assert insurance["item"] is None and insurance["source"]["basis"]["cover"] == "ICC-C"


def test_example_2_minimum_fee_minimum_premium_half_up_cip_in_cny(api, rate_book):
    car = VehicleFactory(length_mm=3000, width_mm=1500, height_mm=1500, price=Decimal("20000"))
    body = estimate(api, car, incoterm="CIP", currency="CNY").json()
    assert amounts(body)["platform_fee"] == "500.00"
    assert amounts(body)["main_carriage"] == "2156.63"
    assert amounts(body)["insurance"] == "300.00"
    assert body["total"] == {"amount": "27056.63", "currency": "CNY"}


def test_example_3_ddp_almaty_by_truck_insured_onward_to_astana(api, rate_book):
    car = VehicleFactory(make="Haval", model="H6", price=Decimal("100000"), city="Xi'an")
    body = estimate(
        api,
        car,
        incoterm="DDP",
        destination="KZALA",
        mode="truck",
        currency="CNY",
        insurance=True,
        named_place="Astana",
    ).json()
    assert amounts(body) == {
        "vehicle_price": "100000.00",
        "platform_fee": "1500.00",
        "inland": "3000.00",
        "export": "1000.00",
        "handling": "200.00",
        "main_carriage": "6390.00",
        "insurance": "619.90",
        "onward": "2840.00",
        "unloading": "355.00",
        "import_clearance": "1420.00",
        "duty": "16906.49",
        "vat": "15553.97",
    }
    assert body["total"]["amount"] == "149785.36"
    assert body["origin"] == "CNHGS" and body["named_place"] == "Astana"


def test_example_4_container_packing_and_allocation(api, rate_book):
    three = VehicleFactory(length_mm=4300, quantity=3)
    two = VehicleFactory(length_mm=4300, quantity=2)
    body = estimate(api, (three, 3), (two, 2), incoterm="CFR", mode="container").json()
    main = {line["item"]: line for line in body["lines"] if line["code"] == "main_carriage"}
    assert main[three.pk]["amount"] == "3120.00" and main[two.pk]["amount"] == "2080.00"
    assert main[three.pk]["source"]["basis"]["container"] == "40HQ"
    assert main[three.pk]["source"]["basis"]["containers"] == "2"

    mediums = [VehicleFactory(length_mm=4775) for _ in range(3)]
    body = estimate(api, *mediums, incoterm="CFR", mode="container").json()
    shares = [line["amount"] for line in body["lines"] if line["code"] == "main_carriage"]
    assert shares == ["866.67", "866.67", "866.67"]
    assert by_code(body)["main_carriage"] == Decimal("2600.01")
    assert sum(Decimal(line["amount"]) for line in body["lines"]) == Decimal(
        body["total"]["amount"]
    )


def test_example_5_currencies_without_and_with_three_decimals(api, rate_book):
    car = VehicleFactory(price=Decimal("99999.96"))
    body = estimate(api, car, incoterm="EXW", currency="JPY").json()
    assert amounts(body) == {"vehicle_price": "2083333", "platform_fee": "31250"}
    assert body["total"] == {"amount": "2114583", "currency": "JPY"}
    assert body["origin"] is None
    assert body["warnings"] == ["Under EXW the buyer must arrange export clearance."]

    car = VehicleFactory(price=Decimal("116000.29"))
    body = estimate(api, car, incoterm="EXW", currency="KWD").json()
    assert amounts(body) == {"vehicle_price": "5000.013", "platform_fee": "75.000"}
    assert body["total"] == {"amount": "5075.013", "currency": "KWD"}


# --- options -------------------------------------------------------------------------------


def test_kenya_requires_the_inspection_and_rhd_so_an_lhd_car_is_priced_but_not_eligible(
    api, rate_book
):
    car = VehicleFactory(year=2022, steering="LHD")
    body = estimate(api, car, destination="KEMBA", incoterm="CFR").json()
    inspection = next(line for line in body["lines"] if line["code"] == "inspection")
    assert inspection["amount"] == "63.38"  # KE row: 450 CNY, not the "*" row's 300
    assert inspection["source"]["rows"] == ["inspection[1]"]
    assert body["eligible"] is False
    assert len(body["reasons"]) == 1 and "right-hand drive" in body["reasons"][0]

    old = VehicleFactory(year=2010, steering="RHD")
    body = estimate(api, old, destination="KEMBA", incoterm="CFR").json()
    assert body["eligible"] is False and "years old" in body["reasons"][0]

    fine = VehicleFactory(year=timezone.now().year - 2, steering="RHD")
    body = estimate(api, fine, destination="KEMBA", incoterm="CFR").json()
    assert body["eligible"] is True and body["reasons"] == []


def test_inspection_asked_for_and_insurance_cover_named(api, rate_book):
    car = VehicleFactory()
    body = estimate(api, car, incoterm="CFR", inspection=True, insurance="ICC-C").json()
    inspection = next(line for line in body["lines"] if line["code"] == "inspection")
    assert inspection["amount"] == "42.25"  # 300 CNY, the "*" row
    insurance = next(line for line in body["lines"] if line["code"] == "insurance")
    assert insurance["source"]["basis"]["cover"] == "ICC-C"
    assert body["inspection"] is True and body["insurance"] == "ICC-C"

    plain = estimate(api, car, incoterm="CFR").json()
    assert "insurance" not in by_code(plain) and "inspection" not in by_code(plain)
    insured = estimate(api, car, incoterm="CFR", insurance=True).json()
    cover = next(line for line in insured["lines"] if line["code"] == "insurance")
    assert cover["source"]["basis"]["cover"] == "ICC-A"


def test_named_place_only_under_the_delivered_terms(api, rate_book):
    car = VehicleFactory()
    dap = estimate(api, car, incoterm="DAP", named_place="Dubai").json()
    assert by_code(dap)["onward"] == Decimal("150.00")
    cif = estimate(api, car, incoterm="CIF", named_place="Dubai").json()
    assert "onward" not in by_code(cif)
    assert any("Dubai" in w for w in cif["warnings"])


def test_quantity_multiplies_and_lines_add_up(api, rate_book):
    car = VehicleFactory(quantity=4)
    one = estimate(api, car, incoterm="FOB").json()
    four = estimate(api, car, quantity=4, incoterm="FOB").json()
    for code in ("vehicle_price", "platform_fee", "inland", "export", "handling"):
        assert abs(by_code(four)[code] - 4 * by_code(one)[code]) <= Decimal("0.02")
    for body in (one, four):
        assert sum(Decimal(line["amount"]) for line in body["lines"]) == Decimal(
            body["total"]["amount"]
        )


def test_a_signed_in_buyer_gets_their_currency_by_default(client, login_api, rate_book):
    buyer = BuyerFactory(currency="EUR")
    car = VehicleFactory()
    body = login_api(buyer).post(
        "quotes/estimate",
        {"items": [{"vehicle_id": car.pk}], "incoterm": "FOB", "destination": "AEJEA"},
    )
    assert body.status_code == 200
    assert body.json()["currency"] == "EUR"
    # A preferred currency the rate book cannot convert to falls back to USD.
    other = BuyerFactory(currency="UZS")
    body = login_api(other).post(
        "quotes/estimate",
        {"items": [{"vehicle_id": car.pk}], "incoterm": "FOB", "destination": "AEJEA"},
    )
    assert body.json()["currency"] == "USD"


def test_anonymous_default_currency_is_usd(api, rate_book):
    car = VehicleFactory()
    response = api.post(
        "quotes/estimate",
        {"items": [{"vehicle_id": car.pk}], "incoterm": "cif", "destination": "aejea"},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["currency"], body["incoterm"], body["destination"]) == ("USD", "CIF", "AEJEA")


def test_named_origin_is_used(api, rate_book):
    car = VehicleFactory(city="Xi'an")
    body = estimate(api, car, incoterm="CPT", mode="rail", destination="KZALA", origin="CNHGS")
    assert body.status_code == 200 and body.json()["origin"] == "CNHGS"


def test_origin_tie_goes_to_the_alphabetical_code_and_container_tie_to_the_smaller(api):
    document = book_document("TIE-1")
    document["places"].append(
        {"code": "CNNGB", "name": "Ningbo", "country": "CN", "kind": "seaport"}
    )
    document["inland"].append(
        {"from_city": "Hangzhou", "to": "CNNGB", "mode": "roro", "per_vehicle": "1200"}
    )
    document["origin"].append(
        {
            "place": "CNNGB",
            "mode": "roro",
            "export_clearance": "800",
            "export_documents": "1500",
            "handling": "600",
        }
    )
    document["main"].append(
        {"from": "CNNGB", "to": "AEJEA", "mode": "roro", "per_m3": "45", "currency": "USD"}
    )
    document["main"].append(
        {
            "from": "CNSHA",
            "to": "AEJEA",
            "mode": "container",
            "container": "40GP",
            "per_container": "2600",
            "currency": "USD",
        }
    )
    document["container_capacity"].append(
        {"container": "40GP", "size_class": "large", "vehicles": 2}
    )
    import_rate_book(document=document)
    car = VehicleFactory()
    body = estimate(api, car).json()
    assert body["origin"] == "CNNGB"  # same total as CNSHA: the first code wins
    assert body["total"]["amount"] == "18184.70"
    large = VehicleFactory(length_mm=5000)  # no 20GP takes it; 40GP and 40HQ both 2 per box
    boxed = estimate(api, large, mode="container", origin="CNSHA", incoterm="CFR").json()
    main = next(line for line in boxed["lines"] if line["code"] == "main_carriage")
    assert main["source"]["basis"]["container"] == "40GP"  # 40GP = 40HQ: the smaller


# --- refusals ------------------------------------------------------------------------------


def test_sea_only_term_by_rail_points_to_fca_cpt_cip(api, rate_book):
    car = VehicleFactory(city="Xi'an")
    for term in ("FAS", "FOB", "CFR", "CIF"):
        response = estimate(api, car, incoterm=term, mode="rail", destination="KZALA")
        body = assert_problem(response, 422, "incoterm")
        assert body["type"].endswith("/term_not_for_mode")
        assert all(t in body["detail"] for t in ("FCA", "CPT", "CIP")), body["detail"]


def test_no_container_fit_suggests_roro(api, rate_book):
    oversize = VehicleFactory(length_mm=5600)
    response = estimate(api, oversize, mode="container", incoterm="CFR")
    body = assert_problem(response, 422, "mode")
    assert body["type"].endswith("/no_container_fit")
    assert "roro" in body["detail"].lower()
    named = estimate(api, oversize, mode="container", incoterm="CFR", origin="CNSHA")
    assert "roro" in assert_problem(named, 422, "mode")["detail"].lower()


@pytest.mark.parametrize(
    ("options", "route"),
    [
        ({"incoterm": "CFR", "destination": "KZALA"}, ("CNSHA", "KZALA", "roro")),
        (
            {"incoterm": "CFR", "destination": "KEMBA", "mode": "container", "origin": "CNSHA"},
            ("CNSHA", "KEMBA", "ontainer"),
        ),
        ({"incoterm": "DAP", "named_place": "Atlantis"}, ("AEJEA", "Atlantis")),
        ({"incoterm": "DPU", "destination": "TZDAR"}, ("TZDAR",)),
    ],
)
def test_a_missing_rate_names_the_route(api, rate_book, options, route):
    response = estimate(api, VehicleFactory(), **options)
    body = assert_problem(response, 422)
    assert all(part.lower() in body["detail"].lower() for part in route), body["detail"]


def test_a_city_without_inland_rates_is_refused_naming_it(api, rate_book):
    response = estimate(api, VehicleFactory(city="Lhasa"))
    body = assert_problem(response, 422)
    assert "Lhasa" in body["detail"]


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"destination": "ZZZZZ"}, "destination"),
        ({"origin": "ZZZZZ"}, "origin"),
        ({"currency": "GBP"}, "currency"),  # ISO 4217, but no fx rate in the book
        ({"currency": "ZZZ"}, "currency"),
        ({"incoterm": "FOX"}, "incoterm"),
        ({"incoterm": ""}, "incoterm"),
        ({"mode": "air"}, "mode"),
        ({"insurance": "ICC-B"}, "insurance"),
        ({"named_place": "x" * 101}, "named_place"),
    ],
)
def test_bad_options_name_the_field(api, rate_book, options, field):
    body = assert_problem(estimate(api, VehicleFactory(), **options), 422, field)
    assert body["detail"]


def test_bad_items_name_the_item(api, rate_book):
    car = VehicleFactory(quantity=2)
    draft = VehicleFactory(status=ListingStatus.DRAFT, published_at=None)
    assert_problem(estimate(api, car, quantity=0), 422, "items.0.quantity")
    body = assert_problem(estimate(api, car, quantity=3), 422, "items.0.quantity")
    assert "only 2 available" in body["detail"]
    body = assert_problem(estimate(api, draft), 422, "items.0.vehicle_id")
    assert str(draft.pk) in body["detail"]
    body = assert_problem(
        api.post(
            "quotes/estimate",
            {"items": [{"vehicle_id": 987654}], "incoterm": "CIF", "destination": "AEJEA"},
        ),
        422,
        "items.0.vehicle_id",
    )
    assert "987654" in body["detail"]
    assert_problem(
        api.post("quotes/estimate", {"items": [], "incoterm": "CIF", "destination": "AEJEA"}),
        422,
        "items",
    )
    twice = api.post(
        "quotes/estimate",
        {
            "items": [{"vehicle_id": car.pk}, {"vehicle_id": car.pk}],
            "incoterm": "CIF",
            "destination": "AEJEA",
        },
    )
    assert_problem(twice, 422, "items.1.vehicle_id")


def test_a_listing_the_engine_cannot_measure_is_refused_naming_it(api, rate_book):
    flat = VehicleFactory(height_mm=0)
    body = assert_problem(estimate(api, flat), 422)
    assert body["type"].endswith("/invalid_request")
    assert str(flat.pk) in body["detail"] and "dimensions" in body["detail"]


def test_no_rate_book_is_a_problem_not_a_crash(api):
    car = VehicleFactory()
    body = assert_problem(estimate(api, car), 503)
    assert "rate book" in body["detail"]


def test_garbage_is_refused_as_problem_json(api, rate_book):
    for payload in ({}, {"items": "x"}, {"items": [{"vehicle_id": "x"}]}, {"items": [None]}):
        response = api.post("quotes/estimate", payload)
        assert response.status_code == 422
        assert response["Content-Type"].startswith("application/problem+json")


# --- language ------------------------------------------------------------------------------


def test_labels_follow_accept_language(api, rate_book):
    car = VehicleFactory()
    english = estimate(api, car).json()
    chinese = estimate(api, car, headers={"Accept-Language": "zh-hans"}).json()
    labels = {line["code"]: line["label"] for line in chinese["lines"]}
    assert labels["vehicle_price"] == "车辆价格"
    assert labels["platform_fee"] == "平台服务费"
    assert labels["insurance"] == "货物保险"
    assert {line["code"]: line["label"] for line in english["lines"]}["vehicle_price"] == (
        "Vehicle price"
    )
    assert chinese["total"] == english["total"]


# --- reference data ------------------------------------------------------------------------


def test_places_of_the_book_in_force(api, rate_book):
    response = api.get("places")
    assert response.status_code == 200
    places = {p["code"]: p for p in response.json()}
    assert set(places) == {"CNSHA", "CNHGS", "AEJEA", "KEMBA", "TZDAR", "KZALA"}
    assert places["AEJEA"] == {
        "code": "AEJEA",
        "name": "Jebel Ali",
        "country": "AE",
        "kind": "seaport",
        "origin": False,
        "destination": True,
    }
    destinations = {p["code"] for p in api.get("places", {"role": "destination"}).json()}
    assert destinations == {"AEJEA", "KEMBA", "KZALA"}
    origins = {p["code"] for p in api.get("places", {"role": "origin"}).json()}
    assert origins == {"CNSHA", "CNHGS"}
    dry = {p["code"] for p in api.get("places", {"kind": "dry port"}).json()}
    assert dry == {"KZALA"}
    assert_problem(api.get("places", {"role": "everywhere"}), 422, "role")


def test_places_follow_the_newest_book(api, rate_book, demo_rate_book):
    codes = {p["code"] for p in api.get("places", {"role": "destination"}).json()}
    assert {"NGLOS", "BRSSZ", "UZTAS"} <= codes


def test_no_places_before_the_first_import(api, db):
    assert api.get("places").json() == []


def test_incoterms(api, db):
    response = api.get("incoterms")
    assert response.status_code == 200
    terms = {t["code"]: t for t in response.json()}
    assert list(terms) == [
        "EXW", "FCA", "FAS", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP"
    ]  # fmt: skip
    assert terms["EXW"]["lines"] == ["vehicle_price", "platform_fee", "inspection"]
    assert terms["EXW"]["needs_origin"] is False
    assert terms["FOB"]["sea_only"] is True and terms["FOB"]["modes"] == ["roro", "container"]
    assert terms["FCA"]["modes"] == ["roro", "container", "rail", "truck"]
    assert terms["CIF"]["insurance"] == "mandatory" and terms["CIF"]["insurance_cover"] == "ICC-C"
    assert "insurance" in terms["CIF"]["lines"]
    assert terms["CIP"]["insurance_cover"] == "ICC-A" and not terms["CIP"]["sea_only"]
    assert terms["CFR"]["insurance"] == "optional" and "insurance" not in terms["CFR"]["lines"]
    assert terms["FCA"]["insurance"] == "none" and terms["FCA"]["insurance_cover"] is None
    assert terms["DAP"]["lines"][-1] == "onward"
    assert {"unloading", "import_clearance", "duty", "vat"} <= set(terms["DDP"]["lines"])
    assert "unloading" in terms["DPU"]["lines"] and "duty" not in terms["DPU"]["lines"]
    assert terms["FOB"]["name"] == "Free On Board"
    chinese = api.get("incoterms", headers={"Accept-Language": "zh-hans"}).json()
    assert next(t for t in chinese if t["code"] == "FOB")["label"] == "船上交货"


def test_openapi_documents_the_operations(api, db):
    schema = api.get("openapi.json").json()
    assert "/api/v1/quotes/estimate" in schema["paths"]
    assert "/api/v1/places" in schema["paths"]
    assert "/api/v1/incoterms" in schema["paths"]
