"""Search at a million listings (issue 10).

    DATABASE_URL=postgres://… .venv/bin/python bench/search_scale.py build --rows 1000000

`build` fills the database named by DATABASE_URL — migrated and seeded with `seed_demo`
first — up to N published listings, set-based (one INSERT … SELECT FROM generate_series per
batch of 100,000 rows; no Python loop per row): the demo catalogue's makes, models and
variants with their weights, model years within each variant's years, mileage by age,
asking prices from the new price by the model's retention per year and by mileage, the
demo suppliers and their cities, colours, a share of right-hand-drive export cars. Every
derived column is filled as the app fills it — the search words hold exactly the words
`catalog.models.search_text_of` gives (aliases in Chinese and Russian, the labels in every
language, the VIN's last six): the words each template shares are computed by that very
function, the per-row ones (year, colour, city, VIN) appended in SQL. Rows are
deterministic (hashes of the row number, not random()), so two builds give the same
catalogue. `measure` is the next step (not yet written).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ex1000.settings")

BATCH = 100_000
VIN_PREFIX = "LSB"  # no demo make uses it: the bench's VINs never clash with the demo's


def templates() -> list[dict]:
    """One row per (model, variant) of the demo catalogue, with its shared search words."""
    from ex1000.catalog.models import search_text_of
    from ex1000.demo.catalogue import CATALOGUE
    from ex1000.demo.management.commands.seed_demo import RHD_EXPORT_MODELS

    rows = []
    for car in CATALOGUE:
        for variant in car.variants:
            words = search_text_of(
                SimpleNamespace(
                    make=car.make,
                    model=car.model,
                    variant=variant.name,
                    year="",
                    colour="",
                    city="",
                    fuel=variant.fuel,
                    body_type=car.body,
                    vin="",
                    condition_notes="",
                )
            )
            rows.append(
                {
                    "make": car.make,
                    "model": car.model,
                    "variant": variant.name,
                    "fuel": variant.fuel,
                    "transmission": variant.transmission,
                    "drive": variant.drive,
                    "body_type": car.body,
                    "engine_cc": variant.engine_cc,
                    "battery_kwh": variant.battery_kwh,
                    "length_mm": car.dims[0],
                    "width_mm": car.dims[1],
                    "height_mm": car.dims[2],
                    "first_year": variant.first_year,
                    "last_year": variant.last_year,
                    "price_cny": variant.new_price_k * 1000,
                    "retention": car.retention,
                    "weight": car.weight,
                    "rhd": (car.make, car.model) in RHD_EXPORT_MODELS,
                    "words": words,
                }
            )
    return rows


TEMPLATE_COLUMNS = (
    "id int, make text, model text, variant text, fuel text, transmission text, drive text, "
    "body_type text, engine_cc int, battery_kwh numeric, length_mm int, width_mm int, "
    "height_mm int, first_year int, last_year int, price_cny numeric, retention numeric, "
    "rhd boolean, words text"
)

# h(k): a stable pseudo-random integer in [0, 2^31) for row g and purpose k.
INSERT = """
INSERT INTO catalog_vehicle (
    company_id, created_by_id, make, model, variant, year, first_registration, vin,
    mileage_km, fuel, transmission, drive, body_type, engine_cc, battery_kwh, colour,
    steering, length_mm, width_mm, height_mm, condition_notes, city, price, price_currency,
    quantity, quantity_reserved, quantity_sold, status, published_at, created_at, updated_at,
    search_text
)
SELECT s.company_id, s.user_id, t.make, t.model, t.variant, s.year,
       make_date(s.year, 1 + s.h_month %% 12, 1), s.vin,
       s.mileage, t.fuel, t.transmission, t.drive, t.body_type, t.engine_cc, t.battery_kwh,
       s.colour, s.steering, t.length_mm, t.width_mm, t.height_mm, '', s.city,
       greatest(round(t.price_cny * power(t.retention, s.age)
                      * greatest(0.6, 1 - s.mileage / 1000000.0), -2), 1000),
       'CNY', 1, 0, 0, 'published', s.published_at, s.published_at, s.published_at,
       lower(t.words || ' ' || s.year || ' ' || lower(s.colour) || ' ' || lower(s.city)
             || ' ' || lower(s.vin) || ' ' || right(lower(s.vin), 6))
