"""The rate book: the operator's cost tables, parsed from the JSON format of quoting.md.

Every row keeps a stable `row_id` (`"main[3]"`: its index in its table) so each quote line
can name the row that priced it. `parse_rate_book` is all-or-nothing: it returns a complete
`RateBook` or raises `RateBookError` listing every problem, each naming table, row and field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any, TypeVar

from .incoterms import Mode
from .money import BASE_CURRENCY

CONTAINER_TYPES: tuple[str, ...] = ("20GP", "40GP", "40HQ")  # smallest first: the tie order
SIZE_CLASSES: tuple[str, ...] = ("small", "medium", "large", "oversize")
STEERING_SIDES = frozenset({"LHD", "RHD"})
ANY = "*"
MODES = frozenset(m.value for m in Mode)

_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")


class RateBookError(ValueError):
    """A rate book document that cannot be imported; `errors` lists every problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    country: str
    kind: str


@dataclass(frozen=True)
class InlandRate:
    row_id: str
    from_city: str
    to: str
    mode: str  # a Mode, or "*" for every mode
    per_vehicle: Decimal
    currency: str


@dataclass(frozen=True)
class OriginRate:
    row_id: str
    place: str
    mode: str
    export_clearance: Decimal
    export_documents: Decimal
    handling: Decimal
    currency: str


@dataclass(frozen=True)
class MainRate:
    """Main carriage: `per_m3` for roro, `per_vehicle` for rail/truck,
    `container` + `per_container` for container."""

    row_id: str
    from_place: str
    to: str
    mode: str
    currency: str
    per_m3: Decimal | None = None
    per_vehicle: Decimal | None = None
    container: str | None = None
    per_container: Decimal | None = None


@dataclass(frozen=True)
class ContainerCapacity:
    row_id: str
    container: str
    size_class: str
    vehicles: int


@dataclass(frozen=True)
class DestinationRate:
    row_id: str
    place: str
    mode: str
    unloading: Decimal
    import_clearance: Decimal
    currency: str


@dataclass(frozen=True)
class OnwardRate:
    row_id: str
    from_place: str
    to_place: str  # a named place beyond the destination (free text, e.g. "Dubai")
    per_vehicle: Decimal
    currency: str


@dataclass(frozen=True)
class DutyRate:
    row_id: str
    country: str
    duty_pct: Decimal
    vat_pct: Decimal


@dataclass(frozen=True)
class InsuranceCover:
    row_id: str
    cover: str
    rate_pct: Decimal
    min_premium: Decimal
    currency: str


@dataclass(frozen=True)
class InspectionRate:
    row_id: str
    name: str
    country: str  # ISO 3166 alpha-2, or "*" for every country
    per_vehicle: Decimal
    currency: str


@dataclass(frozen=True)
class PlatformFee:
    pct: Decimal
    min: Decimal
    currency: str
    row_id: str = "platform_fee"


@dataclass(frozen=True)
class EligibilityRule:
    row_id: str
    country: str
    max_age_years: int | None = None
    steering: tuple[str, ...] | None = None
    inspection: str | None = None


