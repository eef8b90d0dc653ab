"""The quotation engine: (vehicles, Incoterm, route, options, currency) → a priced, explained quote.

Implements steps 1–6 of quoting.md literally: every amount is a `Decimal` at full precision in
the currency of the rate that produced it; each line is converted to the quote currency and
rounded half-up to its minor unit only at the end, and the total is the sum of the rounded lines.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from enum import StrEnum
from fractions import Fraction

from . import notices as nc
from .incoterms import (
    DEFAULT_OPTIONAL_COVER,
    INCOTERMS,
    LINE_CODES,
    LINE_LABELS,
    Incoterm,
    Insurance,
    Mode,
    not_for_mode,
)
from .money import BASE_CURRENCY, convert, round_money
from .notices import Notice, Param
from .ratebook import (
    DestinationRate,
    DutyRate,
    EligibilityRule,
    InspectionRate,
    InsuranceCover,
    MainRate,
    OnwardRate,
    Place,
    RateBook,
    RateIndex,
)

PRE_SHIPMENT = "pre-shipment"
ONE_POINT_ONE = Decimal("1.1")  # insured value = 110 % of the CIF value
HUNDRED = Decimal(100)

# Full precision = Decimal's default 28 significant digits, fixed here so that a caller's
# context can never change a figure; anything odd (NaN, division by zero) is an error.
_CONTEXT = Context(
    prec=28, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow]
)

# Lines that make up the insurance base B: steps 1–3 plus inspection.
_INSURED_CODES = frozenset(
    {"vehicle_price", "platform_fee", "inspection", "inland", "export", "handling", "main_carriage"}
)
_CODE_ORDER = {code: i for i, code in enumerate(LINE_CODES)}


class QuoteErrorCode(StrEnum):
    INVALID_REQUEST = "invalid_request"
    UNKNOWN_INCOTERM = "unknown_incoterm"
    UNKNOWN_MODE = "unknown_mode"
    TERM_NOT_FOR_MODE = "term_not_for_mode"
    UNKNOWN_PLACE = "unknown_place"
    UNKNOWN_CURRENCY = "unknown_currency"
    UNKNOWN_INSURANCE_COVER = "unknown_insurance_cover"
    MISSING_RATE = "missing_rate"
    NO_CONTAINER_FIT = "no_container_fit"
    NO_ORIGIN = "no_origin"


class QuoteError(ValueError):
    """A request the rate book cannot price: `code` says which kind of refusal, `notice`
    what exactly is wrong or missing (its own code and parameters; for most refusals the
    same code as `code`), `failures` the refusals of each origin tried (NO_ORIGIN)."""

    def __init__(
        self,
        code: QuoteErrorCode,
        notice: Notice | None = None,
        *,
        failures: tuple[QuoteError, ...] = (),
        **params: Param,
    ) -> None:
        self.code = code
        self.notice = notice or Notice(code.value, params)
        self.failures = failures
        super().__init__(f"{code.value}: {self.notice}")


# ---------------------------------------------------------------------------------------------
# Data in


def size_class(length_mm: int) -> str:
    """small ≤ 4400 mm, medium ≤ 4900, large ≤ 5400, oversize above."""
    if length_mm <= 4400:
        return "small"
    if length_mm <= 4900:
        return "medium"
    if length_mm <= 5400:
        return "large"
    return "oversize"


@dataclass(frozen=True)
class VehicleSpec:
    id: int | str
    make: str
    model: str
    year: int
    price: Decimal
    city: str
    length_mm: int
    width_mm: int
    height_mm: int
    steering: str  # "LHD" or "RHD"
    price_currency: str = BASE_CURRENCY

    @property
    def size_class(self) -> str:
        return size_class(self.length_mm)

    @property
    def volume_m3(self) -> Decimal:
        """L × W × H in m³, exact (not rounded)."""
        return (
            Decimal(self.length_mm)
            / 1000
            * (Decimal(self.width_mm) / 1000)
            * (Decimal(self.height_mm) / 1000)
        )

    @property
    def params(self) -> dict[str, Param]:
        """How a notice names the vehicle: its id and "2019 Toyota Camry"."""
        return {"vehicle_id": str(self.id), "vehicle": f"{self.year} {self.make} {self.model}"}


@dataclass(frozen=True)
class QuoteItem:
    vehicle: VehicleSpec
    quantity: int = 1


@dataclass(frozen=True)
class QuoteRequest:
    items: tuple[QuoteItem, ...]
    incoterm: str
    destination: str
    mode: str
    currency: str
    quote_date: date
    origin: str | None = None
    named_place: str | None = None
    insurance: bool | str = False  # True = the term's default cover; or a cover name
    inspection: bool = False  # True = the pre-shipment inspection


@dataclass(frozen=True)
class Adjustment:
    label: str
    amount: Decimal  # in the quote currency; negative for a discount


# ---------------------------------------------------------------------------------------------
# Data out


@dataclass(frozen=True)
class LineSource:
    """Where a line's figure comes from: enough to reproduce it from the rate book."""

    table: str
    rows: tuple[str, ...]
    rate_book_version: str
    currency: str  # currency of the amount before conversion to the quote currency
    fx: Mapping[str, Decimal]  # the fx rates used (CNY per unit)
    basis: Mapping[str, str] = field(default_factory=dict)  # the quantities behind the figure


