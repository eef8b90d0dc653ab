"""Reference data and instant estimates: /places, /incoterms, /quotes/estimate."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from ex1000.core.api import Text, bearer_auth, limit_anonymous
from ex1000.privacy.behaviour import record_behaviour

from . import estimator
from .options import QuoteOptions, parse_quote_options
from .schemas import EstimateIn, QuoteBody

router = Router(tags=["quotation"])


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


def _options(request: HttpRequest, payload: EstimateIn) -> QuoteOptions:
    # Anyone may ask; a signed-in user (session or bearer token) gets their currency.
    user = request.user
    if not user.is_authenticated and "Authorization" in request.headers:
        user = bearer_auth(request) or user
    preferred = getattr(user, "currency", "") if user.is_authenticated else ""
    return parse_quote_options(
        payload.dict(exclude={"items"}), default_currency=estimator.default_currency(preferred)
    )


@router.post("/quotes/estimate", response=QuoteBody)
def estimate(request: HttpRequest, payload: EstimateIn):
    """Price published listings now, against the rate book in force (nothing is stored).

    Amounts are decimal strings; each line's `amount` is in the quote `currency` and
    `total` is money. A request the rate book cannot serve is 422 problem JSON naming the
    cause by its `code` (and the field, where there is one).
    """
    limit_anonymous(request, "estimate")
    options = _options(request, payload)
    quote, book = estimator.estimate(
        items=[(item.vehicle_id, item.quantity) for item in payload.items], options=options
    )
    record_behaviour(
        request.user,
        "estimate",
        vehicles=[item.vehicle_id for item in payload.items],
        incoterm=options.incoterm,
        destination=options.destination,
    )
    return estimator.quote_json(quote, options, book)
