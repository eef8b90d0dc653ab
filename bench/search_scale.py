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
catalogue.

`measure` serves the app with gunicorn (3 workers, DEBUG=0, Redis, the access log on, the
anonymous search limit off) on that same database, twice — cold, the search cache off
(each answer computed, as when the catalogue changes between any two searches), and warm,
the cache on (the catalogue unchanged during the run) — and each time asks each query of a fixed set
(QUERIES: the issue's table and more) ROUNDS times one after another, recording p50, p95
and p99 of the whole HTTP answer; beside each, the floor — the page alone
(its listings and photos, no counts or facets), timed in process — and then the
throughput of the search mix against the cheapest endpoint (`/api/v1/incoterms`), both
with CLIENTS concurrent clients, and each web process's memory. All of it goes to
bench/results/search_scale.json with the catalogue's size, the machine and its speed
before and after the run (fixed work timed: this machine is shared, and its speed varies
from day to day).

    DATABASE_URL=postgres://… make search-scale-measure
"""

from __future__ import annotations

import argparse
import json
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
    search_text, sample_key
)
SELECT s.company_id, s.user_id, t.make, t.model, t.variant, s.year,
       make_date(s.year, 1 + s.h_month %% 12, 1), s.vin,
       s.mileage, t.fuel, t.transmission, t.drive, t.body_type, t.engine_cc, t.battery_kwh,
       s.colour, s.steering, t.length_mm, t.width_mm, t.height_mm, '', s.city,
       greatest(round(t.price_cny * power(t.retention, s.age)
                      * greatest(0.6, 1 - s.mileage / 1000000.0), -2), 1000),
       'CNY', 1, 0, 0, 'published', s.published_at, s.published_at, s.published_at,
       lower(t.words || ' ' || s.year || ' ' || lower(s.colour) || ' ' || lower(s.city)
             || ' ' || lower(s.vin) || ' ' || right(lower(s.vin), 6)),
       s.sample_key
FROM (
    SELECT g,
           p.template_id,
           p.year,
           %(this_year)s - p.year AS age,
           p.h_month,
           p.h_sample AS sample_key,
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
               h.h_month, h.h_km, h.h_colour, h.h_company, h.h_rhd, h.h_when, h.h_sample
        FROM generate_series(%(start)s, %(stop)s) AS g
        CROSS JOIN LATERAL (
            SELECT (hashtext(g || ':t') & 2147483647) AS h_template,
                   (hashtext(g || ':y') & 2147483647) AS year_pick,
                   (hashtext(g || ':m') & 2147483647) AS h_month,
                   (hashtext(g || ':k') & 2147483647) AS h_km,
                   (hashtext(g || ':c') & 2147483647) AS h_colour,
                   (hashtext(g || ':s') & 2147483647) AS h_company,
                   (hashtext(g || ':r') & 2147483647) AS h_rhd,
                   (hashtext(g || ':w') & 2147483647) AS h_when,
                   (hashtext(g || ':x') & 2147483647) AS h_sample
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


PORT = 8097
BASE = f"http://127.0.0.1:{PORT}"
ROUNDS = 200
CLIENTS = 4
THROUGHPUT_SECONDS = 15
RESULT = ROOT / "bench/results/search_scale.json"


def queries(supplier: int, city: str, destination: str) -> list[tuple[str, str]]:
    """(name, path) of the measured set; the issue's table first."""
    api = "/api/v1/vehicles?"
    return [
        ("make=Toyota", api + "make=Toyota"),
        (
            "make=BYD&year_min=2020&price_max=150000",
            api + "make=BYD&year_min=2020&price_max=150000",
        ),
        ("fuel=bev&body_type=suv", api + "fuel=bev&body_type=suv"),
        ("sort=price", api + "sort=price"),
        ("sort=-published_at", api + "sort=-published_at"),
        ("q=hybrid", api + "q=hybrid"),
        ("q=land cruiser", api + "q=land+cruiser"),
        ("q=camry hybrid&year_min=2018", api + "q=camry+hybrid&year_min=2018"),
        ("q=丰田 (Chinese)", api + "q=%E4%B8%B0%E7%94%B0"),
        ("supplier=", api + f"supplier={supplier}"),
        ("city=", api + f"city={city}"),
        ("deep page (page=500)", api + "page=500"),
        ("facets only (page_size=1)", api + "page_size=1"),
        (
            f"landed prices, page of 50 ({destination})",
            api + f"destination={destination}&page_size=50",
        ),
        (f"eligible only ({destination})", api + f"destination={destination}&eligible=true"),
        ("/vehicles/ (HTML page)", "/vehicles/"),
        ("/vehicles/?make=Toyota (HTML page)", "/vehicles/?make=Toyota"),
    ]


def _env() -> dict[str, str]:
    """The server's settings: those of the environment that seeded the database (its
    VAR_DIR, hence its field-encryption key), in production mode."""
    var = Path(os.environ.get("VAR_DIR", ROOT / "var"))
    key_file = var / "field_encryption_key"
    keys = os.environ.get("FIELD_ENCRYPTION_KEYS") or (
        key_file.read_text().strip() if key_file.exists() else ""
    )
    if not keys:
        raise SystemExit(f"set FIELD_ENCRYPTION_KEYS (none in the environment or {key_file})")
    return {
        **os.environ,
        "VAR_DIR": str(var),
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "search-scale-" + "k" * 40),
        "FIELD_ENCRYPTION_KEYS": keys,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "ACCESS_LOG_ENABLED": "1",
        "RATE_LIMIT_SEARCH_PER_MINUTE": "0",  # the benchmark is one visitor asking a lot
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def _serve(cache_seconds: int):
    import subprocess

    subprocess.run(  # DEBUG=0 serves the hashed static files: collect them first
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=_env(), check=True,
    )  # fmt: skip
    sys.path.insert(0, str(ROOT / "bench"))
    import _gunicorn

    env = {**_env(), "SEARCH_CACHE_SECONDS": str(cache_seconds)}
    return _gunicorn.start(PORT, env, workers=3, timeout=120)


def _percentiles(times: list[float]) -> dict[str, float]:
    import statistics

    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1),
    }


