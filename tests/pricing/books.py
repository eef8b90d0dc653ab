"""Small rate books and vehicles for the pricing tests (no database)."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

from ex1000.pricing import QuoteItem, QuoteRequest, RateBook, VehicleSpec, parse_rate_book

QUOTE_DATE = date(2026, 11, 10)

# The example document of quoting.md, verbatim, plus the Jebel Ali / Horgos / Almaty places
# that it references.
SPEC_EXAMPLE: dict[str, Any] = {
    "version": "2026-11-A",
    "currency": "CNY",
    "valid_from": "2026-11-01",
    "valid_to": "2026-12-31",
    "validity_days": 7,
    "fx": {"USD": "7.10", "EUR": "7.70", "KZT": "0.0140"},
    "places": [
        {"code": "CNSHA", "name": "Shanghai", "country": "CN", "kind": "seaport"},
        {"code": "AEJEA", "name": "Jebel Ali", "country": "AE", "kind": "seaport"},
        {"code": "CNHGS", "name": "Horgos", "country": "CN", "kind": "border crossing"},
        {"code": "KZALA", "name": "Almaty", "country": "KZ", "kind": "dry port"},
    ],
    "inland": [{"from_city": "Hangzhou", "to": "CNSHA", "mode": "roro", "per_vehicle": "1200"}],
    "origin": [
        {
            "place": "CNSHA",
            "mode": "roro",
            "export_clearance": "800",
            "export_documents": "1500",
            "handling": "600",
        }
    ],
    "main": [
        {"from": "CNSHA", "to": "AEJEA", "mode": "roro", "per_m3": "45", "currency": "USD"},
        {
            "from": "CNSHA",
            "to": "AEJEA",
            "mode": "container",
            "container": "40HQ",
            "per_container": "2600",
            "currency": "USD",
        },
        {"from": "CNHGS", "to": "KZALA", "mode": "truck", "per_vehicle": "900", "currency": "USD"},
    ],
    "container_capacity": [{"container": "40HQ", "size_class": "small", "vehicles": 4}],
    "destination": [
        {
            "place": "AEJEA",
            "mode": "roro",
            "unloading": "120",
            "import_clearance": "300",
            "currency": "USD",
        }
    ],
    "onward": [{"from": "AEJEA", "to_place": "Dubai", "per_vehicle": "150", "currency": "USD"}],
    "duties": [{"country": "AE", "duty_pct": "5", "vat_pct": "5"}],
    "insurance": [
        {"cover": "ICC-C", "rate_pct": "0.3", "min_premium": "200"},
        {"cover": "ICC-A", "rate_pct": "0.5", "min_premium": "300"},
    ],
    "inspection": [{"name": "pre-shipment", "country": "*", "per_vehicle": "300"}],
    "platform_fee": {"pct": "1.5", "min": "500"},
    "eligibility": [
        {"country": "KE", "max_age_years": 8, "steering": ["RHD"], "inspection": "pre-shipment"}
    ],
}


def _place(code: str, name: str, country: str, kind: str = "seaport") -> dict[str, str]:
    return {"code": code, "name": name, "country": country, "kind": kind}


def _origin(place: str, mode: str, clearance: str, documents: str, handling: str) -> dict[str, str]:
    return {
        "place": place,
        "mode": mode,
        "export_clearance": clearance,
        "export_documents": documents,
        "handling": handling,
    }


def _dest(place: str, mode: str, unloading: str, clearance: str) -> dict[str, str]:
    return {
        "place": place,
        "mode": mode,
        "unloading": unloading,
        "import_clearance": clearance,
        "currency": "USD",
    }


def _box(origin: str, to: str, container: str, price: str) -> dict[str, str]:
    return {
        "from": origin,
        "to": to,
        "mode": "container",
        "container": container,
        "per_container": price,
        "currency": "USD",
    }


# A fuller book: every mode has a priced route, so every Incoterm can be quoted.
FULL: dict[str, Any] = {
    "version": "T-1",
    "currency": "CNY",
    "valid_from": "2026-11-01",
    "valid_to": "2026-12-31",
    "validity_days": 7,
    "fx": {"USD": "7.10", "EUR": "7.70", "KZT": "0.0140", "JPY": "0.048", "KWD": "23.2"},
    "places": [
        _place("CNSHA", "Shanghai", "CN"),
        _place("CNHGS", "Horgos", "CN", "border crossing"),
        _place("AEJEA", "Jebel Ali", "AE"),
        _place("KEMBA", "Mombasa", "KE"),
        _place("TZDAR", "Dar es Salaam", "TZ"),
        _place("KZALA", "Almaty", "KZ", "dry port"),
    ],
    "inland": [
        {"from_city": "Hangzhou", "to": "CNSHA", "mode": "roro", "per_vehicle": "1200"},
        {"from_city": "Hangzhou", "to": "CNSHA", "mode": "*", "per_vehicle": "1500"},
        {"from_city": "Hangzhou", "to": "CNHGS", "mode": "*", "per_vehicle": "9000"},
        {"from_city": "Xi'an", "to": "CNHGS", "mode": "*", "per_vehicle": "3000"},
    ],
    "origin": [
        _origin("CNSHA", "roro", "800", "1500", "600"),
        _origin("CNSHA", "container", "800", "1500", "900"),
        _origin("CNHGS", "rail", "700", "300", "400"),
        _origin("CNHGS", "truck", "700", "300", "200"),
    ],
    "main": [
        {"from": "CNSHA", "to": "AEJEA", "mode": "roro", "per_m3": "45", "currency": "USD"},
        _box("CNSHA", "AEJEA", "40HQ", "2600"),
        _box("CNSHA", "AEJEA", "20GP", "1900"),
        {"from": "CNHGS", "to": "KZALA", "mode": "truck", "per_vehicle": "900", "currency": "USD"},
        {"from": "CNHGS", "to": "KZALA", "mode": "rail", "per_vehicle": "650", "currency": "USD"},
        {"from": "CNSHA", "to": "KEMBA", "mode": "roro", "per_m3": "52", "currency": "USD"},
    ],
    "container_capacity": [
        {"container": "40HQ", "size_class": "small", "vehicles": 4},
        {"container": "40HQ", "size_class": "medium", "vehicles": 3},
        {"container": "40HQ", "size_class": "large", "vehicles": 2},
        {"container": "20GP", "size_class": "small", "vehicles": 2},
        {"container": "20GP", "size_class": "medium", "vehicles": 1},
    ],
    "destination": [
        _dest("AEJEA", "roro", "120", "300"),
        _dest("AEJEA", "container", "150", "300"),
        _dest("KZALA", "truck", "50", "200"),
        _dest("KZALA", "rail", "60", "200"),
        _dest("KEMBA", "roro", "100", "250"),
    ],
    "onward": [
        {"from": "AEJEA", "to_place": "Dubai", "per_vehicle": "150", "currency": "USD"},
        {"from": "KZALA", "to_place": "Astana", "per_vehicle": "400", "currency": "USD"},
    ],
    "duties": [
        {"country": "AE", "duty_pct": "5", "vat_pct": "5"},
        {"country": "KZ", "duty_pct": "15", "vat_pct": "12"},
        {"country": "KE", "duty_pct": "25", "vat_pct": "16"},
    ],
    "insurance": [
        {"cover": "ICC-C", "rate_pct": "0.3", "min_premium": "200"},
        {"cover": "ICC-A", "rate_pct": "0.5", "min_premium": "300"},
    ],
    "inspection": [
        {"name": "pre-shipment", "country": "*", "per_vehicle": "300"},
        {"name": "pre-shipment", "country": "KE", "per_vehicle": "450"},
    ],
    "platform_fee": {"pct": "1.5", "min": "500"},
    "eligibility": [
        {"country": "KE", "max_age_years": 8, "steering": ["RHD"], "inspection": "pre-shipment"}
    ],
}


def document(base: dict[str, Any] | None = None, **changes: Any) -> dict[str, Any]:
    """A deep copy of a test document (FULL by default) with top-level keys replaced."""
    doc = copy.deepcopy(FULL if base is None else base)
    doc.update(copy.deepcopy(changes))
    return doc


def book(base: dict[str, Any] | None = None, **changes: Any) -> RateBook:
    return parse_rate_book(document(base, **changes))


def car(
    id: int | str = 1,
    *,
    price: str = "118000",
    city: str = "Hangzhou",
    dims: tuple[int, int, int] = (4775, 1890, 1670),
    year: int = 2024,
    steering: str = "LHD",
    make: str = "BYD",
    model: str = "Song Plus",
) -> VehicleSpec:
    """Defaults: a BYD Song Plus, 4775 × 1890 × 1670 mm (medium), 118 000 CNY in Hangzhou."""
    return VehicleSpec(
        id=id,
        make=make,
        model=model,
        year=year,
        price=Decimal(price),
        city=city,
        length_mm=dims[0],
        width_mm=dims[1],
        height_mm=dims[2],
        steering=steering,
    )


def request(
    *items: VehicleSpec | tuple[VehicleSpec, int],
    incoterm: str = "CIF",
    destination: str = "AEJEA",
    mode: str = "roro",
    currency: str = "USD",
    **options: Any,
) -> QuoteRequest:
    quote_items = tuple(
        QuoteItem(*i) if isinstance(i, tuple) else QuoteItem(i) for i in (items or (car(),))
    )
    return QuoteRequest(
        items=quote_items,
        incoterm=incoterm,
        destination=destination,
        mode=mode,
        currency=currency,
        quote_date=options.pop("quote_date", QUOTE_DATE),
        **options,
    )


def by_code(q: Any) -> dict[str, Decimal]:
    """Line amounts summed per code."""
    out: dict[str, Decimal] = {}
    for line in q.lines:
        out[line.code] = out.get(line.code, Decimal(0)) + line.amount
    return out
