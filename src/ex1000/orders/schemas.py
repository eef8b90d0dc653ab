"""The API form of an order, shared by POST /quotes/{id}/accept and GET /orders/{number}."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema

from ex1000.core.money import MoneySchema

from .models import Order


class OrderItemOut(Schema):
    """A listing as it was when the quote was accepted."""

    vehicle_id: int
    quantity: int
    title: str
    make: str
    model: str
    variant: str
    year: int
    vin: str
    mileage_km: int
    steering: str
    city: str
    length_mm: int
    width_mm: int
    height_mm: int
    price: MoneySchema


class OrderQuoteOut(Schema):
    id: int
    version: int
    inquiry_id: int


class SupplierOut(Schema):
    id: int
    company_name: str
    country: str


class BuyerOut(Schema):
    company_name: str
    country: str


def buyer_party(user) -> dict[str, str]:
    """What a supplier learns about a buyer: the business, not the person's contacts."""
    company = user.company
    if company is None:
        return {"company_name": user.name, "country": user.country.code or ""}
    return {"company_name": company.name, "country": company.country.code or ""}


class OrderOut(Schema):
    number: str
    status: str
    quote_id: int
    quote: OrderQuoteOut
    supplier: SupplierOut
    buyer: BuyerOut
    items: list[OrderItemOut]
    currency: str
    total: MoneySchema
    created_at: datetime

    @staticmethod
    def resolve_quote(obj: Order):
        return {
            "id": obj.quote_id,
            "version": obj.quote.version,
            "inquiry_id": obj.quote.inquiry_id,
        }

    @staticmethod
    def resolve_supplier(obj: Order):
        company = obj.supplier
        return {"id": company.pk, "company_name": company.name, "country": company.country.code}

    @staticmethod
    def resolve_buyer(obj: Order):
        return buyer_party(obj.buyer)

    @staticmethod
    def resolve_items(obj: Order):
        return [
            {**item, "price": MoneySchema(amount=item["price"], currency=item["currency"])}
            for item in obj.items
        ]

    @staticmethod
    def resolve_total(obj: Order):
        return MoneySchema.of(obj.total, obj.currency)
