"""Catalogue search parameters: one definition for the API and the search page."""

from decimal import Decimal
from typing import Literal, get_args

from ninja import Schema
from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from ex1000.core.api import MAX_PAGE_SIZE, Text
from ex1000.pricing import INCOTERMS

Sort = Literal[
    "price",
    "-price",
    "year",
    "-year",
    "mileage",
    "-published_at",
    "relevance",
    "landed_price",
    "-landed_price",
]
LANDED_SORTS = ("landed_price", "-landed_price")
FuelName = Literal["petrol", "diesel", "hybrid", "phev", "bev"]
BodyName = Literal["sedan", "hatchback", "suv", "mpv", "wagon", "coupe", "pickup", "van"]
TransmissionName = Literal["manual", "automatic", "cvt", "dct"]
DriveName = Literal["fwd", "rwd", "awd", "4wd"]
SteeringName = Literal["LHD", "RHD"]
ModeName = Literal["roro", "container", "rail", "truck"]
INCOTERM_CODES = tuple(INCOTERMS)  # the eleven Incoterms 2020
PLACE_CODE = r"^[A-Za-z]{2}[A-Za-z0-9]{3}$"


class VehicleFilters(Schema):
    q: Text | None = Field(None, max_length=200, description="full-text search")
    make: Text | None = Field(None, max_length=50)
    model: Text | None = Field(None, max_length=80)
    year_min: int | None = Field(None, ge=1900, le=2100)
    year_max: int | None = Field(None, ge=1900, le=2100)
    price_min: Decimal | None = Field(
        None, ge=0, max_digits=14, decimal_places=2, description="CNY"
    )
    price_max: Decimal | None = Field(
        None, ge=0, max_digits=14, decimal_places=2, description="CNY"
    )
    mileage_max: int | None = Field(None, ge=0, le=10_000_000)
    fuel: FuelName | None = None
    body_type: BodyName | None = None
    transmission: TransmissionName | None = None
    drive: DriveName | None = None
    steering: SteeringName | None = None
    city: Text | None = Field(None, max_length=80)
    supplier: int | None = Field(None, ge=1, le=2**62, description="supplier company id")
    sort: Sort | None = Field(
        None,
        description="landed_price / -landed_price need a destination: the landed price under "
        "the search's options, cheapest (dearest) first, cars that cannot be priced last; "
        "exact when the search matches up to 1,000 cars, otherwise among the 1,000 with the "
        "lowest (highest) ex-works prices, whose pages it then reaches",
    )
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)
    # Landed prices: with a destination each result carries its one-vehicle estimate. The
    # quotation layer checks these four (quotes.options), so a bad value gets the same code
    # as on POST /quotes/estimate (unknown_place, unknown_incoterm, unknown_mode …).
    destination: Text | None = Field(
        None,
        max_length=10,
        description="place code (GET /places?role=destination); adds landed_price and eligible",
    )
    # The enums are the document's; the values are still checked by quotes.options (codes).
    incoterm: Text | None = Field(
        None,
        max_length=10,
        description="default CIF (roro, container) or CPT (rail, truck)",
        json_schema_extra={"enum": list(INCOTERM_CODES)},
    )
    mode: Text | None = Field(
        None,
        max_length=10,
        description="default roro",
        json_schema_extra={"enum": list(get_args(ModeName))},
    )
    currency: Text | None = Field(None, max_length=10, description="ISO 4217, default USD")
    eligible: bool | None = Field(
        None,
        description="with destination: true keeps only the cars it admits (its eligibility "
        "rules: age, steering side), false only the others",
    )

    @model_validator(mode="after")
    def ranges_in_order(self):
        # The error stays on the model (the search page relies on that) but names the
        # parameter in ctx["field"], so the API's problem JSON says errors.year_min.
        if (
            self.year_min is not None
            and self.year_max is not None
            and self.year_min > self.year_max
        ):
            raise PydanticCustomError(
                "range_order", "year_min must not exceed year_max", {"field": "year_min"}
            )
        if (
            self.price_min is not None
            and self.price_max is not None
            and self.price_min > self.price_max
        ):
            raise PydanticCustomError(
                "range_order", "price_min must not exceed price_max", {"field": "price_min"}
            )
        return self
