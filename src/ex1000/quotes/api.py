"""Reference data and instant estimates: /places, /incoterms, /quotes/estimate."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field, field_validator

from ex1000 import pricing
from ex1000.core.api import Text, bearer_auth
from ex1000.core.money import CURRENCY_CODES, MoneySchema

from . import adapter, estimator

router = Router(tags=["quotation"])

Cover = Annotated[Text, Field(max_length=10)]


# --- reference data ----------------------------------------------------------------------


class PlaceOut(Schema):
    code: str = Field(description="UN/LOCODE-style code, e.g. AEJEA")
    name: str
    country: str = Field(description="ISO 3166 alpha-2")
    kind: str = Field(description="seaport, dry_port, border or inland_city")
    origin: bool = Field(description="goods can leave China here (the book has origin rates)")
    destination: bool = Field(description="the book has main carriage to here")

    @staticmethod
    def resolve_origin(obj):
        return obj.is_origin

    @staticmethod
    def resolve_destination(obj):
        return obj.is_destination


class PlaceFilters(Schema):
    kind: Text | None = Field(None, max_length=20, description="e.g. seaport, dry_port")
    role: Literal["origin", "destination"] | None = None


class IncotermOut(Schema):
    code: str
    name: str = Field(description="English name (Incoterms 2020)")
    label: str = Field(description="name in the request's language")
    lines: list[str] = Field(
        description="line codes the seller's price includes (onward: only when a named place "
        "beyond the destination is given; insurance: listed when mandatory)"
    )
    sea_only: bool = Field(description="only with roro or container")
    modes: list[str]
    insurance: Literal["none", "optional", "mandatory"]
    insurance_cover: str | None = Field(
        description="the cover included (mandatory) or included when asked for (optional)"
    )
    needs_origin: bool


@router.get("/places", response=list[PlaceOut])
def place_list(request: HttpRequest, filters: Query[PlaceFilters]):
    """Places of the rate book in force; `role=destination` lists where quotes can go."""
    return estimator.places(kind=filters.kind, role=filters.role)


@router.get("/incoterms", response=list[IncotermOut])
def incoterm_list(request: HttpRequest):
    """The eleven Incoterms 2020 and what the quoted total includes under each."""
    return estimator.incoterms()


# --- estimate ----------------------------------------------------------------------------


class EstimateItem(Schema):
    vehicle_id: int = Field(ge=1, le=2**63 - 1, description="a published listing")
    quantity: int = Field(1, ge=1, le=10_000, description="at most the listing's quantity")


class EstimateIn(Schema):
    items: list[EstimateItem] = Field(min_length=1, max_length=estimator.MAX_ITEMS)
    incoterm: Text = Field(max_length=3, description="Incoterms 2020 code, e.g. CIF")
    destination: Text = Field(max_length=10, description="place code, e.g. AEJEA")
    origin: Text | None = Field(
        None, max_length=10, description="place code; omitted: the cheapest origin"
    )
    named_place: Text | None = Field(
        None, max_length=100, description="a place beyond the destination (DAP, DPU, DDP)"
    )
    mode: Text = Field("roro", max_length=10, description="roro, container, rail or truck")
    insurance: bool | Cover = Field(
        False, description="true (the term's cover, ICC-A when optional), false, or a cover"
    )
    inspection: bool = Field(False, description="true: the pre-shipment inspection")
    currency: Text | None = Field(
        None,
        max_length=3,
        description="ISO 4217; omitted: the signed-in user's currency when the rate book "
        "has a rate for it, else USD",
    )

    @field_validator("incoterm")
    @classmethod
    def known_incoterm(cls, value: str) -> str:
        value = value.strip().upper()
        if value not in pricing.INCOTERMS:
            raise ValueError(f"unknown Incoterm; one of {', '.join(pricing.INCOTERMS)}")
        return value

    @field_validator("mode")
    @classmethod
    def known_mode(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in pricing.MODE_LABELS:
            raise ValueError("one of roro, container, rail, truck")
        return value

    @field_validator("destination", "origin")
    @classmethod
    def place_code(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return value.strip().upper() or None

    @field_validator("currency")
    @classmethod
    def iso_currency(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().upper()
        if value not in CURRENCY_CODES:
            raise ValueError(f"unknown ISO 4217 currency {value!r}")
        return value

    @field_validator("insurance")
    @classmethod
    def cover_name(cls, value: bool | str) -> bool | str:
        if isinstance(value, str):
            return value.strip() or False
        return value


class LineSourceOut(Schema):
    table: str = Field(description="rate book table, e.g. main")
    rows: list[str] = Field(description='row ids in that table, e.g. "main[3]"')
    rate_book_version: str
    currency: str = Field(description="currency the amount was computed in")
    fx: dict[str, str] = Field(description="fx rates used: CNY per unit")
    basis: dict[str, str] = Field(description="the quantities behind the figure")


class QuoteLineOut(Schema):
    code: str = Field(description="vehicle_price, platform_fee, inspection, inland, …")
    label: str = Field(description="in the request's language")
    item: int | str | None = Field(description="vehicle id; null for the whole quote")
    quantity: int
    unit_amount: str = Field(description="decimal string in the quote currency (rounded)")
    amount: str = Field(
        description="decimal string in the quote currency, rounded to its minor unit; "
        "the lines add up to the total"
    )
    currency: str
    source: LineSourceOut


class QuoteBody(Schema):
    id: int | None = Field(description="null: an estimate is not stored")
    version: int | None = Field(description="null: an estimate is not stored")
    incoterm: str
    mode: str
    origin: str | None = Field(description="place code (null under EXW)")
    destination: str
    named_place: str | None
    insurance: bool | str
    inspection: bool
    currency: str = Field(description="the currency of every line amount")
    lines: list[QuoteLineOut]
    total: MoneySchema = Field(description="the sum of the lines, as money")
    valid_until: date
    eligible: bool = Field(description="false: priced, but cannot be accepted (see reasons)")
    reasons: list[str]
    warnings: list[str]
    rate_book_version: str


def _options(request: HttpRequest, payload: EstimateIn) -> adapter.Options:
    # Anyone may ask; a signed-in user (session or bearer token) gets their currency.
    user = request.user
    if not user.is_authenticated and "Authorization" in request.headers:
        user = bearer_auth(request) or user
    preferred = getattr(user, "currency", "") if user.is_authenticated else ""
    return adapter.Options(
        incoterm=payload.incoterm,
        destination=payload.destination or "",
        mode=payload.mode,
        currency=payload.currency or estimator.default_currency(preferred),
        origin=payload.origin,
        named_place=(payload.named_place or "").strip() or None,
        insurance=payload.insurance,
        inspection=payload.inspection,
    )


@router.post("/quotes/estimate", response=QuoteBody)
def estimate(request: HttpRequest, payload: EstimateIn):
    """Price published listings now, against the rate book in force (nothing is stored).

    Amounts are decimal strings; each line's `amount` is in the quote `currency` and
    `total` is money. A request the rate book cannot serve is 422 problem JSON naming the
    cause (and the field, where there is one).
    """
    options = _options(request, payload)
    quote, _book = estimator.estimate(
        items=[(item.vehicle_id, item.quantity) for item in payload.items], options=options
    )
    return estimator.quote_json(quote, options)