def _norm(text: str) -> str:
    """Free-text keys (cities, named places) match ignoring case and surrounding spaces."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class RateBook:
    version: str
    currency: str
    valid_from: date
    valid_to: date
    validity_days: int
    fx: Mapping[str, Decimal]  # CNY per unit of each currency; always holds CNY = 1
    places: tuple[Place, ...]
    platform_fee: PlatformFee
    inland: tuple[InlandRate, ...] = ()
    origin: tuple[OriginRate, ...] = ()
    main: tuple[MainRate, ...] = ()
    container_capacity: tuple[ContainerCapacity, ...] = ()
    destination: tuple[DestinationRate, ...] = ()
    onward: tuple[OnwardRate, ...] = ()
    duties: tuple[DutyRate, ...] = ()
    insurance: tuple[InsuranceCover, ...] = ()
    inspection: tuple[InspectionRate, ...] = ()
    eligibility: tuple[EligibilityRule, ...] = ()

    @cached_property
    def index(self) -> RateIndex:
        """Dictionary lookups over the tables, built once per rate book."""
        return RateIndex(self)


class RateIndex:
    """Keyed lookups so that pricing never scans a table. First row wins on duplicate keys
    (`parse_rate_book` refuses duplicates, so this only matters for hand-built books)."""

    def __init__(self, book: RateBook) -> None:
        self.places: dict[str, Place] = _first(book.places, lambda p: p.code)
        self.inland: dict[tuple[str, str, str], InlandRate] = _first(
            book.inland, lambda r: (_norm(r.from_city), r.to, r.mode)
        )
        self.origin: dict[tuple[str, str], OriginRate] = _first(
            book.origin, lambda r: (r.place, r.mode)
        )
        origins: dict[str, list[str]] = {}
        for place, mode in self.origin:
            origins.setdefault(mode, []).append(place)
        self.origins_by_mode: dict[str, tuple[str, ...]] = {
            mode: tuple(sorted(set(codes))) for mode, codes in origins.items()
        }
        self.main: dict[tuple[str, str, str], MainRate] = _first(
            (r for r in book.main if r.mode != Mode.CONTAINER),
            lambda r: (r.from_place, r.to, r.mode),
        )
        by_route: dict[tuple[str, str], dict[str, MainRate]] = {}
        for r in book.main:
            if r.mode == Mode.CONTAINER and r.container is not None:
                by_route.setdefault((r.from_place, r.to), {}).setdefault(r.container, r)
        order = {c: i for i, c in enumerate(CONTAINER_TYPES)}
        self.containers: dict[tuple[str, str], tuple[MainRate, ...]] = {
            route: tuple(sorted(rows.values(), key=lambda r: order.get(r.container or "", 99)))
            for route, rows in by_route.items()
        }
        self.capacity: dict[tuple[str, str], ContainerCapacity] = _first(
            book.container_capacity, lambda r: (r.container, r.size_class)
        )
        self.destination: dict[tuple[str, str], DestinationRate] = _first(
            book.destination, lambda r: (r.place, r.mode)
        )
        self.onward: dict[tuple[str, str], OnwardRate] = _first(
            book.onward, lambda r: (r.from_place, _norm(r.to_place))
        )
        self.duties: dict[str, DutyRate] = _first(book.duties, lambda r: r.country)
        self.insurance: dict[str, InsuranceCover] = _first(book.insurance, lambda r: r.cover)
        self.inspection: dict[tuple[str, str], InspectionRate] = _first(
            book.inspection, lambda r: (r.name, r.country)
        )
        self.eligibility: dict[str, EligibilityRule] = _first(book.eligibility, lambda r: r.country)

    def inland_rate(self, city: str, to: str, mode: str) -> InlandRate | None:
        """The row for the mode, else the `"*"` row."""
        key = _norm(city)
        return self.inland.get((key, to, mode)) or self.inland.get((key, to, ANY))

    def onward_rate(self, from_place: str, to_place: str) -> OnwardRate | None:
        return self.onward.get((from_place, _norm(to_place)))

    def inspection_rate(self, name: str, country: str) -> InspectionRate | None:
        """A row for the country beats the `"*"` row."""
        return self.inspection.get((name, country)) or self.inspection.get((name, ANY))


_R = TypeVar("_R")
_K = TypeVar("_K")


def _first(rows: Any, key: Callable[[_R], _K]) -> dict[_K, _R]:
    out: dict[_K, _R] = {}
    for row in rows:
        out.setdefault(key(row), row)
    return out


# ---------------------------------------------------------------------------------------------
# Parsing


class _Missing:
    pass


_MISSING = _Missing()


class _Parser:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self.doc = document
        self.errors: list[str] = []
        self.currencies: set[str] = {BASE_CURRENCY}
        self.default_currency = BASE_CURRENCY

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    # -- scalar fields ---------------------------------------------------------------------
    def raw(self, row: Mapping[str, Any], name: str, path: str, required: bool) -> Any:
        value = row.get(name, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.error(f"{path}.{name}" if path else name, "missing")
            return _MISSING
        return value

    def text(self, row: Mapping[str, Any], name: str, path: str, required: bool = True) -> str:
        value = self.raw(row, name, path, required)
        where = f"{path}.{name}" if path else name
        if value is _MISSING:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.error(where, "must be a non-empty string")
            return ""
        return value.strip()

    def decimal(
        self, row: Mapping[str, Any], name: str, path: str, required: bool = True
    ) -> Decimal | None:
        value = self.raw(row, name, path, required)
        where = f"{path}.{name}" if path else name
        if value is _MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.error(where, 'not a decimal (amounts are strings such as "12.50")')
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.error(where, "not a decimal")
            return None
        if not number.is_finite():
            self.error(where, "not a decimal")
            return None
        if number < 0:
            self.error(where, "must not be negative")
            return None
        return number

    def integer(
        self, row: Mapping[str, Any], name: str, path: str, required: bool = True, minimum: int = 0
    ) -> int | None:
        value = self.raw(row, name, path, required)
        where = f"{path}.{name}" if path else name
        if value is _MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(where, "not a whole number")
            return None
        if value < minimum:
            self.error(where, f"must be at least {minimum}")
            return None
        return value

    def day(self, row: Mapping[str, Any], name: str) -> date | None:
        value = self.raw(row, name, "", True)
        if value is _MISSING:
            return None
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.error(name, "not a date (YYYY-MM-DD)")
        return None

    def currency(self, row: Mapping[str, Any], path: str) -> str:
        value = row.get("currency")
        if value is None:
            return self.default_currency
        if not isinstance(value, str) or value not in self.currencies:
            self.error(f"{path}.currency", f"unknown currency {value!r} (no fx rate)")
        return str(value)

    def mode(self, row: Mapping[str, Any], path: str, allow_any: bool = False) -> str:
        value = self.raw(row, "mode", path, True)
        if value is _MISSING:
            return ""
        allowed = MODES | {ANY} if allow_any else MODES
        if value not in allowed:
            choices = ", ".join(sorted(allowed))
            self.error(f"{path}.mode", f"unknown mode {value!r} (one of {choices})")
            return ""
        return str(value)

    def place(self, row: Mapping[str, Any], name: str, path: str, places: set[str]) -> str:
        code = self.text(row, name, path)
        if code and code not in places:
            self.error(f"{path}.{name}", f"unknown place {code!r} (not in places)")
        return code

    def country(self, row: Mapping[str, Any], path: str, allow_any: bool = False) -> str:
        code = self.text(row, "country", path)
        if code and not (_COUNTRY_RE.match(code) or (allow_any and code == ANY)):
            self.error(f"{path}.country", "not an ISO 3166 alpha-2 country code")
        return code

    # -- tables ----------------------------------------------------------------------------
    def rows(self, name: str) -> list[tuple[str, Mapping[str, Any]]]:
        table = self.doc.get(name, [])
        if table is None:
            return []
        if not isinstance(table, list):
            self.error(name, "must be a list of rows")
            return []
        out: list[tuple[str, Mapping[str, Any]]] = []
        for i, row in enumerate(table):
            path = f"{name}[{i}]"
            if not isinstance(row, dict):
                self.error(path, "must be an object")
                continue
            out.append((path, row))
        return out

    def unique(self, keys: list[tuple[str, object]]) -> None:
        seen: dict[object, str] = {}
        for path, key in keys:
            if key in seen:
                self.error(path, f"duplicates {seen[key]}")
            else:
                seen[key] = path


_MAIN_PRICE_FIELDS: dict[str, tuple[str, ...]] = {
    Mode.RORO: ("per_m3",),
    Mode.RAIL: ("per_vehicle",),
    Mode.TRUCK: ("per_vehicle",),
    Mode.CONTAINER: ("container", "per_container"),
}


def _amount(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal(0)


def parse_rate_book(document: Mapping[str, Any]) -> RateBook:
    """Validate a rate book document (quoting.md, "Rate book file") and build the `RateBook`."""
    if not isinstance(document, Mapping):
        raise RateBookError(["document: must be a JSON object"])
    p = _Parser(document)

    version = p.text(document, "version", "")
    valid_from = p.day(document, "valid_from")
    valid_to = p.day(document, "valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        p.error("valid_to", "before valid_from")
    validity_days = p.integer(document, "validity_days", "", minimum=0)

    fx: dict[str, Decimal] = {BASE_CURRENCY: Decimal(1)}
    raw_fx = document.get("fx", {})
    if not isinstance(raw_fx, dict):
        p.error("fx", "must be an object of currency: CNY per unit")
        raw_fx = {}
    for code, _value in raw_fx.items():
        path = f"fx.{code}"
        if not isinstance(code, str) or not _CURRENCY_RE.match(code):
            p.error(path, "not an ISO 4217 currency code")
            continue
        rate = p.decimal(raw_fx, code, "fx")
        if rate is None:
            continue
        if rate == 0:
            p.error(path, "must be positive")
        elif code == BASE_CURRENCY and rate != 1:
            p.error(path, "CNY is the base currency: its rate is 1")
        else:
            fx[code] = rate
    p.currencies = set(fx)

    currency = p.text(document, "currency", "")
    if currency and currency not in fx:
        p.error("currency", f"unknown currency {currency!r} (no fx rate)")
    p.default_currency = currency or BASE_CURRENCY

    places: list[Place] = []
    place_paths: list[str] = []
    for path, row in p.rows("places"):
        place_paths.append(path)
        country = p.country(row, path)
        places.append(
            Place(
                code=p.text(row, "code", path),
                name=p.text(row, "name", path),
                country=country,
                kind=p.text(row, "kind", path),
            )
        )
    if "places" not in document:
        p.error("places", "missing")
    p.unique([(f"{path}.code", pl.code) for path, pl in zip(place_paths, places, strict=True)])
    codes = {pl.code for pl in places if pl.code}

    inland: list[InlandRate] = []
    for path, row in p.rows("inland"):
        inland.append(
            InlandRate(
                row_id=path,
                from_city=p.text(row, "from_city", path),
                to=p.place(row, "to", path, codes),
                mode=p.mode(row, path, allow_any=True),
                per_vehicle=_amount(p.decimal(row, "per_vehicle", path)),
                currency=p.currency(row, path),
            )
        )
    p.unique([(r.row_id, (_norm(r.from_city), r.to, r.mode)) for r in inland])

    origin: list[OriginRate] = []
    for path, row in p.rows("origin"):
        origin.append(
            OriginRate(
                row_id=path,
                place=p.place(row, "place", path, codes),
                mode=p.mode(row, path),
                export_clearance=_amount(p.decimal(row, "export_clearance", path)),
                export_documents=_amount(p.decimal(row, "export_documents", path)),
                handling=_amount(p.decimal(row, "handling", path)),
                currency=p.currency(row, path),
            )
        )
    p.unique([(r.row_id, (r.place, r.mode)) for r in origin])

    main: list[MainRate] = []
    for path, row in p.rows("main"):
        mode = p.mode(row, path)
        from_place = p.place(row, "from", path, codes)
        to = p.place(row, "to", path, codes)
        row_currency = p.currency(row, path)
        wanted = _MAIN_PRICE_FIELDS.get(mode, ())
        for other in ("per_m3", "per_vehicle", "container", "per_container"):
            if mode and other not in wanted and row.get(other) is not None:
                p.error(f"{path}.{other}", f"not used for mode {mode!r}")
        container: str | None = None
        per_container: Decimal | None = None
        if mode == Mode.CONTAINER:
            container = p.text(row, "container", path)
            if container and container not in CONTAINER_TYPES:
                p.error(
                    f"{path}.container",
                    f"unknown container type {container!r} (one of {', '.join(CONTAINER_TYPES)})",
                )
            per_container = _amount(p.decimal(row, "per_container", path))
        main.append(
            MainRate(
                row_id=path,
                from_place=from_place,
                to=to,
                mode=mode,
                currency=row_currency,
                per_m3=_amount(p.decimal(row, "per_m3", path)) if mode == Mode.RORO else None,
                per_vehicle=(
                    _amount(p.decimal(row, "per_vehicle", path))
                    if mode in (Mode.RAIL, Mode.TRUCK)
                    else None
                ),
                container=container,
                per_container=per_container,
            )
        )
    p.unique([(r.row_id, (r.from_place, r.to, r.mode, r.container)) for r in main])

    capacity: list[ContainerCapacity] = []
    for path, row in p.rows("container_capacity"):
        container = p.text(row, "container", path)
        if container and container not in CONTAINER_TYPES:
            p.error(
                f"{path}.container",
                f"unknown container type {container!r} (one of {', '.join(CONTAINER_TYPES)})",
            )
        size_class = p.text(row, "size_class", path)
        if size_class and size_class not in SIZE_CLASSES:
            p.error(
                f"{path}.size_class",
                f"unknown size class {size_class!r} (one of {', '.join(SIZE_CLASSES)})",
            )
        vehicles = p.integer(row, "vehicles", path, minimum=1)
        capacity.append(ContainerCapacity(path, container, size_class, vehicles or 1))
    p.unique([(r.row_id, (r.container, r.size_class)) for r in capacity])

    destination: list[DestinationRate] = []
    for path, row in p.rows("destination"):
        destination.append(
            DestinationRate(
                row_id=path,
                place=p.place(row, "place", path, codes),
                mode=p.mode(row, path),
                unloading=_amount(p.decimal(row, "unloading", path)),
                import_clearance=_amount(p.decimal(row, "import_clearance", path)),
                currency=p.currency(row, path),
            )
        )
    p.unique([(r.row_id, (r.place, r.mode)) for r in destination])

    onward: list[OnwardRate] = []
    for path, row in p.rows("onward"):
        onward.append(
            OnwardRate(
                row_id=path,
                from_place=p.place(row, "from", path, codes),
                to_place=p.text(row, "to_place", path),
                per_vehicle=_amount(p.decimal(row, "per_vehicle", path)),
                currency=p.currency(row, path),
            )
        )
    p.unique([(r.row_id, (r.from_place, _norm(r.to_place))) for r in onward])

    duties: list[DutyRate] = []
    for path, row in p.rows("duties"):
        duties.append(
            DutyRate(
                row_id=path,
                country=p.country(row, path),
                duty_pct=_amount(p.decimal(row, "duty_pct", path)),
                vat_pct=_amount(p.decimal(row, "vat_pct", path)),
            )
        )
    p.unique([(r.row_id, r.country) for r in duties])

    insurance: list[InsuranceCover] = []
    for path, row in p.rows("insurance"):
        rate_pct = _amount(p.decimal(row, "rate_pct", path))
        if rate_pct * Decimal("1.1") >= 100:
            p.error(f"{path}.rate_pct", "too large: 1.1 × rate must stay below 100 %")
        insurance.append(
            InsuranceCover(
                row_id=path,
                cover=p.text(row, "cover", path),
                rate_pct=rate_pct,
                min_premium=_amount(p.decimal(row, "min_premium", path)),
                currency=p.currency(row, path),
            )
        )
    p.unique([(r.row_id, r.cover) for r in insurance])

    inspection: list[InspectionRate] = []
    for path, row in p.rows("inspection"):
        inspection.append(
            InspectionRate(
                row_id=path,
                name=p.text(row, "name", path),
                country=p.country(row, path, allow_any=True),
                per_vehicle=_amount(p.decimal(row, "per_vehicle", path)),
                currency=p.currency(row, path),
            )
        )
    p.unique([(r.row_id, (r.name, r.country)) for r in inspection])
    inspection_names = {r.name for r in inspection}

    fee_row = document.get("platform_fee")
    platform_fee = PlatformFee(Decimal(0), Decimal(0), BASE_CURRENCY)
    if fee_row is None:
        p.error("platform_fee", "missing")
    elif not isinstance(fee_row, dict):
        p.error("platform_fee", "must be an object")
    else:
        platform_fee = PlatformFee(
            pct=_amount(p.decimal(fee_row, "pct", "platform_fee")),
            min=_amount(p.decimal(fee_row, "min", "platform_fee")),
            currency=p.currency(fee_row, "platform_fee"),
        )

    eligibility: list[EligibilityRule] = []
    for path, row in p.rows("eligibility"):
        steering: tuple[str, ...] | None = None
        raw_steering = row.get("steering")
        if raw_steering is not None:
            if not isinstance(raw_steering, list) or not all(
                s in STEERING_SIDES for s in raw_steering
            ):
                p.error(f"{path}.steering", "must be a list of LHD / RHD")
            else:
                steering = tuple(raw_steering)
        rule_inspection: str | None = None
        if row.get("inspection") is not None:
            rule_inspection = p.text(row, "inspection", path)
            if rule_inspection and rule_inspection not in inspection_names:
                p.error(f"{path}.inspection", f"no inspection rate named {rule_inspection!r}")
        eligibility.append(
            EligibilityRule(
                row_id=path,
                country=p.country(row, path),
                max_age_years=p.integer(row, "max_age_years", path, required=False),
                steering=steering,
                inspection=rule_inspection or None,
            )
        )
    p.unique([(r.row_id, r.country) for r in eligibility])

    if p.errors or valid_from is None or valid_to is None or validity_days is None:
        raise RateBookError(p.errors or ["document: incomplete"])
    return RateBook(
        version=version,
        currency=currency,
        valid_from=valid_from,
        valid_to=valid_to,
        validity_days=validity_days,
        fx=fx,
        places=tuple(places),
        platform_fee=platform_fee,
        inland=tuple(inland),
        origin=tuple(origin),
        main=tuple(main),
        container_capacity=tuple(capacity),
        destination=tuple(destination),
        onward=tuple(onward),
        duties=tuple(duties),
        insurance=tuple(insurance),
        inspection=tuple(inspection),
        eligibility=tuple(eligibility),
    )


__all__ = [
    "CONTAINER_TYPES",
    "SIZE_CLASSES",
    "ContainerCapacity",
    "DestinationRate",
    "DutyRate",
    "EligibilityRule",
    "InlandRate",
    "InspectionRate",
    "InsuranceCover",
    "MainRate",
    "OnwardRate",
    "OriginRate",
    "Place",
    "PlatformFee",
    "RateBook",
    "RateBookError",
    "RateIndex",
    "parse_rate_book",
]
