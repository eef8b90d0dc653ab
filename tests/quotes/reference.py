"""An independent reference implementation of quoting.md, for checking the engine.

Written from quoting.md alone (not from ex1000.pricing), straightforwardly and slowly:
it reads the rate book JSON document directly, works in `Decimal` at 50 significant
digits, and rounds only at step 6. Where quoting.md leaves room it takes the plain
reading, noted inline as "reading:".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Any

# What the seller's price includes, per term (the table of quoting.md).
X, OPT, NO = "x", "opt", "-"
TERMS = ("EXW", "FCA", "FAS", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP")
_TABLE = {
    "inland": "- x x x x x x x x x x",
    "export": "- x x x x x x x x x x",
    "handling": "- - - x x x x x x x x",
    "main_carriage": "- - - - x x x x x x x",
    "insurance": "- - - - opt ICC-C opt ICC-A opt opt opt",
    "onward": "- - - - - - - - x x x",
    "unloading": "- - - - - - - - - x x",
    "import_clearance": "- - - - - - - - - - x",
}
INCLUDED: dict[str, dict[str, str]] = {
    term: {code: cells.split()[i] for code, cells in _TABLE.items()} for i, term in enumerate(TERMS)
}
SEA_ONLY = {"FAS", "FOB", "CFR", "CIF"}
SEA_MODES = {"roro", "container"}
MODES = {"roro", "container", "rail", "truck"}
CONTAINERS = ("20GP", "40GP", "40HQ")  # smaller first: the tie order
# ISO 4217 minor units of the currencies the tests use.
MINOR_UNITS = {"JPY": 0, "KWD": 3, "BHD": 3, "KRW": 0}


class Refused(Exception):
    """The request cannot be priced; `kind` says why."""

    def __init__(self, kind: str, message: str = ""):
        super().__init__(f"{kind}: {message}")
        self.kind = kind


@dataclass(frozen=True)
class Car:
    id: int
    price: Decimal
    city: str
    length_mm: int
    width_mm: int
    height_mm: int
    year: int
    steering: str
    currency: str = "CNY"


@dataclass
class RefLine:
    code: str
    item: int | None
    amount: Decimal  # rounded, in the quote currency


@dataclass
class RefQuote:
    currency: str
    origin: str | None
    lines: list[RefLine]
    total: Decimal
    eligible: bool
    reasons: list[str]
    valid_until: date
    warnings: list[str] = field(default_factory=list)

    def by_code(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for line in self.lines:
            out[line.code] = out.get(line.code, Decimal(0)) + line.amount
        return out


def size_class(length_mm: int) -> str:
    if length_mm <= 4400:
        return "small"
    if length_mm <= 4900:
        return "medium"
    if length_mm <= 5400:
        return "large"
    return "oversize"


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


class _Book:
    def __init__(self, doc: dict[str, Any]):
        self.doc = doc
        self.currency = doc["currency"]
        self.fx = {"CNY": Decimal(1)} | {k: Decimal(v) for k, v in doc["fx"].items()}
        self.places = {p["code"]: p for p in doc["places"]}

    def cur(self, row: dict[str, Any]) -> str:
        return row.get("currency") or self.currency

    def cny(self, amount: Decimal, currency: str) -> Decimal:
        return amount * self.fx[currency] / self.fx["CNY"]

    def rows(self, table: str) -> list[dict[str, Any]]:
        return self.doc.get(table) or []

    def find(self, table: str, what: str, **keys: Any) -> dict[str, Any]:
        for row in self.rows(table):
            if all(row.get(k) == v for k, v in keys.items()):
                return row
        raise Refused("missing_rate", f"no {what} rate {keys}")


def _round(amount: Decimal, currency: str) -> Decimal:
    digits = MINOR_UNITS.get(currency, 2)
    return amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def quote(
    doc: dict[str, Any],
    items: list[tuple[Car, int]],
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
) -> RefQuote:
    with localcontext() as ctx:
        ctx.prec = 50
        book = _Book(doc)
        if incoterm not in TERMS:
            raise Refused("bad_incoterm")
        if mode not in MODES:
            raise Refused("bad_mode")
        if incoterm in SEA_ONLY and mode not in SEA_MODES:
            raise Refused("sea_only", "use FCA, CPT or CIP")
        if currency not in book.fx:
            raise Refused("unknown_currency")
        if destination not in book.places:
            raise Refused("unknown_place")
        if not items or any(q <= 0 for _, q in items):
            raise Refused("bad_quantity")
        if incoterm == "EXW":
            return _priced(
                book,
                items,
                None,
                incoterm,
                destination,
                mode,
                currency,
                quote_date,
                named_place,
                insurance,
                inspection,
            )
        if origin is not None:
            if origin not in book.places:
                raise Refused("unknown_place")
            return _priced(
                book,
                items,
                origin,
                incoterm,
                destination,
                mode,
                currency,
                quote_date,
                named_place,
                insurance,
                inspection,
            )
        candidates = sorted({r["place"] for r in book.rows("origin") if r["mode"] == mode})
        best: RefQuote | None = None
        gaps: set[str] = set()
        for code in candidates:
            try:
                q = _priced(
                    book,
                    items,
                    code,
                    incoterm,
                    destination,
                    mode,
                    currency,
                    quote_date,
                    named_place,
                    insurance,
                    inspection,
                )
            except Refused as exc:
                # reading: an origin whose route lacks a rate, or whose container types
                # cannot take the vehicles, is not a candidate.
                if exc.kind in ("missing_rate", "no_container_fit"):
                    gaps.add(exc.kind)
                    continue
                raise
            if best is None or q.total < best.total:  # alphabetical order keeps ties first
                best = q
        if best is None:
            kind = "no_container_fit" if gaps == {"no_container_fit"} else "missing_rate"
            raise Refused(kind, "no origin can price the whole route")
        return best


def _priced(
    book: _Book,
    items: list[tuple[Car, int]],
    origin: str | None,
    incoterm: str,
    destination: str,
    mode: str,
    currency: str,
    quote_date: date,
    named_place: str | None,
    insurance: bool | str,
    inspection: bool,
) -> RefQuote:
    inc = INCLUDED[incoterm]
    country = book.places[destination]["country"]
    raw: list[tuple[str, int | None, Decimal, str]] = []  # code, item, amount, its currency
    warnings: list[str] = []
    if incoterm == "EXW":
        warnings.append("EXW: the buyer must arrange export clearance")

    fee = book.doc["platform_fee"]
    fee_cur = book.cur(fee)
    rule = next((r for r in book.rows("eligibility") if r["country"] == country), None)
    # reading: the destination's rule names the inspection; otherwise `true` is pre-shipment.
    inspection_name = (rule or {}).get("inspection") or ("pre-shipment" if inspection else None)

    for car, q in items:
        # 1. price and fee (the fee percentage applies to the price in CNY; minimum in CNY)
        raw.append(("vehicle_price", car.id, car.price * q, car.currency))
        price_cny = book.cny(car.price, car.currency)
        fee_cny = max(Decimal(fee["pct"]) / 100 * price_cny, book.cny(Decimal(fee["min"]), fee_cur))
        raw.append(("platform_fee", car.id, fee_cny * q, "CNY"))
        # 4. inspection (every term)
        if inspection_name:
            rows = [r for r in book.rows("inspection") if r["name"] == inspection_name]
            row = next((r for r in rows if r["country"] == country), None) or next(
                (r for r in rows if r["country"] == "*"), None
            )
            if row is None:
                raise Refused("missing_rate", f"no inspection {inspection_name}")
            raw.append(("inspection", car.id, Decimal(row["per_vehicle"]) * q, book.cur(row)))
        # 2. inland, export, handling
        if inc["inland"] == X:
            rows = [
                r
                for r in book.rows("inland")
                if _norm(r["from_city"]) == _norm(car.city) and r["to"] == origin
            ]
            row = next((r for r in rows if r["mode"] == mode), None) or next(
                (r for r in rows if r["mode"] == "*"), None
            )
            if row is None:
                raise Refused("missing_rate", f"no inland {car.city} -> {origin}")
            raw.append(("inland", car.id, Decimal(row["per_vehicle"]) * q, book.cur(row)))
        if inc["export"] == X or inc["handling"] == X:
            row = book.find("origin", "origin", place=origin, mode=mode)
            export = Decimal(row["export_clearance"]) + Decimal(row["export_documents"])
            raw.append(("export", car.id, export * q, book.cur(row)))
            if inc["handling"] == X:
                raw.append(("handling", car.id, Decimal(row["handling"]) * q, book.cur(row)))
        # 3. main carriage (roro, rail, truck; container below, on the whole quote)
        if inc["main_carriage"] == X and mode != "container":
            row = book.find(
                "main", "main carriage", **{"from": origin, "to": destination, "mode": mode}
            )
            if mode == "roro":
                volume = (
                    Decimal(car.length_mm)
                    / 1000
                    * (Decimal(car.width_mm) / 1000)
                    * (Decimal(car.height_mm) / 1000)
                )
                amount = Decimal(row["per_m3"]) * volume * q
            else:
                amount = Decimal(row["per_vehicle"]) * q
            raw.append(("main_carriage", car.id, amount, book.cur(row)))
        # 4. onward, unloading, import clearance
        if inc["onward"] == X and named_place:
            row = next(
                (
                    r
                    for r in book.rows("onward")
                    if r["from"] == destination and _norm(r["to_place"]) == _norm(named_place)
                ),
                None,
            )
            if row is None:
                raise Refused("missing_rate", f"no onward {destination} -> {named_place}")
            raw.append(("onward", car.id, Decimal(row["per_vehicle"]) * q, book.cur(row)))
        if inc["unloading"] == X or inc["import_clearance"] == X:
            row = book.find("destination", "destination", place=destination, mode=mode)
            if inc["unloading"] == X:
                raw.append(("unloading", car.id, Decimal(row["unloading"]) * q, book.cur(row)))
            if inc["import_clearance"] == X:
                raw.append(
                    (
                        "import_clearance",
                        car.id,
                        Decimal(row["import_clearance"]) * q,
                        book.cur(row),
                    )
                )

    if inc["main_carriage"] == X and mode == "container":
        raw.extend(_containers(book, items, origin, destination))

    # 5. insurance and duties, on the whole quote, in CNY
    base = sum(
        (
            book.cny(amount, cur)
            for code, _item, amount, cur in raw
            if code
            in (
                "vehicle_price",
                "platform_fee",
                "inland",
                "export",
                "handling",
                "main_carriage",
                "inspection",
            )
        ),
        Decimal(0),
    )
    cover = None
    if inc["insurance"] in ("ICC-A", "ICC-C"):
        cover = inc["insurance"]
    elif inc["insurance"] == OPT and insurance:
        cover = insurance if isinstance(insurance, str) else "ICC-A"
    premium = Decimal(0)
    if cover:
        row = next((r for r in book.rows("insurance") if r["cover"] == cover), None)
        if row is None:
            raise Refused("missing_rate", f"no insurance cover {cover}")
        r = Decimal(row["rate_pct"]) / 100
        premium = max(
            book.cny(Decimal(row["min_premium"]), book.cur(row)),
            base * Decimal("1.1") * r / (1 - Decimal("1.1") * r),
        )
        raw.append(("insurance", None, premium, "CNY"))
    if incoterm == "DDP":
        row = next((r for r in book.rows("duties") if r["country"] == country), None)
        if row is None:
            raise Refused("missing_rate", f"no duties for {country}")
        customs_value = base + premium
        duty = customs_value * Decimal(row["duty_pct"]) / 100
        vat = (customs_value + duty) * Decimal(row["vat_pct"]) / 100
        raw.append(("duty", None, duty, "CNY"))
        raw.append(("vat", None, vat, "CNY"))

    # 6. convert, round each line; the total is the sum of the rounded lines
    lines = [
        RefLine(code, item, _round(amount * book.fx[cur] / book.fx[currency], currency))
        for code, item, amount, cur in raw
    ]
    total = sum((line.amount for line in lines), Decimal(0))

    reasons: list[str] = []
    if rule:
        for car, _q in items:
            too_old = rule.get("max_age_years") is not None and (
                quote_date.year - car.year > rule["max_age_years"]
            )
            if too_old:
                reasons.append(f"{car.id}: older than {rule['max_age_years']} years")
            if rule.get("steering") is not None and car.steering not in rule["steering"]:
                reasons.append(f"{car.id}: {car.steering} not allowed")
    valid_until = min(
        quote_date + timedelta(days=book.doc["validity_days"]),
        date.fromisoformat(book.doc["valid_to"]),
    )
    return RefQuote(
        currency=currency,
        origin=origin,
        lines=lines,
        total=total,
        eligible=not reasons,
        reasons=reasons,
        valid_until=valid_until,
        warnings=warnings,
    )


def _containers(
    book: _Book, items: list[tuple[Car, int]], origin: str | None, destination: str
) -> list[tuple[str, int | None, Decimal, str]]:
    rates = {
        r["container"]: r
        for r in book.rows("main")
        if r["mode"] == "container" and r["from"] == origin and r["to"] == destination
    }
    if not rates:
        raise Refused("missing_rate", f"no container rate {origin} -> {destination}")
    capacity = {
        (r["container"], r["size_class"]): r["vehicles"] for r in book.rows("container_capacity")
    }
    best = None  # (cost in CNY, order, type, fractions)
    for order, box in enumerate(CONTAINERS):
        row = rates.get(box)
        if row is None:
            continue
        fractions = []
        for car, q in items:
            n = capacity.get((box, size_class(car.length_mm)))
            if not n:
                break
            fractions.append(Fraction(q, n))
        else:
            boxes = math.ceil(sum(fractions))
            cost = Decimal(row["per_container"]) * boxes
            cost_cny = book.cny(cost, book.cur(row))
            if best is None or cost_cny < best[0]:
                best = (cost_cny, order, row, fractions, cost)
    if best is None:
        raise Refused("no_container_fit", "no container fits every vehicle; use roro")
    _cny, _order, row, fractions, cost = best
    whole = sum(fractions)
    out = []
    for (car, _q), share in zip(items, fractions, strict=True):
        exact = share / whole
        amount = cost * Decimal(exact.numerator) / Decimal(exact.denominator)
        out.append(("main_carriage", car.id, amount, book.cur(row)))
    return out
