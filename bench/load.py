"""Load and fault checks (issue 9, acceptance 8), against gunicorn on PostgreSQL with Redis.

1. **Load**: 50 concurrent clients for 30 s, mixing searches, estimates and writes (each a
   signed-in demo buyer: `GET /api/v1/vehicles`, `POST /api/v1/quotes/estimate`,
   `PATCH /api/v1/me`), counting answers by status and timing them.
2. **PostgreSQL restarted under load**: the same mix while the cluster restarts; requests
   during the outage must fail cleanly (an answer, not a hung or reset connection), and the
   same web processes must serve again afterwards.
3. **Redis down**: the same mix with Redis stopped; the site must keep serving (cache and
   rate limits degrade), no 5xx.

Run: `.venv/bin/python bench/load.py [--clients 50] [--seconds 30]`. It creates (or reuses)
the database `ex1000_load` on the PostgreSQL of DATABASE_URL's server (default
127.0.0.1:5432, user postgres), migrates and seeds it, starts gunicorn on 127.0.0.1:8099,
restarts PostgreSQL with `pg_ctlcluster` and stops/starts Redis with `redis-cli`/
`redis-server`: run it on a machine of your own, never against production. Writes
bench/results/load.json."""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _gunicorn

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BASE = "http://127.0.0.1:8099"
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ex1000_load"
REDIS_URL = "redis://127.0.0.1:6379/3"
BUYERS = ("buyer.dubai@ex1000.demo", "buyer.almaty@ex1000.demo", "buyer.mombasa@ex1000.demo")
MAKES = ("Toyota", "BYD", "Geely", "Chery", "Hyundai", "Nissan", "Changan", "")


def _env() -> dict[str, str]:
    var = Path("/tmp/ex1000-load")
    var.mkdir(exist_ok=True)
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "VAR_DIR": str(var),
        "DEBUG": "0",
        "SECRET_KEY": "load-test-" + "k" * 40,
        "FIELD_ENCRYPTION_KEYS": "Yl9vAW4-bdtZ0e_ULn2YNm3Yb-FrIyH6u3LzO9zDqso=",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "ACCESS_LOG_ENABLED": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def _run(*args: str) -> None:
    subprocess.run(args, cwd=ROOT, env=_env(), check=True, stdout=subprocess.DEVNULL)


def prepare() -> None:
    exists = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAc",
            "SELECT 1 FROM pg_database WHERE datname = 'ex1000_load'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", "CREATE DATABASE ex1000_load"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    _run(PYTHON, "manage.py", "migrate", "--noinput", "-v0")
    _run(PYTHON, "manage.py", "seed_demo")
    _run(PYTHON, "manage.py", "collectstatic", "--noinput", "-v0")


def start_gunicorn() -> subprocess.Popen:
    return _gunicorn.start(8099, _env(), workers=3, threads=4)


def tokens() -> list[str]:
    found = []
    for email in BUYERS:
        answer = requests.post(
            BASE + "/api/v1/auth/token",
            json={"email": email, "password": "ex1000-demo"},
            timeout=10,
        )
        answer.raise_for_status()
        found.append(answer.json()["token"])
    return found


