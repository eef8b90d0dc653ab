"""Issue 10, acceptance 3: on PostgreSQL the queries a search actually sends use the indexes
chosen for them (EXPLAIN of each captured statement): the count and the facets read
narrow indexes, a large result is sampled from the covering index without the table, the
text goes through the GIN index on the stored lexemes, each sort walks its own index."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ex1000.catalog import selectors
from tests.factories import CompanyFactory

pytestmark = [pytest.mark.postgres]

MAKES = ("Toyota", "BYD", "Geely", "Chery", "Haval", "Honda", "Nissan", "Changan")
CITIES = ("Hangzhou", "Tianjin", "Guangzhou", "Shanghai")


FILL = """
INSERT INTO catalog_vehicle (
    company_id, make, model, variant, year, vin, mileage_km, fuel, transmission, drive,
    body_type, colour, steering, length_mm, width_mm, height_mm, condition_notes, city,
    price, price_currency, quantity, quantity_reserved, quantity_sold, status,
    published_at, created_at, updated_at, search_text, sample_key
)
SELECT %(company)s, m.make, CASE WHEN g = 1 THEN 'Monjaro' ELSE 'Model ' || g %% 40 END, '',
       2015 + g %% 11, 'LPLAN' || lpad(g::text, 12, '0'), (g * 7919) %% 200000,
       (ARRAY['petrol', 'hybrid', 'bev'])[1 + g %% 3], 'automatic', 'fwd',
       (ARRAY['sedan', 'suv', 'mpv'])[1 + (g / 3) %% 3], '', 'LHD', 4600, 1800, 1500, '',
       c.city, 30000 + (g * 104729) %% 370000, 'CNY', 1, 0, 0, 'published',
       now() - make_interval(secs => g), now(), now(),
       lower(m.make || ' ' || CASE WHEN g = 1 THEN 'monjaro' ELSE 'model' END || ' ' || c.city),
       (hashtext(g::text) & 2147483647)
FROM generate_series(1, %(rows)s) AS g
CROSS JOIN LATERAL (SELECT (%(makes)s::text[])[1 + g %% 8] AS make) AS m
CROSS JOIN LATERAL (SELECT (%(cities)s::text[])[1 + (g / 8) %% 4] AS city) AS c
"""


@pytest.fixture
def catalogue(transactional_db, postgres_only):
    """20,000 public listings in a few makes, fuels and cities, one Geely Monjaro; then
    VACUUM ANALYZE as autovacuum would: the planner knows the columns' spread and which
    pages are all visible (so an index can answer alone)."""
    company = CompanyFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            FILL,
            {"company": company.pk, "rows": 20_000, "makes": list(MAKES), "cities": list(CITIES)},
        )
        cursor.execute("VACUUM ANALYZE catalog_vehicle")


def plans(api, params: dict) -> dict[str, str]:
    """The search's statements on catalog_vehicle by role — group (counted with it), sample, page —
    each with its plan."""
    with CaptureQueriesContext(connection) as captured:
        response = api.get("vehicles", params)
    assert response.status_code == 200, response.content
    found = {}
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if sql.startswith("EXPLAIN") or 'FROM "catalog_vehicle"' not in sql:
                continue
            if sql.startswith("SELECT GROUPING("):
                role = "group"
            elif sql.startswith('SELECT "catalog_vehicle"."sample_key"'):
                role = "sample"
            elif " ORDER BY " in sql and " LIMIT " in sql:
                role = "page"
            else:
                continue
            cursor.execute(f"EXPLAIN {sql}")
            found[role] = "\n".join(line for (line,) in cursor.fetchall())
    return found


def uses(plan: str, index: str) -> bool:
    """The plan reads the index (a scan of it, or a bitmap from it), the table never in
    full. Whether it is an index-only scan depends on the visibility map, which only
    VACUUM sets — not possible inside a test's transaction."""
    assert f" {index} " in f"{plan} ".replace("\n", " "), plan
    assert "Seq Scan" not in plan, plan
    return True


def test_a_make_is_counted_and_grouped_from_its_index_alone(api, catalogue):
    plan = plans(api, {"make": "toyota"})  # 2,500 cars: counted as they are grouped

    assert uses(plan["group"], "vehicle_public_make")
    assert "count" not in plan  # one scan, not two


def test_a_large_result_is_sampled_from_the_covering_index_without_the_table(
    api, catalogue, monkeypatch
):
    monkeypatch.setattr(selectors, "EXACT_UP_TO", 100)

    plan = plans(api, {"fuel": "hybrid"})

    assert uses(plan["sample"], "vehicle_public_sample")
    assert "Sort" not in plan["sample"]  # read in key order, not sorted
    body = api.get("vehicles", {"fuel": "hybrid"}).json()
    assert body["count_exact"] is False


def test_words_are_matched_through_the_gin_index_on_the_stored_lexemes(api, catalogue):
    plan = plans(api, {"q": "monjaro"})

    assert uses(plan["group"], "vehicle_search_gin")
    assert "search_vector @@" in plan["group"]  # the stored column, no to_tsvector per row
    assert "to_tsvector" not in plan["group"]


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("-published_at", "vehicle_public_published"),
        ("price", "vehicle_public_price"),
        ("-year", "vehicle_public_year"),
        ("mileage", "vehicle_public_mileage"),
    ],
)
def test_each_sort_walks_its_own_index(api, catalogue, sort, index):
    plan = plans(api, {"sort": sort})

    assert uses(plan["page"], index)
    assert not re.search(r"(^|->  )Sort  \(", plan["page"], re.M)  # no sort of all


def test_a_city_is_found_through_its_lowercase_key(api, catalogue):
    plan = plans(api, {"city": "TIANJIN"})  # 5,000 cars

    assert uses(plan["group"], "vehicle_public_city")
    assert "upper(" not in plan["group"].lower()  # no case folding of every row