@dataclass(frozen=True)
class QuoteLine:
    code: str
    label: str
    item: int | str | None  # vehicle id; None for lines on the quote as a whole
    quantity: int
    unit_amount: Decimal  # rounded, for display; `amount` is authoritative
    amount: Decimal  # in the quote currency, rounded to its minor unit
    currency: str
    source: LineSource


@dataclass(frozen=True)
class Quote:
    incoterm: str
    mode: str
    origin: str | None
    destination: str
    currency: str
    lines: tuple[QuoteLine, ...]
    total: Decimal
    valid_until: date
    eligible: bool
    reasons: tuple[Notice, ...]
    warnings: tuple[Notice, ...]
    rate_book_version: str


@dataclass(frozen=True)
class LandedPrice:
    """One vehicle's total under the given terms, or why it cannot be priced."""

    vehicle_id: int | str
    currency: str
    total: Decimal | None
    origin: str | None
    eligible: bool
    error: QuoteError | None = None
    # Why the destination does not admit it (the same notices its quote would carry).
    reasons: tuple[Notice, ...] = ()


# ---------------------------------------------------------------------------------------------
# Internals


@dataclass
class _Line:
    code: str
    item: int | str | None
    quantity: int
    unit: Decimal  # full precision, in `currency`
    amount: Decimal  # full precision, in `currency`
    currency: str
    table: str
    rows: tuple[str, ...]
    basis: dict[str, str] = field(default_factory=dict)
    fx_currencies: tuple[str, ...] = ()  # further currencies behind a derived line
    order: int = 0  # item position in the request


@dataclass
class _Plan:
    """Everything about a request that does not depend on the vehicles or the origin."""

    book: RateBook
    idx: RateIndex
    term: Incoterm
    mode: str
    currency: str
    quote_date: date
    destination: Place
    named_place: str | None
    origin: str | None
    rule: EligibilityRule | None
    inspection: InspectionRate | None
    onward: OnwardRate | None
    dest_rate: DestinationRate | None
    duty: DutyRate | None
    cover: InsuranceCover | None
    warnings: list[Notice]
    valid_until: date


def _missing(what: str, **params: Param) -> QuoteError:
    return QuoteError(QuoteErrorCode.MISSING_RATE, Notice(what, params))


def _invalid(what: str, **params: Param) -> QuoteError:
    return QuoteError(QuoteErrorCode.INVALID_REQUEST, Notice(what, params))


