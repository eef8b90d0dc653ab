"""The cost of a message thread (issue 8 §6): the order page of a thread with 200 messages
(it shows the latest PAGE_MESSAGES, 50, and loads earlier ones on request), beside the same
page with a one-message thread; the 4-second poll when nothing is new and when one message is; "show
earlier messages"; the API's page of 100. Time per request (median, p95) and SQL queries.

Run: `.venv/bin/python bench/thread_page.py [--messages N] [--repeat R]` — on a throw-away
SQLite database, or on the PostgreSQL database named by DATABASE_URL.
Writes bench/results/thread_page.json (one entry per database)."""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from datetime import UTC, datetime, timedelta

from _harness import run_recorded


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    run_recorded("thread_page", lambda: run(args.messages, args.repeat))


def _measure(client, url: str, repeat: int, **extra) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url, **extra)  # warm
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(url, **extra)
            timings.append(time.perf_counter() - began)
        assert response.status_code == 200
    ordered = sorted(timings)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[max(int(len(ordered) * 0.95) - 1, 0)] * 1000, 2),
        "queries": len(queries),
        "bytes": len(response.content),
    }


def run(count: int, repeat: int) -> dict:
    from django.db import connection
    from django.test import Client
    from tests.orders.builders import trade_in_state

    import ex1000.orders.documents as documents
    from ex1000.messaging.models import Message, Thread
    from ex1000.messaging.views import PAGE_MESSAGES

    documents._render = lambda order, kind, lang: b"%PDF-1.4 bench"  # no WeasyPrint here
    quiet = trade_in_state("balance_paid")  # a one-message thread: the page's own cost
    trade = trade_in_state("balance_paid")
    thread = Thread.objects.get(inquiry=trade.order.quote.inquiry)
    start = datetime.now(UTC) - timedelta(days=20)
    Message.objects.bulk_create(
        Message(
            thread=thread,
            author=trade.seller if n % 2 else trade.buyer,
            text=f"Message {n}: the car is being prepared for loading; photos follow. " * 3,
            warnings=["off_platform_payment"] if n % 50 == 7 else [],
            created_at=start + timedelta(minutes=7 * n),
        )
        for n in range(count - 1)
    )
    assert thread.messages.count() == count
    buyer = Client()
    buyer.force_login(trade.buyer)
    other = Client()
    other.force_login(quiet.buyer)
    last = thread.messages.order_by("-id").first()
    shown_first = thread.messages.order_by("-id")[PAGE_MESSAGES - 1].pk
    htmx = {"HTTP_HX_REQUEST": "true"}
    cases = {
        "order page, 1-message thread": _measure(other, f"/orders/{quiet.order.number}/", repeat),
        f"order page, {count}-message thread": _measure(
            buyer, f"/orders/{trade.order.number}/", repeat
        ),
        f"inquiry page, {count}-message thread": _measure(
            buyer, f"/inquiries/{trade.order.quote.inquiry_id}/", repeat
        ),
        "poll, nothing new": _measure(
            buyer, f"/messages/threads/{thread.pk}/new/?after={last.pk}", repeat, **htmx
        ),
        "poll, one new message": _measure(
            buyer, f"/messages/threads/{thread.pk}/new/?after={last.pk - 1}", repeat, **htmx
        ),
        f"show earlier messages (next {PAGE_MESSAGES})": _measure(
            buyer, f"/messages/threads/{thread.pk}/earlier/?before={shown_first}", repeat, **htmx
        ),
        "API GET /threads/{id}/messages?page_size=100": _measure(
            buyer, f"/api/v1/threads/{thread.pk}/messages?page_size=100", repeat
        ),
        "inbox": _measure(buyer, "/messages/", repeat),
    }
    quiet_page = cases["order page, 1-message thread"]["median_ms"]
    full_page = cases[f"order page, {count}-message thread"]["median_ms"]
    return {
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "database": connection.vendor,
        "messages_in_thread": count,
        "messages_on_the_page": PAGE_MESSAGES,
        "repeat": repeat,
        "thread_cost_on_the_order_page_ms": round(full_page - quiet_page, 2),
        "requests": cases,
    }


if __name__ == "__main__":
    main()