def _floor(path: str, body: dict) -> float:
    """The page alone, median of 20, in process on the database: its listings as search
    orders them, with their photos, without counting or faceting."""
    from urllib.parse import parse_qsl, urlsplit

    from ex1000.catalog import selectors
    from ex1000.catalog.filters import VehicleFilters

    filters = VehicleFilters(**dict(parse_qsl(urlsplit(path).query)))
    matched = selectors.matches(filters)
    rank = selectors.Tally(body["count"], {}, bool(body["count_exact"])).ranks
    times = []
    for _ in range(20):
        began = time.perf_counter()
        selectors.listings(selectors.page_ids(matched.shown, filters, matched.words, rank=rank))
        times.append(time.perf_counter() - began)
    times.sort()
    return round(times[len(times) // 2] * 1000, 2)


def _throughput(paths: list[str], seconds: float) -> float:
    """Answers a second with CLIENTS clients asking ``paths`` in turn, keep-alive."""
    import threading

    import requests

    done = [0] * CLIENTS
    failures = [0]
    stop = time.monotonic() + seconds

    def client(number: int) -> None:
        session = requests.Session()
        turn = number
        while time.monotonic() < stop:
            answer = session.get(BASE + paths[turn % len(paths)], timeout=30)
            if answer.status_code != 200:
                failures[0] += 1
            done[number] += 1
            turn += 1

    began = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures[0]:
        raise SystemExit(f"{failures[0]} answers were not 200")
    return round(sum(done) / (time.monotonic() - began), 1)


def _memory_mb(server) -> list[float]:
    """Resident memory of each gunicorn worker (children of the master)."""
    for _ in range(5):  # a worker may be between two reads of /proc: try again
        sizes = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            fields = dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)
            if fields.get("PPid", "").strip() == str(server.pid) and "VmRSS" in fields:
                sizes.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
        if sizes:
            return sorted(sizes)
        time.sleep(0.5)
    return []


def _pass(measured, rounds: int, cache_seconds: int, out) -> dict:
    """One server, the query set asked ``rounds`` times each, then the throughputs."""
    import requests

    server = _serve(cache_seconds)
    results = []
    try:
        session = requests.Session()
        for name, path in measured:
            for _ in range(3):  # warm: the first answers fill caches and plans
                session.get(BASE + path, timeout=60)
            times = []
            for _ in range(rounds):
                began = time.perf_counter()
                answer = session.get(BASE + path, timeout=60)
                times.append(time.perf_counter() - began)
                if answer.status_code != 200:
                    raise SystemExit(f"{path}: {answer.status_code} {answer.text[:300]}")
            body = answer.json() if path.startswith("/api/") else {}
            row = {
                "query": name,
                "path": path,
                **_percentiles(times),
                "page_alone_ms": _floor(path, body) if body else None,
                "count": body.get("count"),
                "count_exact": body.get("count_exact"),
            }
            results.append(row)
            out(f"  {name:48} p50 {row['p50_ms']:7.1f}  p95 {row['p95_ms']:7.1f}  "
                f"p99 {row['p99_ms']:7.1f} ms  page alone {row['page_alone_ms']} ms  "
                f"count {row['count']}")  # fmt: skip
        cheapest = _throughput(["/api/v1/incoterms"], THROUGHPUT_SECONDS)
        search = _throughput([path for _, path in measured], THROUGHPUT_SECONDS)
        memory = _memory_mb(server)
    finally:
        server.terminate()
        server.wait(timeout=30)
    out(f"throughput: search {search}/s, cheapest {cheapest}/s "
        f"(ratio {search / cheapest:.3f}); workers {memory} MB")  # fmt: skip
    return {
        "search_cache_seconds": cache_seconds,
        "queries": results,
        "p95_max_ms": max(row["p95_ms"] for row in results),
        "throughput": {
            "clients": CLIENTS,
            "seconds": THROUGHPUT_SECONDS,
            "cheapest_endpoint": "/api/v1/incoterms",
            "cheapest_per_s": cheapest,
            "search_mix_per_s": search,
            "ratio": round(search / cheapest, 3),
        },
        "web_process_rss_mb": memory,
    }


def machine_speed() -> dict[str, float]:
    """Fixed work timed (best of 5, ms), so runs on this shared machine can be compared: a
    pure-Python loop (the web processes' kind of work) and a fixed SQL statement."""
    from django.db import connection

    def best(work) -> float:
        times = []
        for _ in range(5):
            began = time.perf_counter()
            work()
            times.append(time.perf_counter() - began)
        return round(min(times) * 1000, 1)

    def loop() -> None:
        total = 0
        for number in range(1_000_000):
            total += number % 7

    def sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT sum(n % 7) FROM generate_series(1, 1000000) AS n")
            cursor.fetchone()

    return {"python_loop_ms": best(loop), "sql_ms": best(sql)}


def measure(rounds: int = ROUNDS, out=print) -> dict:
    """Two passes: ``cold`` with the search cache off (every answer computed: the cost
    when the catalogue changes between any two searches), ``warm`` as configured (the
    catalogue unchanged during the run, so a repeated search comes from the cache)."""
    import platform
    from datetime import UTC, datetime

    import django

    django.setup()
    from django.db import connection

    from ex1000.accounts.models import Company
    from ex1000.catalog.selectors import public_vehicles

    if connection.vendor != "postgresql":
        raise SystemExit("search_scale needs PostgreSQL: set DATABASE_URL")
    listings = public_vehicles().count()
    supplier = Company.objects.filter(vehicles__isnull=False).order_by("pk").first()
    destination = os.environ.get("SEARCH_SCALE_DESTINATION", "KEMBA")
    measured = queries(supplier.pk, supplier.city or "Hangzhou", destination)
    speed_before = machine_speed()
    out(f"machine speed: {speed_before}")
    out("cold (search cache off):")
    cold = _pass(measured, rounds, 0, out)
    out("warm (search cache on, catalogue unchanged):")
    warm = _pass(measured, rounds, 300, out)
    speed_after = machine_speed()
    recorded = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}",
        "server": "gunicorn, 3 sync workers, DEBUG=0, PostgreSQL + Redis on the same machine",
        "published_listings": listings,
        "rounds_per_query": rounds,
        "machine_speed": {"before": speed_before, "after": speed_after},
        "cold": cold,
        "warm": warm,
    }
    RESULT.write_text(json.dumps(recorded, indent=2, ensure_ascii=False) + "\n")
    out(f"p95 worst: cold {cold['p95_max_ms']} ms, warm {warm['p95_max_ms']} ms → {RESULT}")
    return recorded