def vehicle_ids(token: str) -> list[int]:
    answer = requests.get(
        BASE + "/api/v1/vehicles?page_size=100",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    return [item["id"] for item in answer.json()["items"]]


class Load:
    """Clients in threads, each with its own session and token, until ``stop`` is set."""

    def __init__(self, clients: int, token_list: list[str], cars: list[int]):
        self.clients, self.tokens, self.cars = clients, token_list, cars
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.statuses: Counter[str] = Counter()
        self.timings: list[float] = []
        self.timeline: list[tuple[float, str]] = []
        self.started = 0.0

    def _one(self, session: requests.Session, rng: random.Random) -> str:
        kind = rng.random()
        try:
            if kind < 0.6:
                make = rng.choice(MAKES)
                answer = session.get(
                    BASE + "/api/v1/vehicles", params={"make": make} if make else {}, timeout=30
                )
            elif kind < 0.85:
                answer = session.post(
                    BASE + "/api/v1/quotes/estimate",
                    json={
                        "items": [{"vehicle_id": rng.choice(self.cars), "quantity": 1}],
                        "incoterm": rng.choice(["FOB", "CIF", "CFR"]),
                        "destination": "AEJEA",
                        "mode": "roro",
                    },
                    timeout=30,
                )
            else:
                answer = session.patch(
                    BASE + "/api/v1/me", json={"city": f"City {rng.randint(1, 999)}"}, timeout=30
                )
            return str(answer.status_code)
        except requests.RequestException as exc:
            return f"connection error ({type(exc).__name__})"

    def _client(self, number: int) -> None:
        rng = random.Random(number)
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.tokens[number % len(self.tokens)]}"
        while not self.stop.is_set():
            began = time.perf_counter()
            outcome = self._one(session, rng)
            spent = time.perf_counter() - began
            with self.lock:
                self.statuses[outcome] += 1
                self.timings.append(spent)
                self.timeline.append((time.perf_counter() - self.started, outcome))

    def run(self, seconds: float, during=None) -> dict:
        self.started = time.perf_counter()
        threads = [threading.Thread(target=self._client, args=(n,)) for n in range(self.clients)]
        for thread in threads:
            thread.start()
        if during is not None:
            during()
        remaining = seconds - (time.perf_counter() - self.started)
        time.sleep(max(remaining, 0))
        self.stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - self.started
        ordered = sorted(self.timings)
        failures = sum(n for s, n in self.statuses.items() if not s.startswith(("2", "4")))
        return {
            "seconds": round(elapsed, 1),
            "clients": self.clients,
            "requests": len(ordered),
            "requests_per_second": round(len(ordered) / elapsed, 1),
            "ms": {
                "p50": round(statistics.median(ordered) * 1000, 1),
                "p95": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 1),
                "p99": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 1),
            },
            "statuses": dict(sorted(self.statuses.items())),
            "errors": failures,
        }

    def last_failure_at(self) -> float | None:
        bad = [at for at, s in self.timeline if not s.startswith(("2", "4"))]
        return max(bad) if bad else None

    def successes_after(self, moment: float) -> int:
        return sum(1 for at, s in self.timeline if at > moment and s.startswith("2"))


def restart_postgres() -> float:
    time.sleep(5)
    began = time.perf_counter()
    cluster = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()

    prepare()
    server = start_gunicorn()
    results: dict = {
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "server": "gunicorn, 3 workers x 4 threads, DEBUG=0, PostgreSQL 15 + Redis",
        "mix": "60% GET /api/v1/vehicles (make filter), 25% POST /api/v1/quotes/estimate, "
        "15% PATCH /api/v1/me; signed-in demo buyers",
    }
    try:
        token_list = tokens()
        cars = vehicle_ids(token_list[0])

        results["load"] = Load(args.clients, token_list, cars).run(args.seconds)
        print("load", json.dumps(results["load"]))

        restart = Load(args.clients, token_list, cars)
        outage: dict = {}
        restart_run = restart.run(
            25, during=lambda: outage.setdefault("restart_seconds", round(restart_postgres(), 1))
        )
        last_bad = restart.last_failure_at()
        results["postgres_restart"] = {
            **restart_run,
            **outage,
            "last_failure_at_s": round(last_bad, 1) if last_bad else None,
            "successes_after_last_failure": restart.successes_after(last_bad or 0),
            "same_web_processes": server.poll() is None,
        }
        print("postgres restart", json.dumps(results["postgres_restart"]))

        subprocess.run(["redis-cli", "shutdown", "nosave"], stdout=subprocess.DEVNULL)
        try:
            results["redis_down"] = Load(args.clients, token_list, cars).run(15)
        finally:
            subprocess.run(
                [
                    "redis-server",
                    "--daemonize",
                    "yes",
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    "6379",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                stdout=subprocess.DEVNULL,
            )
        print("redis down", json.dumps(results["redis_down"]))
    finally:
        server.terminate()
        server.wait(10)
    out = ROOT / "bench/results/load.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