def _plan(
    book: RateBook,
    *,
    incoterm: str,
    destination: str,
    mode: str,
    currency: str,
    quote_date: date,
    origin: str | None,
    named_place: str | None,
    insurance: bool | str,
    inspection: bool,
) -> _Plan:
    idx = book.index
    term = INCOTERMS.get(incoterm.strip().upper())
    if term is None:
        raise QuoteError(
            QuoteErrorCode.UNKNOWN_INCOTERM, incoterm=incoterm[:20], choices=", ".join(INCOTERMS)
        )
    mode = mode.strip().lower()
    if mode not in {m.value for m in Mode}:
        raise QuoteError(QuoteErrorCode.UNKNOWN_MODE, mode=mode[:20])
    if not_for_mode(term, mode):
        raise QuoteError(QuoteErrorCode.TERM_NOT_FOR_MODE, incoterm=term.code, mode=mode)
    currency = currency.strip().upper()
    if currency not in book.fx:
        raise QuoteError(
            QuoteErrorCode.UNKNOWN_CURRENCY,
            currency=currency[:10],
            version=book.version,
            choices=", ".join(sorted(book.fx)),
        )
    dest = idx.places.get(destination)
    if dest is None:
        raise QuoteError(QuoteErrorCode.UNKNOWN_PLACE, field="destination", place=destination[:20])
    if origin is not None and origin not in idx.places:
        raise QuoteError(QuoteErrorCode.UNKNOWN_PLACE, field="origin", place=origin[:20])
    named_place = named_place.strip() if named_place and named_place.strip() else None

    warnings: list[Notice] = []
    if term.code == "EXW":
        warnings.append(Notice(nc.EXW_EXPORT_CLEARANCE))
    if not book.valid_from <= quote_date <= book.valid_to:
        # Choosing the book in force is the caller's job; price anyway, but say so.
        warnings.append(
            Notice(
                nc.RATE_BOOK_NOT_IN_FORCE,
                {
                    "version": book.version,
                    "date": quote_date.isoformat(),
                    "valid_from": book.valid_from.isoformat(),
                    "valid_to": book.valid_to.isoformat(),
                },
            )
        )
    country = dest.country
    rule = idx.eligibility.get(country)

    inspection_name = rule.inspection if rule and rule.inspection else None
    if inspection_name is None and inspection:
        inspection_name = PRE_SHIPMENT
    inspection_rate = None
    if inspection_name is not None:
        inspection_rate = idx.inspection_rate(inspection_name, country)
        if inspection_rate is None:
            raise _missing(nc.MISSING_INSPECTION_RATE, inspection=inspection_name, country=country)

    onward = None
    if named_place is not None:
        if term.includes("onward"):
            onward = idx.onward_rate(dest.code, named_place)
            if onward is None:
                raise _missing(nc.MISSING_ONWARD_RATE, place=dest.code, named_place=named_place)
        else:
            warnings.append(
                Notice(
                    nc.ONWARD_NOT_INCLUDED,
                    {"incoterm": term.code, "place": dest.code, "named_place": named_place},
                )
            )

    dest_rate = None
    if term.includes("unloading") or term.includes("import_clearance"):
        dest_rate = idx.destination.get((dest.code, mode))
        if dest_rate is None:
            raise _missing(nc.MISSING_DESTINATION_RATE, place=dest.code, mode=mode)

    duty = None
    if term.includes("duty") or term.includes("vat"):
        duty = idx.duties.get(country)
        if duty is None:
            raise _missing(nc.MISSING_DUTY_RATE, country=country)

    cover_name: str | None = None
    if term.insurance is Insurance.MANDATORY:
        cover_name = term.mandatory_cover
        if isinstance(insurance, str) and insurance.strip() and insurance.strip() != cover_name:
            warnings.append(
                Notice(
                    nc.COVER_NOT_APPLIED,
                    {"incoterm": term.code, "cover": cover_name or "", "asked": insurance.strip()},
                )
            )
    elif term.insurance is Insurance.OPTIONAL:
        if isinstance(insurance, str):
            cover_name = insurance.strip() or None
        elif insurance:
            cover_name = DEFAULT_OPTIONAL_COVER
    elif insurance:
        warnings.append(Notice(nc.INSURANCE_NOT_INCLUDED, {"incoterm": term.code}))
    cover = None
    if cover_name is not None:
        cover = idx.insurance.get(cover_name)
        if cover is None and cover_name == term.mandatory_cover:
            raise _missing(nc.MISSING_INSURANCE_RATE, cover=cover_name)
        if cover is None:
            raise QuoteError(
                QuoteErrorCode.UNKNOWN_INSURANCE_COVER,
                cover=cover_name[:20],
                choices=", ".join(sorted(idx.insurance)),
            )

    return _Plan(
        book=book,
        idx=idx,
        term=term,
        mode=mode,
        currency=currency,
        quote_date=quote_date,
        destination=dest,
        named_place=named_place,
        origin=origin,
        rule=rule,
        inspection=inspection_rate,
        onward=onward,
        dest_rate=dest_rate,
        duty=duty,
        cover=cover,
        warnings=warnings,
        valid_until=min(quote_date + timedelta(days=book.validity_days), book.valid_to),
    )


