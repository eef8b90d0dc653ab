"""How one party appears to another in the API."""

from __future__ import annotations

from ninja import Schema


class BuyerOut(Schema):
    company_name: str
    country: str


def public_party(user) -> dict[str, str]:
    """How one party appears to another (a buyer to a supplier, an actor in a notice): the
    business, or the person's name when there is no company; never their contacts."""
    company = user.company
    if company is None:
        return {"company_name": user.name, "country": user.country.code or ""}
    return {"company_name": company.name, "country": company.country.code or ""}
