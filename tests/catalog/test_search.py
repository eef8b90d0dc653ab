"""GET /api/v1/vehicles: every filter, sort, pagination and the facets (SQLite and PostgreSQL)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ex1000.catalog.models import ListingStatus
from tests.factories import CompanyFactory, VehicleFactory
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db

# name: make, model, year, fuel, body, transmission, drive, steering, city, price, mileage, seller
STOCK = {
    "song": ("BYD", "Song Plus", 2022, "phev", "suv", "automatic", "fwd", "LHD", "Hangzhou",
             "118000", 30000, "a"),
    "han": ("BYD", "Han", 2023, "bev", "sedan", "automatic", "fwd", "LHD", "Shenzhen",
            "190000", 10000, "a"),
    "camry": ("Toyota", "Camry", 2021, "petrol", "sedan", "automatic", "fwd", "LHD", "Guangzhou",
              "135000", 40000, "b"),
    "prado": ("Toyota", "Land Cruiser Prado", 2019, "diesel", "suv", "automatic", "4wd", "RHD",
              "Guangzhou", "320000", 80000, "b"),
    "fit": ("Honda", "Fit", 2018, "petrol", "hatchback", "cvt", "fwd", "LHD", "Hangzhou",
            "45000", 95000, "b"),
    "mini": ("Wuling", "Hongguang Mini EV", 2023, "bev", "hatchback", "manual", "rwd", "LHD",
             "Liuzhou", "28000", 5000, "b"),
}  # fmt: skip


@pytest.fixture
def stock(db):
    companies = {"a": CompanyFactory(verification_status="approved"), "b": CompanyFactory()}
    start = timezone.now() - timedelta(days=30)
    vehicles = {}
    for index, (name, row) in enumerate(STOCK.items()):
        make, model, year, fuel, body, gearbox, drive, steering, city, price, km, seller = row
        vehicles[name] = VehicleFactory(
            company=companies[seller],
            make=make,
            model=model,
            variant="",
            year=year,
            fuel=fuel,
            body_type=body,
            transmission=gearbox,
            drive=drive,
            steering=steering,
            city=city,
            price=Decimal(price),
            mileage_km=km,
            published_at=start + timedelta(days=index),
        )
    # never shown: a draft and a withdrawn listing that would match most filters
    VehicleFactory(company=companies["a"], status=ListingStatus.DRAFT, published_at=None)
    VehicleFactory(company=companies["b"], make="Toyota", status=ListingStatus.WITHDRAWN)
    vehicles["companies"] = companies
    return vehicles


def _names(stock, response):
    assert response.status_code == 200, response.content
    by_id = {v.pk: name for name, v in stock.items() if name != "companies"}
    return [by_id[item["id"]] for item in response.json()["items"]]


def _search(api, **params):
    return api.get("vehicles", params)


def test_lists_only_published_listings_newest_first(api, stock):
    response = _search(api)

    body = response.json()
    assert body["count"] == 6
    assert (body["page"], body["page_size"]) == (1, 20)
    assert _names(stock, response) == ["mini", "fit", "prado", "camry", "han", "song"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "song"}, {"song"}),
        ({"q": "SONG plus"}, {"song"}),
        ({"q": "toyota guangzhou"}, {"camry", "prado"}),
        ({"q": "hatchback"}, {"fit", "mini"}),
        ({"q": "nothing-like-this"}, set()),
        ({"make": "byd"}, {"song", "han"}),
        ({"make": "TOYOTA"}, {"camry", "prado"}),
        ({"model": "camry"}, {"camry"}),
        ({"make": "BYD", "model": "Han"}, {"han"}),
        ({"year_min": 2022}, {"song", "han", "mini"}),
        ({"year_max": 2019}, {"prado", "fit"}),
        ({"year_min": 2019, "year_max": 2021}, {"camry", "prado"}),
        ({"price_min": "118000"}, {"song", "han", "camry", "prado"}),
        ({"price_max": "45000"}, {"fit", "mini"}),
        ({"price_min": "100000", "price_max": "190000"}, {"song", "han", "camry"}),
        ({"mileage_max": 30000}, {"song", "han", "mini"}),
        ({"fuel": "bev"}, {"han", "mini"}),
        ({"fuel": "diesel"}, {"prado"}),
        ({"body_type": "hatchback"}, {"fit", "mini"}),
        ({"body_type": "suv"}, {"song", "prado"}),
        ({"transmission": "cvt"}, {"fit"}),
        ({"transmission": "manual"}, {"mini"}),
        ({"drive": "4wd"}, {"prado"}),
        ({"drive": "rwd"}, {"mini"}),
        ({"steering": "RHD"}, {"prado"}),
        ({"steering": "LHD"}, {"song", "han", "camry", "fit", "mini"}),
        ({"city": "guangzhou"}, {"camry", "prado"}),
        ({"city": "Hangzhou"}, {"song", "fit"}),
        ({"make": "Toyota", "body_type": "suv"}, {"prado"}),
        ({"fuel": "bev", "year_min": 2023, "price_max": "100000"}, {"mini"}),
        ({"q": "   "}, {"song", "han", "camry", "prado", "fit", "mini"}),
    ],
)
def test_filters(api, stock, params, expected):
    response = _search(api, **params)

    assert set(_names(stock, response)) == expected
    assert response.json()["count"] == len(expected)


def test_supplier_filter(api, stock):
    company = stock["companies"]["a"]

    response = _search(api, supplier=company.pk)

    assert set(_names(stock, response)) == {"song", "han"}
    assert all(i["supplier"]["id"] == company.pk for i in response.json()["items"])


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price", ["mini", "fit", "song", "camry", "han", "prado"]),
        ("-price", ["prado", "han", "camry", "song", "fit", "mini"]),
        ("mileage", ["mini", "han", "song", "camry", "prado", "fit"]),
        ("-published_at", ["mini", "fit", "prado", "camry", "han", "song"]),
    ],
)
def test_sorts(api, stock, sort, expected):
    assert _names(stock, _search(api, sort=sort)) == expected


@pytest.mark.parametrize(("sort", "descending"), [("year", False), ("-year", True)])
def test_sort_by_year(api, stock, sort, descending):
    years = [i["year"] for i in _search(api, sort=sort).json()["items"]]

    assert years == sorted(years, reverse=descending)
    assert len(years) == 6


def test_relevance_sort_returns_the_matches(api, stock):
    response = _search(api, q="byd", sort="relevance")

    assert set(_names(stock, response)) == {"song", "han"}


def test_relevance_without_a_query_falls_back_to_newest(api, stock):
    assert _names(stock, _search(api, sort="relevance")) == _names(stock, _search(api))


def test_prices_are_money_strings_in_cny(api, stock):
    item = _search(api, make="Honda").json()["items"][0]

    assert item["price"] == {"amount": "45000.00", "currency": "CNY"}


def test_pagination(api, stock):
    pages = [_search(api, page=page, page_size=2).json() for page in (1, 2, 3, 4)]

    assert [len(p["items"]) for p in pages] == [2, 2, 2, 0]
    assert all(p["count"] == 6 and p["page_size"] == 2 for p in pages)
    assert [p["page"] for p in pages] == [1, 2, 3, 4]
    ids = [i["id"] for p in pages for i in p["items"]]
    assert len(ids) == len(set(ids)) == 6


def test_page_size_100_is_allowed(api, stock):
    body = _search(api, page_size=100).json()

    assert body["page_size"] == 100 and len(body["items"]) == 6


def test_facets_count_each_value(api, stock):
    facets = _search(api).json()["facets"]

    def counts(name):
        return {f["value"]: f["count"] for f in facets[name]}

    assert counts("make") == {"BYD": 2, "Toyota": 2, "Honda": 1, "Wuling": 1}
    assert counts("body_type") == {"suv": 2, "sedan": 2, "hatchback": 2}
    assert counts("fuel") == {"bev": 2, "petrol": 2, "phev": 1, "diesel": 1}
    assert counts("year") == {2023: 2, 2022: 1, 2021: 1, 2019: 1, 2018: 1}
    assert [f["value"] for f in facets["year"]] == [2023, 2022, 2021, 2019, 2018]
    assert [f["count"] for f in facets["make"]][:2] == [2, 2]


def test_facets_follow_the_filters_not_the_page(api, stock):
    body = _search(api, fuel="bev", page_size=1).json()

    assert len(body["items"]) == 1
    assert {f["value"]: f["count"] for f in body["facets"]["make"]} == {"BYD": 1, "Wuling": 1}
    assert {f["value"]: f["count"] for f in body["facets"]["body_type"]} == {
        "sedan": 1,
        "hatchback": 1,
    }
    assert body["facets"]["fuel"] == [{"value": "bev", "count": 2}]


def test_empty_result_has_empty_facets(api, stock):
    body = _search(api, make="Lada").json()

    assert body["count"] == 0 and body["items"] == []
    assert body["facets"] == {"make": [], "body_type": [], "fuel": [], "year": []}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year_min": "abc"}, "year_min"),
        ({"year_max": "20x0"}, "year_max"),
        ({"year_min": 1800}, "year_min"),
        ({"year_min": 2022, "year_max": 2020}, "year_min"),
        ({"price_min": "-1"}, "price_min"),
        ({"price_max": "cheap"}, "price_max"),
        ({"price_min": "200000", "price_max": "100000"}, "price_min"),
        ({"price_min": "1.234"}, "price_min"),
        ({"mileage_max": "-5"}, "mileage_max"),
        ({"fuel": "coal"}, "fuel"),
        ({"body_type": "tank"}, "body_type"),
        ({"transmission": "steam"}, "transmission"),
        ({"drive": "6wd"}, "drive"),
        ({"steering": "middle"}, "steering"),
        ({"supplier": "acme"}, "supplier"),
        ({"supplier": "0"}, "supplier"),
        ({"sort": "cheapest"}, "sort"),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "1000"}, "page_size"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_parameters_are_422_naming_the_parameter(api, stock, params, field):
    body = assert_problem(_search(api, **params), 422, field)

    assert body["type"].endswith("/validation")


def test_search_words_do_not_depend_on_the_language_the_listing_was_saved_in(login_api, supplier):
    """A listing saved from a Russian page is found by "hybrid", and by "гибрид" and
    "油电混合" (the labels in every language are indexed)."""
    from tests.helpers import listing_payload

    api = login_api(supplier)
    created = api.post(
        "vehicles",
        listing_payload(make="Toyota", model="Camry", fuel="hybrid"),
        headers={"Accept-Language": "ru"},
    )
    assert created.status_code == 201, created.content
    for words in ("hybrid", "гибрид", "油电混合", "Camry Hybrid"):
        found = api.get("vehicles", {"q": words}).json()
        assert [item["id"] for item in found["items"]] == [created.json()["id"]], words