def _check_items(plan: _Plan, items: Sequence[QuoteItem]) -> None:
    if not items:
        raise _invalid(nc.NO_ITEMS)
    seen: set[int | str] = set()
    for item in items:
        v = item.vehicle
        if v.id in seen:
            raise _invalid(nc.DUPLICATE_VEHICLE, vehicle_id=str(v.id))
        seen.add(v.id)
        if isinstance(item.quantity, bool) or item.quantity < 1:
            raise _invalid(nc.INVALID_QUANTITY, **v.params)
        if min(v.length_mm, v.width_mm, v.height_mm) <= 0:
            raise _invalid(nc.INVALID_DIMENSIONS, **v.params)
        if v.price < 0:
            raise _invalid(nc.NEGATIVE_PRICE, **v.params)
        if v.price_currency not in plan.book.fx:
            raise QuoteError(
                QuoteErrorCode.UNKNOWN_CURRENCY,
                currency=v.price_currency,
                version=plan.book.version,
                choices=", ".join(sorted(plan.book.fx)),
            )


def _eligibility(plan: _Plan, items: Sequence[QuoteItem]) -> list[Notice]:
    rule = plan.rule
    if rule is None:
        return []
    country = plan.destination.country
    reasons = []
    for item in items:
        v = item.vehicle
        if rule.max_age_years is not None:
            age = plan.quote_date.year - v.year
            if age > rule.max_age_years:
                params: dict[str, Param] = {
                    **v.params,
                    "age": age,
                    "country": country,
                    "max_age": rule.max_age_years,
                }
                reasons.append(Notice(nc.TOO_OLD, params))
        if rule.steering is not None and v.steering not in rule.steering:
            params = {
                **v.params,
                "steering": v.steering,
                "country": country,
                "allowed": ",".join(rule.steering),  # LHD, RHD
            }
            reasons.append(Notice(nc.STEERING_NOT_ADMITTED, params))
    return reasons


def _per_vehicle(
    code: str,
    n: int,
    item: QuoteItem,
    unit: Decimal,
    currency: str,
    table: str,
    row_id: str,
    basis: dict[str, str] | None = None,
) -> _Line:
    """A line of `unit × quantity` for item number n."""
    q = item.quantity
    return _Line(
        code, item.vehicle.id, q, unit, unit * q, currency, table, (row_id,), basis or {}, order=n
    )


