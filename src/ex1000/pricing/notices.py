"""What the engine says besides figures: a code with parameters, never an English sentence.

Reasons (why a quote is not eligible), warnings and refusals are data, so that any
language can render them later from the code's template (the quotes app holds the
translatable catalogue), and a frozen quote stores them as they were issued.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

Param = str | int


@dataclass(frozen=True)
class Notice:
    code: str
    params: Mapping[str, Param] = field(default_factory=lambda: MappingProxyType({}))

    def as_dict(self) -> dict[str, object]:
        """The stored and API form: {"code": …, "params": {…}}."""
        return {"code": self.code, "params": dict(self.params)}

    def __str__(self) -> str:  # for logs and tests, not for people
        args = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.code}({args})"


# Eligibility reasons
TOO_OLD = "too_old"  # vehicle_id, vehicle, age, country, max_age
STEERING_NOT_ADMITTED = "steering_not_admitted"  # vehicle_id, vehicle, steering, country, allowed
# Warnings
EXW_EXPORT_CLEARANCE = "exw_export_clearance"
RATE_BOOK_NOT_IN_FORCE = "rate_book_not_in_force"  # version, date, valid_from, valid_to
ONWARD_NOT_INCLUDED = "onward_not_included"  # incoterm, place, named_place
COVER_NOT_APPLIED = "cover_not_applied"  # incoterm, cover, asked
INSURANCE_NOT_INCLUDED = "insurance_not_included"  # incoterm
# Details of a refusal (QuoteError.notice) beyond the refusal's own code
MISSING_ORIGIN_RATE = "missing_origin_rate"  # place, mode
MISSING_INLAND_RATE = "missing_inland_rate"  # city, place, mode
MISSING_MAIN_RATE = "missing_main_rate"  # origin, destination, mode
MISSING_MAIN_BASIS = "missing_main_basis"  # row, basis, mode
MISSING_INSPECTION_RATE = "missing_inspection_rate"  # inspection, country
MISSING_ONWARD_RATE = "missing_onward_rate"  # place, named_place
MISSING_DESTINATION_RATE = "missing_destination_rate"  # place, mode
MISSING_DUTY_RATE = "missing_duty_rate"  # country
MISSING_INSURANCE_RATE = "missing_insurance_rate"  # cover
NO_ORIGIN_FOR_MODE = "no_origin_for_mode"  # mode
NO_ITEMS = "no_items"
DUPLICATE_VEHICLE = "duplicate_vehicle"  # vehicle_id
INVALID_QUANTITY = "invalid_quantity"  # vehicle_id, vehicle
INVALID_DIMENSIONS = "invalid_dimensions"  # vehicle_id, vehicle
NEGATIVE_PRICE = "negative_price"  # vehicle_id, vehicle

REASON_CODES = frozenset({TOO_OLD, STEERING_NOT_ADMITTED})
WARNING_CODES = frozenset(
    {
        EXW_EXPORT_CLEARANCE,
        RATE_BOOK_NOT_IN_FORCE,
        ONWARD_NOT_INCLUDED,
        COVER_NOT_APPLIED,
        INSURANCE_NOT_INCLUDED,
    }
)