def table(recorded: dict) -> str:
    """The README's table: each query's p95 cold and warm beside its page alone."""
    cold = {row["query"]: row for row in recorded["cold"]["queries"]}
    lines = [
        "| query (`/api/v1/vehicles`, 20 a page) | count shown | cold p50 | cold p95 "
        "| warm p50 | warm p95 | page alone |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in recorded["warm"]["queries"]:
        c = cold[row["query"]]
        count = "" if c["count"] is None else f"{'' if c['count_exact'] else '≈ '}{c['count']:,}"
        over = " ✗" if c["p95_ms"] > 50 else ""
        alone = "—" if c["page_alone_ms"] is None else c["page_alone_ms"]
        lines.append(
            f"| `{row['query']}` | {count} | {c['p50_ms']} | {c['p95_ms']}{over} "
            f"| {row['p50_ms']} | {row['p95_ms']}{' ✗' if row['p95_ms'] > 50 else ''} "
            f"| {alone} |"
        )
    for name in ("cold", "warm"):
        t = recorded[name]["throughput"]
        lines.append("")
        lines.append(
            f"{name.capitalize()}: search mix {t['search_mix_per_s']}/s against "
            f"{t['cheapest_per_s']}/s for `{t['cheapest_endpoint']}` (ratio {t['ratio']}, "
            f"{t['clients']} clients, {t['seconds']} s); web processes "
            f"{', '.join(str(m) for m in recorded[name]['web_process_rss_mb']) or 'not read'}"
            " MB resident."
        )
    speed = recorded.get("machine_speed")
    if speed:  # recorded since 2026-12-03
        before, after = speed["before"], speed["after"]
        lines.append("")
        lines.append(
            f"Machine speed (fixed work, best of 5): a Python loop {before['python_loop_ms']} ms"
            f" before the run, {after['python_loop_ms']} ms after; a SQL statement "
            f"{before['sql_ms']} ms before, {after['sql_ms']} ms after."
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    fill = commands.add_parser("build", help="fill the database up to N published listings")
    fill.add_argument("--rows", type=int, default=1_000_000)
    timing = commands.add_parser("measure", help="p50/p95/p99 per query, floor, throughput")
    timing.add_argument("--rounds", type=int, default=ROUNDS)
    commands.add_parser("table", help="the README table from bench/results/search_scale.json")
    args = parser.parse_args(argv)
    if args.command == "build":
        build(args.rows)
    elif args.command == "measure":
        print(table(measure(args.rounds)))
    else:
        print(table(json.loads(RESULT.read_text())))


if __name__ == "__main__":
    main()
