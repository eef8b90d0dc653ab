"""Pricing engine throughput: quotes per second for 1-, 10- and 50-vehicle quotes, and a page of
50 landed prices. Run: `.venv/bin/python bench/pricing.py` (a few seconds); writes
bench/results/pricing.json."""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ex1000.pricing import (  # noqa: E402
    QuoteItem,
    QuoteRequest,
    VehicleSpec,
    landed_prices,
    parse_rate_book,
    quote,
)

SECONDS_PER_CASE = 0.6
PORTS = ("CNSHA", "CNNGB", "CNTAO")
CITIES = ("Hangzhou", "Shanghai", "Ningbo", "Hefei", "Suzhou", "Wuhan")


def rate_book_document() -> dict[str, object]:
    """Three origin ports, every city served by every port, roro and container to Jebel Ali."""
    places = [{"code": p, "name": p, "country": "CN", "kind": "seaport"} for p in PORTS]
    places.append({"code": "AEJEA", "name": "Jebel Ali", "country": "AE", "kind": "seaport"})
    inland = [
        {"from_city": city, "to": port, "mode": "*", "per_vehicle": str(800 + 150 * i + 90 * j)}
        for i, city in enumerate(CITIES)
        for j, port in enumerate(PORTS)
    ]
    origin = [
        {
            "place": port,
            "mode": mode,
            "export_clearance": "800",
            "export_documents": "1500",
            "handling": str(600 + 50 * j),
        }
        for j, port in enumerate(PORTS)
        for mode in ("roro", "container")
    ]
    main: list[dict[str, str]] = []
    for j, port in enumerate(PORTS):
        main.append(
            {"from": port, "to": "AEJEA", "mode": "roro", "per_m3": str(44 + j), "currency": "USD"}
        )
        for box, price in (("20GP", 1900), ("40GP", 2500), ("40HQ", 2600)):
            main.append(
                {
                    "from": port,
                    "to": "AEJEA",
                    "mode": "container",
                    "container": box,
                    "per_container": str(price + 40 * j),
                    "currency": "USD",
                }
            )
    capacity = [
        {"container": box, "size_class": size, "vehicles": n}
        for box, sizes in (
            ("20GP", {"small": 2, "medium": 1}),
            ("40GP", {"small": 3, "medium": 2, "large": 2}),
            ("40HQ", {"small": 4, "medium": 3, "large": 2}),
        )
        for size, n in sizes.items()
    ]
    return {
        "version": "BENCH-1",
        "currency": "CNY",
        "valid_from": "2026-01-01",
        "valid_to": "2026-12-31",
        "validity_days": 7,
        "fx": {"USD": "7.10", "EUR": "7.70"},
        "places": places,
        "inland": inland,
        "origin": origin,
        "main": main,
        "container_capacity": capacity,
        "destination": [
            {
                "place": "AEJEA",
                "mode": m,
                "unloading": "120",
                "import_clearance": "300",
                "currency": "USD",
            }
            for m in ("roro", "container")
        ],
        "onward": [{"from": "AEJEA", "to_place": "Dubai", "per_vehicle": "150", "currency": "USD"}],
        "duties": [{"country": "AE", "duty_pct": "5", "vat_pct": "5"}],
        "insurance": [
            {"cover": "ICC-C", "rate_pct": "0.3", "min_premium": "200"},
            {"cover": "ICC-A", "rate_pct": "0.5", "min_premium": "300"},
        ],
        "inspection": [{"name": "pre-shipment", "country": "*", "per_vehicle": "300"}],
        "platform_fee": {"pct": "1.5", "min": "500"},
        "eligibility": [{"country": "AE", "max_age_years": 10}],
    }


def vehicles(n: int) -> list[VehicleSpec]:
    return [
        VehicleSpec(
            id=i,
            make="BYD",
            model="Song Plus",
            year=2018 + i % 8,
            price=Decimal(60000 + 1234 * i),
            city=CITIES[i % len(CITIES)],
            length_mm=4100 + (i * 97) % 1200,
            width_mm=1800 + i % 90,
            height_mm=1500 + i % 200,
            steering="LHD",
        )
        for i in range(n)
    ]


def rate(fn: Callable[[], object]) -> tuple[float, int]:
    """Calls per second of fn, run for about SECONDS_PER_CASE."""
    fn()  # warm-up (builds the rate book index)
    calls, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < SECONDS_PER_CASE:
        fn()
        calls += 1
    return calls / elapsed, calls


def main() -> None:
    book = parse_rate_book(rate_book_document())
    today = date(2026, 6, 1)
    rows = []
    for n in (1, 10, 50):
        for term, mode in (("CIF", "roro"), ("DDP", "container")):
            request = QuoteRequest(
                items=tuple(QuoteItem(v, 1 + v.id % 2) for v in vehicles(n)),
                incoterm=term,
                destination="AEJEA",
                mode=mode,
                currency="USD",
                quote_date=today,
                named_place="Dubai" if term == "DDP" else None,
                insurance=True,
                inspection=True,
            )
            per_second, calls = rate(partial(quote, request, book))
            rows.append(
                {
                    "case": f"quote {term} {mode}, {n} vehicle{'s' if n > 1 else ''}",
                    "vehicles": n,
                    "origins_tried": len(PORTS),
                    "quotes_per_second": round(per_second, 1),
                    "ms_per_quote": round(1000 / per_second, 3),
                    "calls": calls,
                }
            )
    page = vehicles(50)
    per_second, calls = rate(
        lambda: landed_prices(
            page,
            book,
            incoterm="CIF",
            destination="AEJEA",
            mode="roro",
            currency="USD",
            quote_date=today,
        )
    )
    rows.append(
        {
            "case": "landed_prices CIF roro, page of 50",
            "vehicles": 50,
            "origins_tried": len(PORTS),
            "quotes_per_second": round(per_second * 50, 1),
            "ms_per_quote": round(1000 / per_second, 3),
            "calls": calls,
        }
    )

    print(f"{'case':44} {'quotes/s':>10} {'ms/call':>9}")
    for row in rows:
        print(f"{row['case']:44} {row['quotes_per_second']:>10} {row['ms_per_quote']:>9}")
    print("(landed_prices: quotes/s counts one-vehicle prices; ms/call is the whole page)")

    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "machine": platform.machine(),
        "cores": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "seconds_per_case": SECONDS_PER_CASE,
        "results": rows,
    }
    out = ROOT / "bench" / "results" / "pricing.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
