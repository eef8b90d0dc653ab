"""Quote versions for the page and PDF tests, priced by the adapter and frozen directly
(without the inquiry services), so a test controls every figure on the document."""

from __future__ import annotations

from decimal import Decimal

from ex1000.quotes import adapter
from ex1000.quotes.models import Inquiry, InquiryItem, QuoteVersion, RateBook
from ex1000.quotes.options import QuoteOptions
from tests.factories import BuyerFactory, SupplierFactory, VehicleFactory


def issue_quote(
    *,
    book: RateBook,
    buyer=None,
    supplier=None,
    vehicle=None,
    quantity: int = 2,
    options: QuoteOptions | None = None,
    version: int = 1,
    inquiry: Inquiry | None = None,
    adjustments: list[dict] | None = None,
    note: str = "",
    payment_terms: str = "30 % deposit, 70 % before shipment",
) -> QuoteVersion:
    """An inquiry (unless given) and one priced, frozen quote version for it."""
    options = options or QuoteOptions(
        incoterm="CIF", destination="AEJEA", mode="roro", currency="USD"
    )
    if inquiry is None:
        supplier = supplier or SupplierFactory()
        buyer = buyer or BuyerFactory()
        vehicle = vehicle or VehicleFactory(company=supplier.company, quantity=5)
        inquiry = Inquiry.objects.create(
            buyer=buyer,
            supplier=vehicle.company,
            incoterm=options.incoterm,
            mode=options.mode,
            destination=options.destination,
            named_place=options.named_place or "",
            insurance="default" if options.insurance else "",
            inspection=options.inspection,
            currency=options.currency,
            payment_terms=payment_terms,
            message="Please quote two units.",
        )
        InquiryItem.objects.create(
            inquiry=inquiry,
            vehicle=vehicle,
            quantity=quantity,
            snapshot={"vin": vehicle.vin, "year": vehicle.year, "make": vehicle.make},
        )
    items = [(item.vehicle, item.quantity) for item in inquiry.items.select_related("vehicle")]
    priced, book = adapter.price(items=items, options=options, book=book)
    lines = [adapter.line_to_json(line) for line in priced.lines]
    total = priced.total
    for adjustment in adjustments or []:
        amount = Decimal(adjustment["amount"])
        lines.append(
            {
                "code": "adjustment",
                "label": adjustment["label"],
                "item": None,
                "quantity": 1,
                "unit_amount": str(amount),
                "amount": str(amount),
                "currency": priced.currency,
                "source": {"table": "adjustment"},
            }
        )
        total += amount
    return QuoteVersion.objects.create(
        inquiry=inquiry,
        version=version,
        rate_book=book,
        incoterm=priced.incoterm,
        mode=priced.mode,
        origin=priced.origin or "",
        destination=priced.destination,
        named_place=options.named_place or "",
        insurance=inquiry.insurance,
        inspection=inquiry.inspection,
        currency=priced.currency,
        lines=lines,
        total=total,
        valid_until=priced.valid_until,
        eligible=priced.eligible,
        reasons=[r.as_dict() for r in priced.reasons],
        warnings=[w.as_dict() for w in priced.warnings],
        adjustments=adjustments or [],
        note=note,
    )