def _fixed_lines(plan: _Plan, items: Sequence[QuoteItem]) -> list[_Line]:
    """Lines that do not depend on the origin: steps 1 and 4."""
    fx, term = plan.book.fx, plan.term
    fee = plan.book.platform_fee
    fee_min_cny = convert(fee.min, fee.currency, BASE_CURRENCY, fx)
    lines: list[_Line] = []
    for n, item in enumerate(items):
        v = item.vehicle
        lines.append(
            _per_vehicle("vehicle_price", n, item, v.price, v.price_currency, "vehicle", str(v.id))
        )
        by_pct = fee.pct / HUNDRED * convert(v.price, v.price_currency, BASE_CURRENCY, fx)
        fee_line = _per_vehicle(
            "platform_fee",
            n,
            item,
            max(by_pct, fee_min_cny),
            BASE_CURRENCY,
            "platform_fee",
            fee.row_id,
            {
                "pct": str(fee.pct),
                "min": f"{fee.min} {fee.currency}",
                "applied": "pct" if by_pct >= fee_min_cny else "min",
            },
        )
        fee_line.fx_currencies = (fee.currency, v.price_currency)
        lines.append(fee_line)
        if plan.inspection is not None:
            r = plan.inspection
            lines.append(
                _per_vehicle(
                    "inspection",
                    n,
                    item,
                    r.per_vehicle,
                    r.currency,
                    "inspection",
                    r.row_id,
                    {"name": r.name},
                )
            )
        if plan.onward is not None:
            o = plan.onward
            lines.append(
                _per_vehicle(
                    "onward",
                    n,
                    item,
                    o.per_vehicle,
                    o.currency,
                    "onward",
                    o.row_id,
                    {"to_place": o.to_place},
                )
            )
        if plan.dest_rate is not None:
            d = plan.dest_rate
            if term.includes("unloading"):
                lines.append(
                    _per_vehicle(
                        "unloading", n, item, d.unloading, d.currency, "destination", d.row_id
                    )
                )
            if term.includes("import_clearance"):
                lines.append(
                    _per_vehicle(
                        "import_clearance",
                        n,
                        item,
                        d.import_clearance,
                        d.currency,
                        "destination",
                        d.row_id,
                    )
                )
    return lines


def _route_lines(plan: _Plan, items: Sequence[QuoteItem], origin: str) -> list[_Line]:
    """Lines that depend on the origin: steps 2 and 3. Raises QuoteError when a rate is missing."""
    idx, term, mode, dest = plan.idx, plan.term, plan.mode, plan.destination.code
    lines: list[_Line] = []
    if term.includes("export") or term.includes("handling"):
        o = idx.origin.get((origin, mode))
        if o is None:
            raise _missing(nc.MISSING_ORIGIN_RATE, place=origin, mode=mode)
        for n, item in enumerate(items):
            if term.includes("inland"):
                city = item.vehicle.city
                r = idx.inland_rate(city, origin, mode)
                if r is None:
                    raise _missing(nc.MISSING_INLAND_RATE, city=city, place=origin, mode=mode)
                lines.append(
                    _per_vehicle("inland", n, item, r.per_vehicle, r.currency, "inland", r.row_id)
                )
            lines.append(
                _per_vehicle(
                    "export",
                    n,
                    item,
                    o.export_clearance + o.export_documents,
                    o.currency,
                    "origin",
                    o.row_id,
                    {
                        "export_clearance": str(o.export_clearance),
                        "export_documents": str(o.export_documents),
                    },
                )
            )
            if term.includes("handling"):
                lines.append(
                    _per_vehicle("handling", n, item, o.handling, o.currency, "origin", o.row_id)
                )
    if term.includes("main_carriage"):
        if mode == Mode.CONTAINER:
            lines.extend(_container_lines(plan, items, origin))
            return lines
        m = idx.main.get((origin, dest, mode))
        if m is None:
            raise _missing(nc.MISSING_MAIN_RATE, origin=origin, destination=dest, mode=mode)
        for n, item in enumerate(items):
            if mode == Mode.RORO:
                if m.per_m3 is None:
                    raise _missing(nc.MISSING_MAIN_BASIS, row=m.row_id, basis="per_m3", mode=mode)
                volume = item.vehicle.volume_m3
                basis = {"per_m3": str(m.per_m3), "volume_m3": str(volume)}
                unit = m.per_m3 * volume
            else:
                if m.per_vehicle is None:
                    raise _missing(
                        nc.MISSING_MAIN_BASIS, row=m.row_id, basis="per_vehicle", mode=mode
                    )
                basis, unit = {}, m.per_vehicle
            lines.append(
                _per_vehicle("main_carriage", n, item, unit, m.currency, "main", m.row_id, basis)
            )
    return lines


