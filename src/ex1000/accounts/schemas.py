"""How one party appears to another in the API."""

from __future__ import annotations

from ninja import Schema


class BuyerOut(Schema):
    company_name: str
    country: str


def buyer_party(user) -> dict[str, str]:
    """What a supplier learns about a buyer: the business, not the person's contacts."""
    company = user.company
    if company is None:
        return {"company_name": user.name, "country": user.country.code or ""}
    return {"company_name": company.name, "country": company.country.code or ""}
