"""Inquiries and their quotations: a buyer submits, the supplier revises, the buyer accepts.

Every quote version is priced by the engine against a rate book and frozen as issued
(lines, total, rate book, validity): later rate books and listing edits never change it.
A revision or a new quote is a new version; acceptance turns one version into an order.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from ex1000 import pricing
from ex1000.accounts.models import Role, User
from ex1000.catalog.models import ListingStatus, Vehicle
from ex1000.core.errors import Conflict, PermissionDenied, ServiceError, ValidationFailed
from ex1000.notifications.services import localized_date, localized_money, notify_all

from . import adapter
from .models import Inquiry, InquiryItem, InquiryStatus, QuoteVersion, RateBook

MAX_ITEMS = 50
MAX_ADJUSTMENTS = 20
MAX_ADJUSTMENT = Decimal("1e12")
MAX_TOTAL = Decimal("1e13")  # QuoteVersion.total / Order.total hold 13 integer digits
INSURANCE_DEFAULT = "default"
_LIMITS = {"named_place": 100, "payment_terms": 200, "message": 5000, "note": 2000}


def _not_found(what: str) -> ServiceError:
    return ServiceError(f"{what} not found.", code="not_found", status=404)


# --- options ---------------------------------------------------------------------------------


def insurance_field(insurance: bool | str | None) -> str:
    """The stored form: "" none, "default" the term's cover, or a cover name."""
    if isinstance(insurance, str):
        return insurance.strip()
    return INSURANCE_DEFAULT if insurance else ""


def insurance_option(stored: str) -> bool | str:
    """The engine's and the API's form of the stored value."""
    if stored == INSURANCE_DEFAULT:
        return True
    return stored or False


def _check_lengths(**values: str) -> None:
    errors = {
        name: [f"At most {_LIMITS[name]} characters."]
        for name, value in values.items()
        if len(value) > _LIMITS[name]
    }
    if errors:
        raise ValidationFailed("Some fields are too long.", errors=errors)


def _options(
    *,
    incoterm: str,
    destination: str,
    mode: str,
    currency: str,
    origin: str | None,
    named_place: str | None,
    insurance: bool | str | None,
    inspection: bool,
) -> adapter.Options:
    named_place = (named_place or "").strip()
    _check_lengths(named_place=named_place)
    cover = insurance_field(insurance)
    if len(cover) > 10 or (cover == INSURANCE_DEFAULT and isinstance(insurance, str)):
        raise ValidationFailed(
            "Unknown insurance cover.",
            errors={"insurance": ["Use true, false or a cover of the rate book, e.g. ICC-A."]},
        )
    return adapter.Options(
        incoterm=(incoterm or "").strip().upper(),
        destination=(destination or "").strip().upper(),
        mode=(mode or "").strip().lower(),
        currency=(currency or "").strip().upper(),
        origin=(origin or "").strip().upper() or None,
        named_place=named_place or None,
        insurance=insurance_option(cover),
        inspection=bool(inspection),
    )


def _options_of(quote: QuoteVersion) -> dict[str, Any]:
    return {
        "incoterm": quote.incoterm,
        "destination": quote.destination,
        "mode": quote.mode,
        "currency": quote.currency,
        "origin": quote.origin or None,
        "named_place": quote.named_place,
        "insurance": insurance_option(quote.insurance),
        "inspection": quote.inspection,
    }


# --- pricing and freezing --------------------------------------------------------------------


def listing_snapshot(vehicle: Vehicle) -> dict[str, Any]:
    """The listing as it was at a moment (inquiry, order), for the record."""
    return {
        "vehicle_id": vehicle.pk,
        "title": vehicle.title,
        "make": vehicle.make,
        "model": vehicle.model,
        "variant": vehicle.variant,
        "year": vehicle.year,
        "vin": vehicle.vin,
        "mileage_km": vehicle.mileage_km,
        "fuel": vehicle.fuel,
        "body_type": vehicle.body_type,
        "steering": vehicle.steering,
        "price": str(vehicle.price),
        "currency": vehicle.price_currency,
        "length_mm": vehicle.length_mm,
        "width_mm": vehicle.width_mm,
        "height_mm": vehicle.height_mm,
        "city": vehicle.city,
    }