def _container_lines(plan: _Plan, items: Sequence[QuoteItem], origin: str) -> list[_Line]:
    idx, fx, dest = plan.idx, plan.book.fx, plan.destination.code
    options = idx.containers.get((origin, dest), ())
    if not options:
        raise _missing(nc.MISSING_MAIN_RATE, origin=origin, destination=dest, mode="container")
    best: tuple[Decimal, MainRate, int, list[Fraction], tuple[str, ...]] | None = None
    considered: list[str] = []
    for rate in options:  # smallest type first, so a tie keeps the smaller type
        assert rate.container is not None and rate.per_container is not None
        fractions: list[Fraction] = []
        cap_rows: list[str] = []
        for item in items:
            cap = idx.capacity.get((rate.container, item.vehicle.size_class))
            if cap is None:
                break
            fractions.append(Fraction(item.quantity, cap.vehicles))
            if cap.row_id not in cap_rows:
                cap_rows.append(cap.row_id)
        else:
            containers = math.ceil(sum(fractions, Fraction(0)))
            cost = rate.per_container * containers
            cost_cny = convert(cost, rate.currency, BASE_CURRENCY, fx)
            considered.append(
                f"{rate.container}: {containers} × {rate.per_container} {rate.currency}"
            )
            if best is None or cost_cny < best[0]:
                best = (cost_cny, rate, containers, fractions, tuple(cap_rows))
    if best is None:
        classes = sorted({i.vehicle.size_class for i in items})
        types = ", ".join(r.container or "" for r in options)
        raise QuoteError(
            QuoteErrorCode.NO_CONTAINER_FIT,
            origin=origin,
            destination=dest,
            containers=types,
            size_classes=", ".join(classes),
        )
    _, rate, containers, fractions, used_rows = best
    assert rate.per_container is not None
    cost = rate.per_container * containers
    whole = sum(fractions, Fraction(0))
    lines = []
    for n, (item, frac) in enumerate(zip(items, fractions, strict=True)):
        share = frac / whole
        amount = cost * Decimal(share.numerator) / Decimal(share.denominator)
        lines.append(
            _Line(
                "main_carriage",
                item.vehicle.id,
                item.quantity,
                amount / item.quantity,
                amount,
                rate.currency,
                "main",
                (rate.row_id, *used_rows),
                {
                    "container": str(rate.container),
                    "containers": str(containers),
                    "per_container": str(rate.per_container),
                    "share": f"{frac} of {whole}",
                    "considered": "; ".join(considered),
                },
                order=n,
            )
        )
    return lines


def _on_quote(
    code: str, amount: Decimal, table: str, row_id: str, basis: dict[str, str], fx: tuple[str, ...]
) -> _Line:
    """A line on the quote as a whole (no item), computed in CNY."""
    return _Line(code, None, 1, amount, amount, BASE_CURRENCY, table, (row_id,), basis, fx)


