"""The quotation API's request and response schemas: one definition of the options and of
the quote body for /quotes/estimate, /inquiries and revisions.

The schemas fix only the JSON types; what the values may be (a known Incoterm, a place of
the rate book …) is checked by quotes.options, so a bad value gets the same code on every
endpoint and on the pages.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from ex1000.core.api import Text
from ex1000.core.money import MoneySchema

from .options import MAX_ITEMS, MAX_NAMED_PLACE

OPTIONS_DOC = {
    "incoterm": "Incoterms 2020 code, e.g. CIF (unknown: `unknown_incoterm`)",
    "destination": "place code, e.g. AEJEA (GET /places?role=destination); unknown: "
    "`unknown_place`",
    "origin": "place code; omitted: the cheapest origin",
    "named_place": "a place beyond the destination (DAP, DPU, DDP deliver there)",
    "mode": "roro, container, rail or truck (unknown: `unknown_mode`)",
    "insurance": "true (the term's cover, ICC-A when optional), false, or a cover of the rate "
    "book (unknown: `unknown_insurance_cover`)",
    "inspection": "true: the pre-shipment inspection",
    "currency": "ISO 4217 with an exchange rate in the rate book (else `unknown_currency`); "
    "omitted: the signed-in user's currency when the book has it, else USD",
}


class QuoteItemIn(Schema):
    vehicle_id: int = Field(description="a published listing")
    quantity: int = Field(1, description="from 1 to the listing's available quantity")


class QuoteOptionsIn(Schema):
    """What a quotation is priced for, besides the vehicles."""

    incoterm: Text = Field(description=OPTIONS_DOC["incoterm"])
    destination: Text = Field(description=OPTIONS_DOC["destination"])
    origin: Text | None = Field(None, description=OPTIONS_DOC["origin"])
    named_place: Text | None = Field(None, description=OPTIONS_DOC["named_place"])
    mode: Text = Field("roro", description=OPTIONS_DOC["mode"])
    insurance: bool | Text = Field(False, description=OPTIONS_DOC["insurance"])
    inspection: bool = Field(False, description=OPTIONS_DOC["inspection"])
    currency: Text | None = Field(None, description=OPTIONS_DOC["currency"])


class EstimateIn(QuoteOptionsIn):
    items: list[QuoteItemIn] = Field(description=f"1 to {MAX_ITEMS} listings, each once")


class InquiryIn(EstimateIn):
    message: Text = Field("", max_length=5000)
    payment_terms: Text = Field("", max_length=200)


class AdjustmentIn(Schema):
    label: Text = Field("", max_length=100)
    amount: Decimal | MoneySchema = Field(
        description="In the quote currency (a decimal, or money in that currency); "
        "negative for a discount"
    )


class RevisionIn(Schema):
    """Adjustments, a note, and the options to change (omitted: the latest version's)."""

    adjustments: list[AdjustmentIn] = []
    note: Text = Field("", max_length=2000)
    incoterm: Text | None = None
    mode: Text | None = None
    destination: Text | None = None
    origin: Text | None = None
    named_place: Text | None = Field(None, description=f"at most {MAX_NAMED_PLACE} characters")
    insurance: bool | Text | None = None
    inspection: bool | None = None
    currency: Text | None = None


# --- responses -------------------------------------------------------------------------------


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


class NoticeOut(Schema):
    """A reason or warning for machines: a stable code and its parameters."""

    code: str = Field(description="e.g. too_old, steering_not_admitted, exw_export_clearance")
    params: dict[str, str | int]


class QuoteFields(Schema):
    incoterm: str
    incoterm_place: str = Field(
        description="the term with the place it names, in the reader's language: the origin "
        "for EXW/FCA/FAS/FOB (“FOB Shanghai (CNSHA)”), the destination for CFR/CIF/CPT/CIP, "
        "the named place or destination for DAP/DPU/DDP"
    )
    mode: str
    origin: str | None = Field(description="place code (null under EXW)")
    destination: str
    insurance: bool | str
    inspection: bool
    currency: str = Field(description="the currency of every line amount")
    lines: list[QuoteLineOut]
    total: MoneySchema = Field(description="the sum of the lines, as money")
    valid_until: date
    eligible: bool = Field(description="false: priced, but cannot be accepted (see reasons)")
    reasons: list[str] = Field(description="why it is not eligible, in the reader's language")
    warnings: list[str] = Field(description="in the reader's language")
    reason_codes: list[NoticeOut] = Field(description="the reasons as codes with parameters")
    warning_codes: list[NoticeOut] = Field(description="the warnings as codes with parameters")
    rate_book_version: str


class QuoteBody(QuoteFields):
    """An estimate: priced now, not stored."""

    id: int | None = Field(description="null: an estimate is not stored")
    version: int | None = Field(description="null: an estimate is not stored")
    named_place: str | None
