"""PostgreSQL full-text search: the GIN index is used, websearch syntax, ranking."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from ex1000.catalog import selectors
from ex1000.catalog.filters import VehicleFilters
from ex1000.catalog.models import Vehicle
from tests.factories import CompanyFactory, VehicleFactory, new_vin

pytestmark = [pytest.mark.postgres]


def _listing(make, model, variant="", notes="", days_ago=0, **extra):
    return VehicleFactory(
        make=make,
        model=model,
        variant=variant,
        condition_notes=notes,
        published_at=timezone.now() - timedelta(days=days_ago),
        **extra,
    )


def _ids(api, **params):
    response = api.get("vehicles", params)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_the_search_index_holds_the_stored_lexemes_of_the_text(postgres_only):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'vehicle_search_gin'")
        (definition,) = cursor.fetchone()
        cursor.execute(
            "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a "
            "ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
            "WHERE a.attrelid = 'catalog_vehicle'::regclass AND a.attname = 'search_vector'"
        )
        (generated,) = cursor.fetchone()

    assert definition.endswith("USING gin (search_vector)")
    assert generated == "to_tsvector('simple'::regconfig, search_text)"


def test_full_text_search_uses_the_gin_index(postgres_only):
    company = CompanyFactory()
    filler = [
        Vehicle(
            company=company,
            make="Toyota",
            model=f"Corolla {n}",
            year=2020,
            vin=new_vin(),
            mileage_km=1000,
            fuel="petrol",
            transmission="automatic",
            drive="fwd",
            body_type="sedan",
            steering="LHD",
            length_mm=4600,
            width_mm=1780,
            height_mm=1435,
            city="Tianjin",
            price=90000,
            status="published",
            published_at=timezone.now(),
            search_text=f"toyota corolla {n} 2020 tianjin petrol sedan",
        )
        for n in range(300)
    ]
    Vehicle.objects.bulk_create(filler)
    _listing("BYD", "Song Plus")
    # Only the text condition, so no other index can serve it and the plan is stable.
    queryset = selectors.filter_vehicles(Vehicle.objects.all(), VehicleFilters(q="song plus"))
    sql, params = queryset.query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_vehicle")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(line for (line,) in cursor.fetchall())

    assert "vehicle_search_gin" in plan, plan
    assert queryset.count() == 1


def test_websearch_phrase_and_exclusion(postgres_only, api):
    ev = _listing("BYD", "Song Plus", "EV 605km Flagship")
    _listing("BYD", "Song Plus", "DM-i 110km")
    _listing("BYD", "Song Pro", "Plus Edition")  # both words, not as a phrase

    assert _ids(api, q='"song plus" -dm') == [ev.pk]


def test_websearch_or(postgres_only, api):
    camry = _listing("Toyota", "Camry")
    han = _listing("BYD", "Han")
    _listing("Honda", "Accord")

    assert set(_ids(api, q="camry or han")) == {camry.pk, han.pk}


def test_all_words_must_match_by_default(postgres_only, api):
    han = _listing("BYD", "Han", city="Shenzhen")
    _listing("BYD", "Seal", city="Shenzhen")

    assert _ids(api, q="byd han") == [han.pk]
    assert _ids(api, q="Shenzhen HAN") == [han.pk]


def test_search_by_vin(postgres_only, api):
    vehicle = _listing("Geely", "Monjaro")
    _listing("Geely", "Coolray")

    assert _ids(api, q=vehicle.vin.lower()) == [vehicle.pk]


def test_better_matches_rank_first(postgres_only, api):
    # the weak match is newer, so any other order would put it first
    strong = _listing(
        "BYD", "Han", "Han EV Champion", notes="BYD Han in showroom condition.", days_ago=5
    )
    weak = _listing("BYD", "Seal", notes="Sportier than the Han.", days_ago=1)

    assert _ids(api, q="han") == [strong.pk, weak.pk]
    assert _ids(api, q="han", sort="relevance") == [strong.pk, weak.pk]
    assert _ids(api, q="han", sort="-published_at") == [weak.pk, strong.pk]


def test_facets_with_a_text_query(postgres_only, api):
    _listing("BYD", "Han", fuel="bev", body_type="sedan")
    _listing("BYD", "Han", "DM-i", fuel="phev", body_type="sedan")
    _listing("Toyota", "Camry", fuel="petrol")

    facets = api.get("vehicles", {"q": "han"}).json()["facets"]

    assert facets["make"] == [{"value": "BYD", "count": 2}]
    assert {f["value"]: f["count"] for f in facets["fuel"]} == {"bev": 1, "phev": 1}


@pytest.mark.parametrize("q", ['"', "-", "!!!", "or", "a & b | !c", "(", "'quoted' \\ back"])
def test_odd_query_syntax_never_fails(postgres_only, api, q):
    _listing("BYD", "Han")

    response = api.get("vehicles", {"q": q})

    assert response.status_code == 200, response.content
