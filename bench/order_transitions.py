"""Cost of the order lifecycle: acceptance (with reservation), each state-machine transition
(lock, table, rule, operation record, notifications) and a payment submission with its proof.

Run: `.venv/bin/python bench/order_transitions.py [--orders N]` — on a throw-away SQLite
database by default, or on the PostgreSQL database named by DATABASE_URL (it creates and
drops a `bench_` copy through Django's test database machinery). Writes
bench/results/order_transitions.json."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ex1000.settings")
TMP = tempfile.mkdtemp(prefix="ex1000-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ["VAR_DIR"] = TMP
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import get_runner, setup_test_environment

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        figures = run(args.orders)
    finally:
        runner.teardown_databases(old)

    from django.db import connection

    result = {
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "database": connection.vendor,
        "orders": args.orders,
        "ms_median": {k: round(statistics.median(v) * 1000, 2) for k, v in figures.items()},
        "ms_p95": {
            k: round(sorted(v)[max(int(len(v) * 0.95) - 1, 0)] * 1000, 2)
            for k, v in figures.items()
        },
    }
    out = ROOT / "bench/results/order_transitions.json"
    recorded = json.loads(out.read_text()) if out.exists() else {}
    recorded[connection.vendor] = result  # one entry per database
    out.write_text(json.dumps(recorded, indent=2) + "\n")
    print(json.dumps(result, indent=2))


def run(n: int) -> dict[str, list[float]]:
    from tests.factories import BuyerFactory, OperatorFactory
    from tests.orders.test_trade import proof
    from tests.quotes import fixtures_inquiries as fx

    from ex1000.accounts.models import User
    from ex1000.logistics.models import Shipment
    from ex1000.orders import services
    from ex1000.orders.documents import contract_document
    from ex1000.quotes import services as quote_services

    fx.rate_book()
    seller, cars = fx.supplier_with_listings(n, quantity=1)
    seller = User.objects.get(pk=seller.pk)
    operator = OperatorFactory()
    times: dict[str, list[float]] = defaultdict(list)

    def timed(name, fn):
        start = time.perf_counter()
        value = fn()
        times[name].append(time.perf_counter() - start)
        return value

    def one_order(car) -> None:
        buyer = BuyerFactory()
        inquiry = quote_services.submit_inquiry(
            buyer=buyer,
            items=[(car.pk, 1)],
            incoterm="CIF",
            destination="AEJEA",
            mode="roro",
            currency="USD",
        )
        order = timed(
            "accept (order + reservation)",
            lambda: services.accept_quote(quote=inquiry.quotes.get(), buyer=buyer),
        )
        contract_document(order)  # rendered once; its cost is bench/pdf_documents.py's
        timed("sign", lambda: services.perform(order=order, action="sign", actor=buyer))
        timed("sign", lambda: services.perform(order=order, action="sign", actor=seller))
        order.refresh_from_db()
        pay = timed(
            "submit payment (proof decoded)",
            lambda: services.submit_payment(
                order=order,
                buyer=buyer,
                kind="deposit",
                amount=str(order.deposit),
                currency=order.currency,
                reference="TT",
                file=proof(),
            ),
        )
        timed(
            "confirm_deposit",
            lambda: services.perform(
                order=order, action="confirm_deposit", actor=operator, params={"payment": pay.pk}
            ),
        )
        timed(
            "start_export",
            lambda: services.perform(order=order, action="start_export", actor=seller),
        )
        timed(
            "refused transition (409)",
            lambda: _refused(services, order, operator),
        )
        Shipment.objects.create(
            order=order, mode="roro", bl_number="BL", origin="CNSHA", destination="AEJEA"
        )

    for car in cars:
        one_order(car)
    return times


def _refused(services, order, operator):
    from ex1000.core.errors import AppError

    try:
        services.perform(order=order, action="settle", actor=operator)
    except AppError:
        return None
    raise AssertionError("settle should be refused before completion")


if __name__ == "__main__":
    main()
