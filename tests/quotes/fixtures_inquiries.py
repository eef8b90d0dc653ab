"""Rate books, listings and requests for the inquiry, revision and acceptance tests.

Plain helpers (each test module wraps the ones it needs in fixtures): a rate book row built
from the pricing tests' full book, valid from a month ago to two months ahead, with its
places, and a supplier's listings in Hangzhou, the city of the book's inland rows.
"""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from django.utils import timezone

from ex1000.quotes.models import Place, RateBook
from tests.factories import SupplierFactory, VehicleFactory
from tests.pricing.books import document


def rate_book(version: str = "INQ-1", **changes: Any) -> RateBook:
    today = timezone.now().date()
    doc = document(
        version=version,
        valid_from=(today - timedelta(days=30)).isoformat(),
        valid_to=(today + timedelta(days=60)).isoformat(),
        **changes,
    )
    book = RateBook.objects.create(
        version=doc["version"],
        currency=doc["currency"],
        valid_from=doc["valid_from"],
        valid_to=doc["valid_to"],
        validity_days=doc["validity_days"],
        document=doc,
    )
    origins = {row["place"] for row in doc["origin"]}
    destinations = {row["to"] for row in doc["main"]}
    Place.objects.bulk_create(
        Place(
            book=book,
            code=p["code"],
            name=p["name"],
            country=p["country"],
            kind=p["kind"],
            is_origin=p["code"] in origins,
            is_destination=p["code"] in destinations,
        )
        for p in doc["places"]
    )
    return book


def dearer_rate_book(version: str = "INQ-2") -> RateBook:
    """A later import with other figures: RoRo to Jebel Ali at 60 USD/m³ instead of 45,
    inland from Hangzhou at 1500 CNY instead of 1200."""
    main = copy.deepcopy(document()["main"])
    for row in main:
        if row["mode"] == "roro" and row["to"] == "AEJEA":
            row["per_m3"] = "60"
    inland = copy.deepcopy(document()["inland"])
    for row in inland:
        if row["mode"] == "roro":
            row["per_vehicle"] = "1500"
    return rate_book(version, main=main, inland=inland)


def supplier_with_listings(n: int = 2, *, language: str = "en", **listing: Any):
    """A verified supplier and n published listings of it in Hangzhou (3 cars each)."""
    seller = SupplierFactory(language=language)
    listing = {"city": "Hangzhou", "quantity": 3, "company": seller.company, **listing}
    return seller, [VehicleFactory(**listing) for _ in range(n)]


def inquiry_payload(*vehicles, quantity: int = 1, **changes: Any) -> dict[str, Any]:
    """POST /api/v1/inquiries: CIF Jebel Ali by RoRo in USD."""
    payload = {
        "items": [{"vehicle_id": v.pk, "quantity": quantity} for v in vehicles],
        "incoterm": "CIF",
        "destination": "AEJEA",
        "mode": "roro",
        "currency": "USD",
        "message": "Please confirm the cars are accident-free.",
        "payment_terms": "30 % deposit, 70 % before shipment",
    }
    payload.update(changes)
    return payload