def _checked_total(quote: pricing.Quote) -> pricing.Quote:
    if abs(quote.total) >= MAX_TOTAL:
        raise ValidationFailed(
            "The total is too large to quote; ask for fewer vehicles at once.",
            code="total_too_large",
        )
    return quote


def _freeze(
    *,
    inquiry: Inquiry,
    version: int,
    quote: pricing.Quote,
    book: RateBook,
    options: adapter.Options,
    created_by: User | None = None,
    note: str = "",
) -> QuoteVersion:
    adjustments = [
        {"label": line.label, "amount": str(line.amount)}
        for line in quote.lines
        if line.code == "adjustment"
    ]
    return QuoteVersion.objects.create(
        inquiry=inquiry,
        version=version,
        created_by=created_by,
        rate_book=book,
        incoterm=quote.incoterm,
        mode=quote.mode,
        origin=quote.origin or "",
        destination=quote.destination,
        named_place=options.named_place or "",
        insurance=insurance_field(options.insurance),
        inspection=options.inspection,
        currency=quote.currency,
        lines=[adapter.line_to_json(line) for line in quote.lines],
        total=quote.total,
        valid_until=quote.valid_until,
        eligible=quote.eligible,
        reasons=list(quote.reasons),
        warnings=list(quote.warnings),
        adjustments=adjustments,
        note=note,
    )


# --- who may act -----------------------------------------------------------------------------


def _is_supplier_of(user: User, inquiry: Inquiry) -> bool:
    return (
        user.is_supplier and user.company_id is not None and user.company_id == inquiry.supplier_id
    )


def _can_see(user: User, inquiry: Inquiry) -> bool:
    return user.is_staff or inquiry.buyer_id == user.pk or _is_supplier_of(user, inquiry)


def _supplier_users(inquiry: Inquiry):
    return User.objects.filter(company_id=inquiry.supplier_id, role=Role.SUPPLIER, is_active=True)


def _link(inquiry: Inquiry) -> str:
    return f"/inquiries/{inquiry.pk}/"


# --- submit ----------------------------------------------------------------------------------


