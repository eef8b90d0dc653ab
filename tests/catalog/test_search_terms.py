"""Issue 10: search that understands importers — makes and models in Chinese and Russian,
misspellings, a VIN's last six characters (SQLite here; PostgreSQL's full text in CI)."""

from __future__ import annotations

import pytest

from ex1000.catalog.search_terms import corrected_query
from tests.factories import VehicleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cars():
    return {
        "han": VehicleFactory(make="BYD", model="Han EV", variant="610km"),
        "cruiser": VehicleFactory(
            make="Toyota",
            model="Land Cruiser",
            variant="4.0 VX",
            fuel="petrol",
            body_type="suv",
            battery_kwh=None,
            engine_cc=3956,
        ),
        "camry": VehicleFactory(
            make="Toyota",
            model="Camry",
            variant="2.5 Hybrid",
            fuel="hybrid",
            body_type="sedan",
        ),
    }


def ids(api, q):
    response = api.get("vehicles", {"q": q, "page_size": 100})
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("比亚迪", {"han"}),
        ("丰田", {"cruiser", "camry"}),
        ("Тойота", {"cruiser", "camry"}),
        ("Лэнд Крузер", {"cruiser"}),
        ("兰德酷路泽", {"cruiser"}),
        ("камри", {"camry"}),
        ("toyta camri", {"camry"}),
        ("lend cruser", {"cruiser"}),
        ("bYd hAn", {"han"}),
    ],
)
def test_names_in_other_languages_and_misspelt_find_the_car(api, cars, q, expected):
    assert ids(api, q) == {cars[name].pk for name in expected}


def test_the_full_vin_or_its_last_six_find_the_car(api, cars):
    vin = cars["cruiser"].vin
    assert ids(api, vin) == {cars["cruiser"].pk}
    assert ids(api, vin[-6:]) == {cars["cruiser"].pk}
    assert ids(api, vin[-6:].lower()) == {cars["cruiser"].pk}


def test_a_correction_is_only_tried_when_the_words_as_typed_find_nothing(api, cars):
    lend = VehicleFactory(make="Lend", model="Lease", variant="test")  # found as typed
    assert ids(api, "lend") == {lend.pk}  # not "corrected" to the Land Cruiser


def test_words_that_are_not_names_stay_as_typed():
    assert corrected_query("hybrid white 2021 LGXCE4CB0K1000001") == (
        "hybrid white 2021 LGXCE4CB0K1000001"
    )
    assert corrected_query("toyta lend cruser") == "toyota land cruiser"
