"""Throughput of the carriers' webhook (issue 8 §6): signed deliveries per second through
POST /api/v1/logistics/webhook/{provider}, each verified (Standard Webhooks HMAC), deduped,
checked and stored, and its events applied by the task (in-process here, as the default
`immediate` backend does; with a worker they leave the request path).

Run: `.venv/bin/python bench/webhook.py [--deliveries N] [--events-per-delivery K]` — on a
throw-away SQLite database, or on the PostgreSQL database named by DATABASE_URL.
Writes bench/results/webhook.json (one entry per database)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from datetime import UTC, datetime, timedelta

from _harness import run_recorded


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=300)
    parser.add_argument("--events-per-delivery", type=int, default=1)
    args = parser.parse_args()

    run_recorded("webhook", lambda: run(args.deliveries, args.events_per_delivery))


def run(deliveries: int, per_delivery: int) -> dict:
    from django.db import connection
    from django.test import Client
    from tests.factories import CompanyFactory, UserFactory
    from tests.orders.builders import trade_in_state

    import ex1000.orders.documents as documents
    from ex1000.logistics import webhooks
    from ex1000.logistics.models import Shipment, TrackingEvent

    documents._render = lambda order, kind, lang: b"%PDF-1.4 bench"  # no WeasyPrint here
    trade = trade_in_state("shipped")
    shipment = trade.order.shipments.get()
    company = CompanyFactory(name="Bench Logistics", verification_status="approved")
    Shipment.objects.filter(pk=shipment.pk).update(partner=company)
    partner = UserFactory(role="logistics", company=company)
    client = Client()
    client.force_login(partner)
    issued = client.post("/api/v1/me/webhook-secret", content_type="application/json").json()
    provider, secret = issued["provider"], issued["secret"]

    carrier = Client()
    start_at = datetime.now(UTC) - timedelta(days=5)
    timings = []
    for n in range(deliveries):
        events = [
            {
                "bl_number": shipment.bl_number,
                "code": "departed" if (n + k) % 2 else "gate_in",
                "classifier": "ACT",
                "location": "CNSHA",
                "occurred_at": (start_at + timedelta(minutes=n * per_delivery + k)).isoformat(),
            }
            for k in range(per_delivery)
        ]
        body = json.dumps(events).encode()
        stamp = int(time.time())
        headers = {
            "webhook-id": f"msg_{n}",
            "webhook-timestamp": str(stamp),
            "webhook-signature": webhooks.sign(secret, f"msg_{n}", stamp, body),
        }
        began = time.perf_counter()
        response = carrier.post(
            f"/api/v1/logistics/webhook/{provider}",
            data=body,
            content_type="application/json",
            headers=headers,
        )
        timings.append(time.perf_counter() - began)
        assert response.status_code == 200, response.content
    total = sum(timings)
    stored = TrackingEvent.objects.filter(shipment=shipment).count()
    assert stored == deliveries * per_delivery, stored
    ordered = sorted(timings)
    return {
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "database": connection.vendor,
        "request": "POST /api/v1/logistics/webhook/{provider}, signed, events applied in-process",
        "deliveries": deliveries,
        "events_per_delivery": per_delivery,
        "deliveries_per_second": round(deliveries / total, 1),
        "events_per_second": round(deliveries * per_delivery / total, 1),
        "ms_per_delivery": {
            "median": round(statistics.median(ordered) * 1000, 2),
            "p95": round(ordered[max(int(len(ordered) * 0.95) - 1, 0)] * 1000, 2),
        },
        "events_stored": stored,
    }


if __name__ == "__main__":
    main()