def _quote_wide_lines(plan: _Plan, lines: list[_Line]) -> list[_Line]:
    """Step 5: insurance on B, then DDP duty and VAT on the customs value."""
    fx, term = plan.book.fx, plan.term
    base_lines = [ln for ln in lines if ln.code in _INSURED_CODES]
    b = sum((convert(ln.amount, ln.currency, BASE_CURRENCY, fx) for ln in base_lines), Decimal(0))
    used = tuple(sorted({ln.currency for ln in base_lines}))
    out: list[_Line] = []
    premium = Decimal(0)
    if plan.cover is not None:
        c = plan.cover
        r = c.rate_pct / HUNDRED
        by_rate = b * ONE_POINT_ONE * r / (1 - ONE_POINT_ONE * r)
        minimum = convert(c.min_premium, c.currency, BASE_CURRENCY, fx)
        premium = max(minimum, by_rate)
        used = (*used, c.currency)
        basis = {
            "cover": c.cover,
            "rate_pct": str(c.rate_pct),
            "insured_base_cny": str(b),
            "min_premium": f"{c.min_premium} {c.currency}",
            "applied": "rate" if by_rate >= minimum else "min_premium",
        }
        out.append(_on_quote("insurance", premium, "insurance", c.row_id, basis, used))
    if plan.duty is not None:
        d = plan.duty
        cv = b + premium
        duty = cv * d.duty_pct / HUNDRED
        if term.includes("duty"):
            basis = {"customs_value_cny": str(cv), "duty_pct": str(d.duty_pct)}
            out.append(_on_quote("duty", duty, "duties", d.row_id, basis, used))
        if term.includes("vat"):
            vat = (cv + duty) * d.vat_pct / HUNDRED
            basis = {"vat_base_cny": str(cv + duty), "vat_pct": str(d.vat_pct)}
            out.append(_on_quote("vat", vat, "duties", d.row_id, basis, used))
    return out


def _rounded_total(plan: _Plan, lines: Iterable[_Line]) -> Decimal:
    fx, cur = plan.book.fx, plan.currency
    return sum(
        (round_money(convert(ln.amount, ln.currency, cur, fx), cur) for ln in lines), Decimal(0)
    )


def _price(plan: _Plan, items: Sequence[QuoteItem]) -> tuple[str | None, list[_Line], Decimal]:
    """Price the items from the best origin: (origin, all lines, rounded total)."""
    fixed = _fixed_lines(plan, items)
    if not plan.term.needs_origin:
        lines = fixed + _quote_wide_lines(plan, fixed)
        return plan.origin, lines, _rounded_total(plan, lines)
    if plan.origin is not None:
        candidates: tuple[str, ...] = (plan.origin,)
    else:
        candidates = plan.idx.origins_by_mode.get(plan.mode, ())
        if not candidates:
            raise _missing(nc.NO_ORIGIN_FOR_MODE, mode=plan.mode)
    best: tuple[str, list[_Line], Decimal] | None = None
    failures: list[QuoteError] = []
    for origin in candidates:  # alphabetical, so a tie keeps the first code
        try:
            route = _route_lines(plan, items, origin)
        except QuoteError as exc:
            if plan.origin is not None:
                raise
            failures.append(exc)
            continue
        lines = fixed + route
        lines += _quote_wide_lines(plan, lines)
        total = _rounded_total(plan, lines)
        if best is None or total < best[2]:
            best = (origin, lines, total)
    if best is None:
        code = (
            QuoteErrorCode.NO_CONTAINER_FIT
            if all(f.code is QuoteErrorCode.NO_CONTAINER_FIT for f in failures)
            else QuoteErrorCode.NO_ORIGIN
        )
        raise QuoteError(
            code,
            Notice(code.value, {"destination": plan.destination.code, "mode": plan.mode}),
            failures=tuple(failures),
        )
    return best


