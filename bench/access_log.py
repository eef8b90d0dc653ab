"""Cost of the access log (privacy.md: "written without slowing requests"): a plain API
call, GET /api/v1/incoterms, with and without privacy's AccessLogMiddleware, through
Django's test client (the whole middleware stack, no network). Rounds of each setting
alternate so that the machine's load hits both alike; the background writer runs as in
production (a thread writing batches to a WAL SQLite file, or to PostgreSQL), so its GIL
and database time count against the "with" figures. Also measured: the middleware's own
work per request, the writer's cost per record off the request path, and the CPU time of
the whole process (request threads and writer) per request, which the machine's other
load disturbs less than wall-clock times.

Run: `.venv/bin/python bench/access_log.py [--requests N] [--rounds R]` — on a throw-away
SQLite database by default, or on the PostgreSQL database named by DATABASE_URL.
Writes bench/results/access_log.json (target: median overhead under 5 %)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ex1000.settings")
TMP = tempfile.mkdtemp(prefix="ex1000-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ["VAR_DIR"] = TMP
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

URL = "/api/v1/incoterms"
MIDDLEWARE = "ex1000.privacy.access_middleware.AccessLogMiddleware"
AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400, help="requests per round")
    parser.add_argument("--rounds", type=int, default=10, help="rounds of each setting")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import get_runner, setup_test_environment

    setup_test_environment(debug=False)  # as served: no query log in the cursors
    default = settings.DATABASES["default"]
    if default["ENGINE"].endswith("sqlite3"):  # a file (WAL), as served, not :memory:
        default.setdefault("TEST", {})["NAME"] = f"{TMP}/test_bench.sqlite3"
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        result = run(args.requests, args.rounds)
    finally:
        from ex1000.privacy import access_log

        access_log.stop_writer()
        runner.teardown_databases(old)

    out = ROOT / "bench/results/access_log.json"
    recorded = json.loads(out.read_text()) if out.exists() else {}
    recorded[result["database"]] = result  # one entry per database
    out.write_text(json.dumps(recorded, indent=2) + "\n")
    print(json.dumps(result, indent=2))


def ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered) * 1000, 4),
        "p95": round(ordered[max(int(len(ordered) * 0.95) - 1, 0)] * 1000, 4),
    }


def run(requests: int, rounds: int) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from ex1000.privacy import access_log
    from ex1000.privacy.access_middleware import AccessLogMiddleware
    from ex1000.privacy.models import AccessRecord

    with_log = list(settings.MIDDLEWARE)
    assert MIDDLEWARE in with_log, "the access log is not in settings.MIDDLEWARE"
    without_log = [m for m in with_log if m != MIDDLEWARE]
    settings.ACCESS_LOG_BACKGROUND = True
    batch, flush_seconds = settings.ACCESS_LOG_BATCH, settings.ACCESS_LOG_FLUSH_SECONDS

    def client(middleware: list[str]) -> Client:
        with override_settings(MIDDLEWARE=middleware):
            c = Client(headers={"User-Agent": AGENT})
            c.get(URL)  # builds the handler's middleware chain under this setting
        return c

    clients = {"without": client(without_log), "with": client(with_log)}
    times: dict[str, list[float]] = {"without": [], "with": []}
    for name, c in clients.items():  # warm-up
        for _ in range(200):
            assert c.get(URL).status_code == 200, name
    access_log.flush()
    AccessRecord.objects.all().delete()

    load = os.getloadavg()[0]
    cpu = {"without": 0.0, "with": 0.0}
    for number in range(rounds):
        order = ("without", "with") if number % 2 == 0 else ("with", "without")
        for name in order:
            c = clients[name]
            bucket = times[name]
            cpu_start = time.process_time()  # every thread of the process: the writer too
            for _ in range(requests):
                start = time.perf_counter()
                c.get(URL)
                bucket.append(time.perf_counter() - start)
            if name == "with":  # what the writer has not written yet is this round's cost
                access_log.flush()
            cpu[name] += time.process_time() - cpu_start
    access_log.stop_writer()  # writes what is left
    written = AccessRecord.objects.count()
    expected = rounds * requests

    # The middleware's own work on the request path (building and queueing one hit, with
    # the writer's liveness check), the writer kept asleep meanwhile.
    settings.ACCESS_LOG_BACKGROUND = False
    response = clients["with"].get(URL)
    request = response.wsgi_request
    access_log.discard()
    settings.ACCESS_LOG_BACKGROUND = True
    settings.ACCESS_LOG_BATCH = 10**9
    settings.ACCESS_LOG_FLUSH_SECONDS = 3600
    n = 20_000
    start = time.perf_counter()
    for _ in range(n):
        AccessLogMiddleware.record(request, response)
    record_us = (time.perf_counter() - start) / n * 1e6
    settings.ACCESS_LOG_BACKGROUND = False
    access_log.discard()  # the writer's cost is timed below, on hits queued anew
    access_log.stop_writer()
    settings.ACCESS_LOG_BATCH, settings.ACCESS_LOG_FLUSH_SECONDS = batch, flush_seconds
    AccessRecord.objects.all().delete()
    for _ in range(n):
        AccessLogMiddleware.record(request, response)

    # The writer's CPU per record, off the request path: User-Agent parsed (cached), rows
    # adapted, one INSERT per 25 rows, one transaction per 1000.
    access_log.parse_user_agent.cache_clear()
    start = time.process_time()
    flushed = access_log.flush()
    flush_us = (time.process_time() - start) / max(flushed, 1) * 1e6

    without, with_ = ms(times["without"]), ms(times["with"])
    return {
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "load_average_1m": round(load, 2),
        "database": connection.vendor,
        "request": f"GET {URL} (anonymous, test client, full middleware stack)",
        "requests_per_setting": expected,
        "ms_without_access_log": without,
        "ms_with_access_log": with_,
        "overhead_percent": {
            "median": round((with_["median"] / without["median"] - 1) * 100, 2),
            "p95": round((with_["p95"] / without["p95"] - 1) * 100, 2),
        },
        "cpu_ms_per_request_all_threads": {
            "without": round(cpu["without"] / expected * 1000, 4),
            "with": round(cpu["with"] / expected * 1000, 4),
            "overhead_percent": round((cpu["with"] / cpu["without"] - 1) * 100, 2),
        },
        "access_records_written": written,
        "records_lost": expected - written,
        "us_middleware_per_request": round(record_us, 2),
        "us_writer_cpu_per_record_off_path": round(flush_us, 2),
        "batch": settings.ACCESS_LOG_BATCH,
        "flush_seconds": settings.ACCESS_LOG_FLUSH_SECONDS,
        "target": "median overhead under 5 %",
    }


if __name__ == "__main__":
    main()
