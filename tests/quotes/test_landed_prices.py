"""Landed prices on GET /api/v1/vehicles: each equals POST /quotes/estimate for that vehicle
alone, a page is priced without a query per vehicle, bad parameters are named."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import VehicleFactory
from tests.helpers import assert_problem
from tests.quotes.test_estimate_vs_reference import LISTINGS

pytestmark = pytest.mark.django_db


@pytest.fixture
def stock(demo_rate_book):
    """50 listings like the demo's (every city, size class, age and steering side), plus one
    from a city without inland rates."""
    cars = [
        VehicleFactory(quantity=2, **spec)
        for spec in itertools.islice(itertools.cycle(LISTINGS), 49)
    ]
    cars.append(VehicleFactory(city="Lhasa"))
    return cars


def single_estimate(api, vehicle_id, options):
    return api.post(
        "quotes/estimate", {"items": [{"vehicle_id": vehicle_id, "quantity": 1}], **options}
    )


OPTION_SETS = [
    {"destination": "AEJEA"},
    {"destination": "KEMBA", "currency": "KES"},
    {"destination": "NGLOS", "incoterm": "DDP", "mode": "container", "currency": "JPY"},
    {"destination": "KZALA", "mode": "rail", "currency": "KZT"},
    {"destination": "UZTAS", "mode": "truck", "incoterm": "DAP", "currency": "KWD"},
    {"destination": "BRSSZ", "incoterm": "FOB", "currency": "EUR"},
    {"destination": "TZDAR", "incoterm": "EXW", "currency": "CNY"},
    {"destination": "RUNVS", "incoterm": "CIP", "mode": "container", "currency": "RUB"},
]


@pytest.mark.parametrize("query", OPTION_SETS)
def test_landed_price_equals_the_single_vehicle_estimate(api, stock, query):
    response = api.get("vehicles", {**query, "page_size": 50})
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert len(items) == 50
    mode = query.get("mode", "roro")
    options = {
        "destination": query["destination"],
        "mode": mode,
        "incoterm": query.get("incoterm", "CIF" if mode in ("roro", "container") else "CPT"),
        "currency": query.get("currency", "USD"),
    }
    priced = 0
    for item in items:
        estimate = single_estimate(api, item["id"], options)
        if estimate.status_code == 200:
            body = estimate.json()
            assert item["landed_price"] == body["total"], item["id"]
            assert item["eligible"] == body["eligible"]
            assert item["reasons"] == body["reasons"]
            assert item["landed_price_error"] is None
            priced += 1
        else:
            assert estimate.status_code == 422
            assert item["landed_price"] is None and item["eligible"] is None
            assert item["landed_price_error"]
    assert priced >= 40


def test_without_a_destination_there_are_no_landed_prices(api, stock):
    items = api.get("vehicles", {"page_size": 5}).json()["items"]
    assert all(item["landed_price"] is None and item["eligible"] is None for item in items)


def test_defaults_are_cif_by_sea_and_cpt_by_land_in_usd(api, stock):
    car = stock[0]
    sea = api.get("vehicles", {"destination": "aejea", "page_size": 50}).json()["items"]
    cif = single_estimate(
        api, car.pk, {"incoterm": "CIF", "destination": "AEJEA", "currency": "USD"}
    ).json()
    assert next(i for i in sea if i["id"] == car.pk)["landed_price"] == cif["total"]
    land = api.get("vehicles", {"destination": "KZALA", "mode": "rail", "page_size": 50})
    cpt = single_estimate(
        api,
        car.pk,
        {"incoterm": "CPT", "destination": "KZALA", "mode": "rail", "currency": "USD"},
    ).json()
    assert (
        next(i for i in land.json()["items"] if i["id"] == car.pk)["landed_price"] == (cpt["total"])
    )


def test_not_eligible_listings_say_why(api, stock):
    items = api.get("vehicles", {"destination": "KEMBA", "page_size": 50}).json()["items"]
    lhd = [i for i in items if i["steering"] == "LHD" and i["landed_price"]]
    assert lhd and all(i["eligible"] is False for i in lhd)
    assert all(any("right-hand drive" in r for r in i["reasons"]) for i in lhd)


def test_a_page_of_50_with_landed_prices_costs_no_query_per_vehicle(
    api, stock, django_assert_max_num_queries, settings
):
    settings.SEARCH_CACHE_SECONDS = 0  # every search computed: what a page costs
    api.get("vehicles", {"destination": "AEJEA", "page_size": 50})  # parse the book once
    with CaptureQueriesContext(connection) as plain:
        assert api.get("vehicles", {"page_size": 50}).status_code == 200
    for query in OPTION_SETS:
        # + the rate book in force, read once for the prices and once for the destination's
        # eligibility rules (the eligible facet is counted in the same scan as the rest):
        # a fixed number, whatever the page size.
        with django_assert_max_num_queries(len(plain) + 2):
            response = api.get("vehicles", {**query, "page_size": 50})
        assert response.status_code == 200
    few = api.get("vehicles", {"page_size": 5})
    assert few.status_code == 200
    with CaptureQueriesContext(connection) as small:
        api.get("vehicles", {"destination": "KEMBA", "page_size": 5})
    with CaptureQueriesContext(connection) as large:
        api.get("vehicles", {"destination": "KEMBA", "page_size": 50})
    assert len(small) == len(large)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"destination": "ZZZZZ"}, "destination"),
        ({"destination": "AE-JEA"}, "destination"),
        ({"destination": "AEJEA", "currency": "GBP"}, "currency"),
        ({"destination": "AEJEA", "currency": "XXQ"}, "currency"),
        ({"destination": "AEJEA", "incoterm": "FOX"}, "incoterm"),
        ({"destination": "AEJEA", "mode": "air"}, "mode"),
        ({"destination": "KZALA", "mode": "rail", "incoterm": "FOB"}, "incoterm"),
    ],
)
def test_bad_landed_price_parameters_are_named(api, stock, query, field):
    assert_problem(api.get("vehicles", query), 422, field)


def test_before_the_first_rate_book_the_search_still_works(api, db):
    VehicleFactory()
    response = api.get("vehicles", {"destination": "AEJEA"})
    assert response.status_code == 200
    item = response.json()["items"][0]
    assert item["landed_price"] is None and "rate book" in item["landed_price_error"]


def test_importable_to_my_destination_keeps_the_cars_it_admits(api, stock):
    """Kenya admits right-hand drive up to 8 years: eligible=true keeps exactly the cars
    whose landed price says eligible, the facet counts both sides, the rules are shown."""
    everything = api.get("vehicles", {"destination": "KEMBA", "page_size": 100}).json()
    admitted = {i["id"] for i in everything["items"] if i["eligible"]}
    refused = {i["id"] for i in everything["items"] if i["eligible"] is False}
    assert admitted and refused

    only = api.get("vehicles", {"destination": "KEMBA", "eligible": "true", "page_size": 100})
    body = only.json()
    assert {i["id"] for i in body["items"]} == admitted and body["count"] == len(admitted)
    assert all(i["eligible"] for i in body["items"])
    others = api.get("vehicles", {"destination": "KEMBA", "eligible": "false", "page_size": 100})
    assert {i["id"] for i in others.json()["items"]} == refused | {
        i["id"] for i in everything["items"] if i["eligible"] is None
    }
    assert everything["facets"]["eligible"] == [
        {"value": "eligible", "count": len(admitted)},
        {"value": "not_eligible", "count": everything["count"] - len(admitted)},
    ]
    assert everything["eligibility"] == {
        "country": "KE",
        "max_age_years": 8,
        "steering": ["RHD"],
        "inspection": "pre-shipment",
    }


def test_eligible_needs_a_destination(api, stock):
    body = assert_problem(api.get("vehicles", {"eligible": "true"}), 422, "eligible")
    assert body["code"] == "eligible_needs_destination"
    assert "facets" in api.get("vehicles").json()
    assert "eligible" not in api.get("vehicles").json()["facets"]


def _amount(item) -> Decimal | None:
    return Decimal(item["landed_price"]["amount"]) if item["landed_price"] else None


@pytest.mark.parametrize("sort", ["landed_price", "-landed_price"])
def test_sort_by_landed_price_orders_every_page_and_puts_the_unpriced_last(api, stock, sort):
    """Kenya by RoRo: freight by volume and duty on the value landed, so a big car a little
    cheaper ex-works lands dearer than a small one; the car from Lhasa (no inland rate)
    cannot be priced and comes last either way."""
    big = VehicleFactory(price=Decimal("100000"), length_mm=5100, width_mm=1980, height_mm=1950)
    small = VehicleFactory(price=Decimal("101000"), length_mm=4300, width_mm=1780, height_mm=1450)
    query = {"destination": "KEMBA", "currency": "KES", "sort": sort, "page_size": 20}

    pages = [api.get("vehicles", {**query, "page": n}).json() for n in (1, 2, 3)]

    items = [item for page in pages for item in page["items"]]
    assert len(items) == len({i["id"] for i in items}) == len(stock) + 2
    priced = [_amount(item) for item in items if item["landed_price"]]
    assert priced == sorted(priced, reverse=sort.startswith("-"))
    assert items[-1]["id"] == stock[-1].pk and items[-1]["landed_price"] is None
    order = [i["id"] for i in items]
    assert (order.index(small.pk) < order.index(big.pk)) == (sort == "landed_price")


def test_above_the_limit_the_landed_sort_orders_the_lowest_ex_works_prices(api, stock, monkeypatch):
    from ex1000.catalog import selectors

    monkeypatch.setattr(selectors, "LANDED_SORT_UP_TO", 10)
    query = {"destination": "AEJEA", "sort": "landed_price", "page_size": 6}

    first, second, third = (api.get("vehicles", {**query, "page": n}).json() for n in (1, 2, 3))

    shown = first["items"] + second["items"]
    cheapest = sorted(stock, key=lambda v: (v.price, -v.pk))[:10]
    assert {i["id"] for i in shown} == {v.pk for v in cheapest}
    priced = [_amount(i) for i in shown if i["landed_price"]]
    assert priced == sorted(priced)
    assert third["items"] == [] and first["count"] == len(stock)


def test_sort_by_landed_price_needs_a_destination(api, stock):
    body = assert_problem(api.get("vehicles", {"sort": "landed_price"}), 422, "sort")
    assert body["code"] == "landed_sort_needs_destination"


def test_before_the_first_rate_book_the_landed_sort_keeps_the_ex_works_order(api, db):
    cars = [VehicleFactory(price=price) for price in (180000, 90000, 120000)]

    response = api.get("vehicles", {"destination": "AEJEA", "sort": "landed_price"})

    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["id"] for i in items] == [v.pk for v in sorted(cars, key=lambda v: v.price)]
    assert all(i["landed_price"] is None and i["landed_price_error"] for i in items)