FROM (
    SELECT g,
           p.template_id,
           p.year,
           %(this_year)s - p.year AS age,
           p.h_month,
           (%(vin_prefix)s || lpad(upper(to_hex(g)), 14, '0')) AS vin,
           least(2000000, (%(this_year)s - p.year) * (6000 + p.h_km %% 16000)
                 + p.h_km %% 3000) AS mileage,
           (%(colours)s::text[])[1 + p.h_colour %% cardinality(%(colours)s::text[])] AS colour,
           (%(companies)s::int[])[1 + p.h_company %% cardinality(%(companies)s::int[])]
               AS company_id,
           (%(users)s::int[])[1 + p.h_company %% cardinality(%(users)s::int[])] AS user_id,
           (%(cities)s::text[])[1 + p.h_company %% cardinality(%(cities)s::text[])] AS city,
           CASE WHEN p.rhd AND p.year >= 2019 AND p.h_rhd %% 10 < 4 THEN 'RHD' ELSE 'LHD' END
               AS steering,
           now() - make_interval(secs => p.h_when %% (90 * 86400)) AS published_at
    FROM (
        SELECT g, t.id AS template_id, t.rhd,
               t.first_year + h.year_pick %% (t.last_year - t.first_year + 1) AS year,
               h.h_month, h.h_km, h.h_colour, h.h_company, h.h_rhd, h.h_when
        FROM generate_series(%(start)s, %(stop)s) AS g
        CROSS JOIN LATERAL (
            SELECT (hashtext(g || ':t') & 2147483647) AS h_template,
                   (hashtext(g || ':y') & 2147483647) AS year_pick,
                   (hashtext(g || ':m') & 2147483647) AS h_month,
                   (hashtext(g || ':k') & 2147483647) AS h_km,
                   (hashtext(g || ':c') & 2147483647) AS h_colour,
                   (hashtext(g || ':s') & 2147483647) AS h_company,
                   (hashtext(g || ':r') & 2147483647) AS h_rhd,
                   (hashtext(g || ':w') & 2147483647) AS h_when
        ) AS h
        JOIN bench_templates AS t
          ON t.id = (%(picks)s::int[])[1 + h.h_template %% cardinality(%(picks)s::int[])]
    ) AS p
) AS s
JOIN bench_templates AS t ON t.id = s.template_id
"""


def build(rows: int, out=print) -> int:
    """Fill up to ``rows`` published listings; returns how many were added."""
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from ex1000.accounts.models import Role, User
    from ex1000.catalog.models import ListingStatus, Vehicle
    from ex1000.demo.catalogue import COLOURS

    if connection.vendor != "postgresql":
        raise SystemExit("search_scale needs PostgreSQL: set DATABASE_URL")
    suppliers = list(
        User.objects.filter(role=Role.SUPPLIER, company__verification_status="approved")
        .order_by("pk")
        .select_related("company")
    )
    if not suppliers:
        raise SystemExit("no verified supplier: run `manage.py seed_demo` first")
    have = Vehicle.objects.filter(status=ListingStatus.PUBLISHED).count()
    need = rows - have
    if need <= 0:
        out(f"{have:,} published listings already (asked for {rows:,}): nothing to add")
        return 0
    rows_of_templates = templates()
    picks = [i for i, t in enumerate(rows_of_templates, start=1) for _ in range(t["weight"])]
    colours = [name for name, weight in COLOURS for _ in range(weight)]
    offset = Vehicle.objects.filter(vin__startswith=VIN_PREFIX).count()
    params = {
        "this_year": timezone.now().year,
        "vin_prefix": VIN_PREFIX,
        "colours": colours,
        "companies": [s.company_id for s in suppliers],
        "users": [s.pk for s in suppliers],
        "cities": [s.company.city or "Hangzhou" for s in suppliers],
        "picks": picks,
    }
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE bench_templates ({TEMPLATE_COLUMNS})")
        columns = TEMPLATE_COLUMNS.split(", ")
        names = [c.split()[0] for c in columns]
        cursor.executemany(
            f"INSERT INTO bench_templates ({', '.join(names)}) VALUES "
            f"({', '.join(['%s'] * len(names))})",
            [[i, *(t[n] for n in names[1:])] for i, t in enumerate(rows_of_templates, start=1)],
        )
        done = 0
        while done < need:
            size = min(BATCH, need - done)
            with transaction.atomic():
                cursor.execute(
                    INSERT, {**params, "start": offset + done + 1, "stop": offset + done + size}
                )
            done += size
            rate = done / (time.monotonic() - started)
            out(f"  {done:,} / {need:,} listings ({rate:,.0f} rows/s)")
        cursor.execute("DROP TABLE bench_templates")
        cursor.execute("ANALYZE catalog_vehicle")
    out(f"added {need:,} listings in {time.monotonic() - started:.1f} s; {rows:,} published")
    return need


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    fill = commands.add_parser("build", help="fill the database up to N published listings")
    fill.add_argument("--rows", type=int, default=1_000_000)
    commands.add_parser("measure", help="(not yet written) p50/p95/p99 per query")
    args = parser.parse_args(argv)
    if args.command == "build":
        build(args.rows)
    else:
        raise SystemExit("measure is not written yet (issue 10)")


if __name__ == "__main__":
    main()
