"""The eleven Incoterms 2020 and what the seller's price includes under each (quoting.md)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Mode(StrEnum):
    RORO = "roro"
    CONTAINER = "container"
    RAIL = "rail"
    TRUCK = "truck"


SEA_MODES = frozenset({Mode.RORO, Mode.CONTAINER})


class Insurance(StrEnum):
    """Whether a term puts cargo insurance in the seller's price."""

    NONE = "none"
    OPTIONAL = "optional"
    MANDATORY = "mandatory"


# Line codes, in the order lines appear on a quote (the order of the table in quoting.md).
LINE_CODES: tuple[str, ...] = (
    "vehicle_price",
    "platform_fee",
    "inspection",
    "inland",
    "export",
    "handling",
    "main_carriage",
    "insurance",
    "onward",
    "unloading",
    "import_clearance",
    "duty",
    "vat",
    "adjustment",
)

LINE_LABELS: dict[str, str] = {
    "vehicle_price": "Vehicle price",
    "platform_fee": "Platform service fee",
    "inspection": "Inspection",
    "inland": "Inland transport to origin",
    "export": "Export clearance and documents",
    "handling": "Origin handling and loading",
    "main_carriage": "Main carriage",
    "insurance": "Cargo insurance",
    "onward": "Onward carriage to named place",
    "unloading": "Destination unloading",
    "import_clearance": "Import clearance",
    "duty": "Import duty",
    "vat": "Import VAT",
    "adjustment": "Adjustment",
}

MODE_LABELS: dict[str, str] = {
    Mode.RORO: "RoRo",
    Mode.CONTAINER: "Container",
    Mode.RAIL: "Rail",
    Mode.TRUCK: "Truck",
}

COVER_ICC_A = "ICC-A"
COVER_ICC_C = "ICC-C"
DEFAULT_OPTIONAL_COVER = COVER_ICC_A


@dataclass(frozen=True)
class Incoterm:
    code: str
    label: str
    # Line codes in the total, apart from insurance (see `insurance`). `onward` is listed
    # for the terms that include it; it appears only when a named place is given.
    lines: frozenset[str]
    insurance: Insurance
    mandatory_cover: str | None = None
    sea_only: bool = False
    needs_origin: bool = True

    def includes(self, code: str) -> bool:
        return code in self.lines


_ALWAYS = frozenset({"vehicle_price", "platform_fee", "inspection"})
_FCA = _ALWAYS | {"inland", "export"}
_FOB = _FCA | {"handling"}
_CFR = _FOB | {"main_carriage"}
_DAP = _CFR | {"onward"}
_DPU = _DAP | {"unloading"}
_DDP = _DPU | {"import_clearance", "duty", "vat"}

INCOTERMS: dict[str, Incoterm] = {
    term.code: term
    for term in (
        Incoterm("EXW", "Ex Works", _ALWAYS, Insurance.NONE, needs_origin=False),
        Incoterm("FCA", "Free Carrier", _FCA, Insurance.NONE),
        Incoterm("FAS", "Free Alongside Ship", _FCA, Insurance.NONE, sea_only=True),
        Incoterm("FOB", "Free On Board", _FOB, Insurance.NONE, sea_only=True),
        Incoterm("CFR", "Cost and Freight", _CFR, Insurance.OPTIONAL, sea_only=True),
        Incoterm(
            "CIF",
            "Cost, Insurance and Freight",
            _CFR,
            Insurance.MANDATORY,
            mandatory_cover=COVER_ICC_C,
            sea_only=True,
        ),
        Incoterm("CPT", "Carriage Paid To", _CFR, Insurance.OPTIONAL),
        Incoterm(
            "CIP",
            "Carriage and Insurance Paid To",
            _CFR,
            Insurance.MANDATORY,
            mandatory_cover=COVER_ICC_A,
        ),
        Incoterm("DAP", "Delivered at Place", _DAP, Insurance.OPTIONAL),
        Incoterm("DPU", "Delivered at Place Unloaded", _DPU, Insurance.OPTIONAL),
        Incoterm("DDP", "Delivered Duty Paid", _DDP, Insurance.OPTIONAL),
    )
}

# Where the term's named place is (Incoterms 2020): the E and F terms name the place of
# origin, where the seller hands over ("FOB Shanghai"); the C terms the destination port the
# seller pays carriage to ("CIF Jebel Ali"); the D terms the place of delivery: the named
# place when the buyer gave one beyond the port, else the destination ("DAP Almaty").
ORIGIN_NAMED = frozenset({"EXW", "FCA", "FAS", "FOB"})
DESTINATION_NAMED = frozenset({"CFR", "CIF", "CPT", "CIP"})
DELIVERY_NAMED = frozenset({"DAP", "DPU", "DDP"})


def not_for_mode(term: Incoterm, mode: str) -> bool:
    """A sea-only term asked with a land mode: refused, pointing to FCA, CPT or CIP."""
    return term.sea_only and mode not in SEA_MODES


def named_place(
    incoterm: str, *, origin: str | None, destination: str | None, named_place: str | None = None
) -> str | None:
    """The place an Incoterm names (a place code, or the buyer's free-text named place).

    None when there is none to name: EXW without an origin (the seller's premises)."""
    code = incoterm.strip().upper()
    named = (named_place or "").strip() or None
    if code in ORIGIN_NAMED:
        return origin or None
    if code in DELIVERY_NAMED:
        return named or destination or None
    return destination or None