def _wanted(items: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    if not items:
        raise ValidationFailed("Name at least one vehicle.", errors={"items": ["Required."]})
    if len(items) > MAX_ITEMS:
        raise ValidationFailed(
            f"At most {MAX_ITEMS} vehicles per inquiry.", errors={"items": ["Too many."]}
        )
    wanted: list[tuple[int, int]] = []
    seen: set[int] = set()
    for n, (vehicle_id, quantity) in enumerate(items):
        if (
            isinstance(vehicle_id, bool)
            or not isinstance(vehicle_id, int)
            or not 0 < vehicle_id < 2**63
        ):
            raise ValidationFailed(
                "Unknown vehicle.", errors={f"items.{n}.vehicle_id": ["A listing id."]}
            )
        if vehicle_id in seen:
            raise ValidationFailed(
                f"Vehicle {vehicle_id} is listed twice; give it one quantity.",
                errors={f"items.{n}.vehicle_id": ["Listed twice."]},
            )
        seen.add(vehicle_id)
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            raise ValidationFailed(
                "Quantities start at 1.", errors={f"items.{n}.quantity": ["At least 1."]}
            )
        wanted.append((vehicle_id, quantity))
    return wanted


def _listings(wanted: list[tuple[int, int]]) -> list[tuple[Vehicle, int]]:
    """The published listings asked for, all of one supplier, in the quantities available."""
    ids = [vehicle_id for vehicle_id, _ in wanted]
    found = {
        v.pk: v
        for v in Vehicle.objects.select_related("company").filter(
            pk__in=ids, status=ListingStatus.PUBLISHED
        )
    }
    errors: dict[str, list[str]] = {}
    for n, (vehicle_id, quantity) in enumerate(wanted):
        vehicle = found.get(vehicle_id)
        if vehicle is None:
            errors[f"items.{n}.vehicle_id"] = [f"Vehicle {vehicle_id} is not available."]
        elif quantity > vehicle.quantity:
            errors[f"items.{n}.quantity"] = [
                f"Vehicle {vehicle_id}: only {vehicle.quantity} available."
            ]
    if errors:
        raise ValidationFailed(
            "Some vehicles cannot be asked for.", code="vehicle_unavailable", errors=errors
        )
    suppliers = {found[vehicle_id].company_id for vehicle_id in ids}
    if len(suppliers) > 1:
        raise ValidationFailed(
            f"These vehicles come from {len(suppliers)} different suppliers; "
            "send one inquiry per supplier.",
            code="several_suppliers",
            errors={"items": ["Send one inquiry per supplier."]},
        )
    return [(found[vehicle_id], quantity) for vehicle_id, quantity in wanted]


@transaction.atomic
def submit_inquiry(
    *,
    buyer: User,
    items: Sequence[tuple[int, int]],
    incoterm: str,
    destination: str,
    mode: str,
    currency: str,
    origin: str | None = None,
    named_place: str = "",
    insurance: bool | str = False,
    inspection: bool = False,
    payment_terms: str = "",
    message: str = "",
) -> Inquiry:
    """A buyer's inquiry to one supplier, with its first quote version priced automatically
    against the rate book in force. A request the book cannot price stores nothing (422)."""
    if not (buyer.is_authenticated and buyer.is_buyer):
        raise PermissionDenied("Only buyers send inquiries.", code="not_buyer")
    payment_terms, message = (payment_terms or "").strip(), (message or "").strip()
    _check_lengths(payment_terms=payment_terms, message=message)
    options = _options(
        incoterm=incoterm,
        destination=destination,
        mode=mode,
        currency=currency,
        origin=origin,
        named_place=named_place,
        insurance=insurance,
        inspection=inspection,
    )
    listings = _listings(_wanted(items))
    quote, book = adapter.price(items=listings, options=options)
    _checked_total(quote)

    inquiry = Inquiry.objects.create(
        buyer=buyer,
        supplier=listings[0][0].company,
        incoterm=quote.incoterm,
        mode=quote.mode,
        origin=options.origin or "",
        destination=quote.destination,
        named_place=options.named_place or "",
        insurance=insurance_field(options.insurance),
        inspection=options.inspection,
        currency=quote.currency,
        payment_terms=payment_terms,
        message=message,
    )
    InquiryItem.objects.bulk_create(
        InquiryItem(
            inquiry=inquiry, vehicle=vehicle, quantity=quantity, snapshot=listing_snapshot(vehicle)
        )
        for vehicle, quantity in listings
    )
    first = _freeze(inquiry=inquiry, version=1, quote=quote, book=book, options=options)

    vehicles = ", ".join(f"{q} × {v.title}" for v, q in listings)
    params = {
        "number": inquiry.pk,
        "buyer": buyer.company.name if buyer.company else buyer.name,
        "incoterm": first.incoterm,
        "destination": first.destination,
        "vehicles": vehicles,
        "total": localized_money(first.total, first.currency),
        "valid_until": localized_date(first.valid_until),
    }
    notify_all(
        _supplier_users(inquiry),
        kind="inquiry_received",
        title=_("New inquiry #%(number)s from %(buyer)s"),
        body=_(
            "%(buyer)s asks for a %(incoterm)s %(destination)s quotation for %(vehicles)s. "
            "The automatic quotation totals %(total)s and is valid until %(valid_until)s; "
            "you can revise it."
        ),
        link=_link(inquiry),
        params=params,
    )
    notify_all(
        [buyer],
        kind="quote_ready",
        title=_("Your quotation #%(number)s is ready"),
        body=_(
            "%(incoterm)s %(destination)s for %(vehicles)s: %(total)s "
            "(valid until %(valid_until)s)."
        ),
        link=_link(inquiry),
        params=params,
    )
    return inquiry


# --- revise ----------------------------------------------------------------------------------


def _adjustments(adjustments: Sequence[dict[str, Any]]) -> list[pricing.Adjustment]:
    if len(adjustments) > MAX_ADJUSTMENTS:
        raise ValidationFailed(
            f"At most {MAX_ADJUSTMENTS} adjustments.", errors={"adjustments": ["Too many."]}
        )
    out = []
    for n, adjustment in enumerate(adjustments):
        label = str(adjustment.get("label") or "").strip()
        if len(label) > 100:
            raise ValidationFailed(
                "Adjustment label too long.",
                errors={f"adjustments.{n}.label": ["At most 100 characters."]},
            )
        try:
            amount = Decimal(str(adjustment.get("amount")))
        except InvalidOperation:
            amount = Decimal("NaN")
        if not amount.is_finite() or abs(amount) >= MAX_ADJUSTMENT:
            raise ValidationFailed(
                "Invalid adjustment amount.",
                errors={f"adjustments.{n}.amount": ["A decimal amount in the quote currency."]},
            )
        out.append(pricing.Adjustment(label=label, amount=amount))
    return out


@transaction.atomic
def revise_quote(
    *,
    inquiry: Inquiry,
    supplier_user: User,
    adjustments: Sequence[dict[str, Any]] = (),
    note: str = "",
    incoterm: str | None = None,
    mode: str | None = None,
    destination: str | None = None,
    origin: str | None = None,
    named_place: str | None = None,
    insurance: bool | str | None = None,
    inspection: bool | None = None,
    currency: str | None = None,
) -> QuoteVersion:
    """A new version priced with the current rate book and the latest version's options
    (each option given replaces the latest's), plus the supplier's adjustments in the quote
    currency (a discount is negative). Earlier versions are never touched."""
    changes = {
        "incoterm": incoterm,
        "mode": mode,
        "destination": destination,
        "origin": origin,
        "named_place": named_place,
        "insurance": insurance,
        "inspection": inspection,
        "currency": currency,
    }
    inquiry = Inquiry.objects.select_for_update().filter(pk=inquiry.pk).first()
    if inquiry is None or not _can_see(supplier_user, inquiry):
        raise _not_found("Inquiry")
    if not _is_supplier_of(supplier_user, inquiry):
        raise PermissionDenied("Only the supplier revises its quotations.", code="not_supplier")
    if inquiry.status != InquiryStatus.OPEN:
        raise Conflict(
            f"This inquiry is {inquiry.status}; it can no longer be revised.",
            code=f"inquiry_{inquiry.status}",
        )
    note = (note or "").strip()
    _check_lengths(note=note)
    latest = inquiry.quotes.order_by("-version").first()
    wanted = _options_of(latest) if latest else {}
    given = {k: v for k, v in changes.items() if v is not None}
    if "origin" not in given and ({"mode", "destination"} & set(given)):
        # A new route: the origin the buyer asked for (or the cheapest), not the old one.
        given["origin"] = inquiry.origin or None
    wanted.update(given)
    options = _options(**{name: wanted.get(name) for name in changes})
    adjustment_list = _adjustments(adjustments)

    items = list(inquiry.items.select_related("vehicle").order_by("pk"))
    quote, book = adapter.price(items=[(i.vehicle, i.quantity) for i in items], options=options)
    quote = _checked_total(pricing.apply_adjustments(quote, adjustment_list))
    if quote.total <= 0:
        raise ValidationFailed(
            "The adjustments would bring the total to zero or below.",
            code="total_not_positive",
            errors={"adjustments": ["The total must stay above zero."]},
        )
    number = (inquiry.quotes.aggregate(n=Max("version"))["n"] or 0) + 1
    revised = _freeze(
        inquiry=inquiry,
        version=number,
        quote=quote,
        book=book,
        options=options,
        created_by=supplier_user,
        note=note,
    )
    inquiry.save(update_fields=["updated_at"])
    notify_all(
        [inquiry.buyer],
        kind="quote_revised",
        title=_("%(supplier)s revised quotation #%(number)s (version %(version)s)"),
        body=_("%(incoterm)s %(destination)s: %(total)s (valid until %(valid_until)s).\n%(note)s"),
        link=_link(inquiry),
        params={
            "supplier": inquiry.supplier.name,
            "number": inquiry.pk,
            "version": revised.version,
            "incoterm": revised.incoterm,
            "destination": revised.destination,
            "total": localized_money(revised.total, revised.currency),
            "valid_until": localized_date(revised.valid_until),
            "note": note,
        },
    )
    return revised