def _finish(plan: _Plan, origin: str | None, lines: list[_Line], reasons: list[Notice]) -> Quote:
    """Step 6: convert each line to the quote currency, round half-up, total the rounded lines."""
    fx, cur, version = plan.book.fx, plan.currency, plan.book.version
    out: list[QuoteLine] = []
    for ln in sorted(lines, key=lambda ln: (_CODE_ORDER[ln.code], ln.order)):
        amount = round_money(convert(ln.amount, ln.currency, cur, fx), cur)
        unit = round_money(convert(ln.unit, ln.currency, cur, fx), cur)
        used = {c: fx[c] for c in sorted({ln.currency, cur, *ln.fx_currencies})}
        out.append(
            QuoteLine(
                code=ln.code,
                label=LINE_LABELS[ln.code],
                item=ln.item,
                quantity=ln.quantity,
                unit_amount=unit,
                amount=amount,
                currency=cur,
                source=LineSource(ln.table, ln.rows, version, ln.currency, used, ln.basis),
            )
        )
    return Quote(
        incoterm=plan.term.code,
        mode=plan.mode,
        origin=origin,
        destination=plan.destination.code,
        currency=cur,
        lines=tuple(out),
        total=sum((ln.amount for ln in out), Decimal(0)),
        valid_until=plan.valid_until,
        eligible=not reasons,
        reasons=tuple(reasons),
        warnings=tuple(plan.warnings),
        rate_book_version=version,
    )


# ---------------------------------------------------------------------------------------------
# Public API


def quote(request: QuoteRequest, book: RateBook) -> Quote:
    """Price a request against a rate book (quoting.md steps 1–6). Raises QuoteError."""
    with localcontext(_CONTEXT):
        plan = _plan(
            book,
            incoterm=request.incoterm,
            destination=request.destination,
            mode=request.mode,
            currency=request.currency,
            quote_date=request.quote_date,
            origin=request.origin,
            named_place=request.named_place,
            insurance=request.insurance,
            inspection=request.inspection,
        )
        items = tuple(request.items)
        _check_items(plan, items)
        origin, lines, _ = _price(plan, items)
        return _finish(plan, origin, lines, _eligibility(plan, items))


def landed_prices(
    vehicles: Iterable[VehicleSpec],
    book: RateBook,
    *,
    incoterm: str,
    destination: str,
    mode: str,
    currency: str,
    quote_date: date,
    origin: str | None = None,
    named_place: str | None = None,
    insurance: bool | str = False,
    inspection: bool = False,
) -> list[LandedPrice]:
    """The total of a one-vehicle quote for each vehicle (search results), in input order.

    The request is checked once (a bad term, place or currency raises QuoteError); a vehicle
    the book cannot price gets `error` instead of a total. Lookups use the book's index.
    """
    with localcontext(_CONTEXT):
        plan = _plan(
            book,
            incoterm=incoterm,
            destination=destination,
            mode=mode,
            currency=currency,
            quote_date=quote_date,
            origin=origin,
            named_place=named_place,
            insurance=insurance,
            inspection=inspection,
        )
        out: list[LandedPrice] = []
        for v in vehicles:
            items = (QuoteItem(v, 1),)
            try:
                _check_items(plan, items)
                chosen, _, total = _price(plan, items)
            except QuoteError as exc:
                out.append(LandedPrice(v.id, plan.currency, None, None, False, exc))
                continue
            reasons = tuple(_eligibility(plan, items))
            out.append(LandedPrice(v.id, plan.currency, total, chosen, not reasons, None, reasons))
        return out


def apply_adjustments(quote: Quote, adjustments: Sequence[Adjustment]) -> Quote:
    """A revised quote with the supplier's adjustment lines added (amounts in the quote
    currency, rounded half-up to its minor unit); the total stays the sum of the lines."""
    added = []
    for adj in adjustments:
        amount = round_money(adj.amount, quote.currency)
        added.append(
            QuoteLine(
                code="adjustment",
                label=adj.label or LINE_LABELS["adjustment"],
                item=None,
                quantity=1,
                unit_amount=amount,
                amount=amount,
                currency=quote.currency,
                source=LineSource("adjustment", (), quote.rate_book_version, quote.currency, {}),
            )
        )
    lines = (*quote.lines, *added)
    return dataclasses.replace(
        quote, lines=lines, total=sum((ln.amount for ln in lines), Decimal(0))
    )
