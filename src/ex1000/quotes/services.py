"""Inquiries and their quotations: a buyer submits, the supplier revises, the buyer accepts.

Every quote version is priced by the engine against a rate book and frozen as issued
(lines, total, rate book, validity): later rate books and listing edits never change it.
A revision or a new quote is a new version; acceptance turns one version into an order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from ex1000 import pricing
from ex1000.accounts.models import User
from ex1000.accounts.selectors import supplier_users
from ex1000.catalog.models import ListingStatus, Vehicle
from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError, FieldError
from ex1000.notifications.services import localized_date, localized_money, notify_all
from ex1000.privacy.behaviour import record_behaviour
from ex1000.privacy.retention import REMOVED, Outcome

from . import adapter, notices
from .error_codes import QuoteError
from .models import Inquiry, InquiryItem, InquiryStatus, QuoteVersion, RateBook
from .options import QuoteOptions, parse_items, parse_quote_options

MAX_ADJUSTMENTS = 20
MAX_ADJUSTMENT = Decimal("1e12")
MAX_TOTAL = Decimal("1e13")  # QuoteVersion.total / Order.total hold 13 integer digits
INSURANCE_DEFAULT = "default"
_LIMITS = {"payment_terms": 200, "message": 5000, "note": 2000}


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
        name: [FieldError(CoreError.TOO_LONG, count=_LIMITS[name])]
        for name, value in values.items()
        if len(value) > _LIMITS[name]
    }
    if errors:
        raise AppError(CoreError.VALIDATION, errors=errors)


def options_of(quote: QuoteVersion) -> dict[str, Any]:
    """A version's options, in the parser's input form."""
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
        raise AppError(QuoteError.TOTAL_TOO_LARGE)
    return quote


def _freeze(
    *,
    inquiry: Inquiry,
    version: int,
    quote: pricing.Quote,
    book: RateBook,
    options: QuoteOptions,
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
        reasons=[notices.stored(r) for r in quote.reasons],
        warnings=[notices.stored(w) for w in quote.warnings],
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


def _link(inquiry: Inquiry) -> str:
    return f"/inquiries/{inquiry.pk}/"


# --- submit ----------------------------------------------------------------------------------


def available_listings(
    wanted: Sequence[tuple[int, int]], *, one_supplier: bool = False
) -> list[tuple[Vehicle, int]]:
    """The published listings asked for, in quantities they have (and, for an inquiry, all
    of one supplier); else AppError naming each bad item (an unknown or unpublished listing
    is "not available")."""
    ids = [vehicle_id for vehicle_id, _ in wanted]
    found = {
        v.pk: v
        for v in Vehicle.objects.select_related("company").filter(
            pk__in=ids, status=ListingStatus.PUBLISHED
        )
    }
    errors: dict[str, list[FieldError]] = {}
    for n, (vehicle_id, quantity) in enumerate(wanted):
        vehicle = found.get(vehicle_id)
        if vehicle is None:
            errors[f"items.{n}.vehicle_id"] = [
                FieldError(QuoteError.NOT_PUBLISHED, vehicle=vehicle_id)
            ]
        elif quantity > vehicle.quantity_available:
            errors[f"items.{n}.quantity"] = [
                FieldError(
                    QuoteError.NOT_ENOUGH_UNITS,
                    vehicle=vehicle_id,
                    available=vehicle.quantity_available,
                )
            ]
    if errors:
        detail = lazy(lambda: " ".join(str(m) for ms in errors.values() for m in ms), str)()
        raise AppError(QuoteError.VEHICLE_NOT_OFFERED, errors=errors, detail=detail)
    suppliers = {found[vehicle_id].company_id for vehicle_id in ids}
    if one_supplier and len(suppliers) > 1:
        raise AppError(
            QuoteError.SEVERAL_SUPPLIERS,
            errors={"items": [QuoteError.SEVERAL_SUPPLIERS]},
            count=len(suppliers),
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
        raise AppError(QuoteError.NOT_BUYER)
    payment_terms, message = (payment_terms or "").strip(), (message or "").strip()
    _check_lengths(payment_terms=payment_terms, message=message)
    book = adapter.current_rate_book()
    options = parse_quote_options(
        {
            "incoterm": incoterm,
            "destination": destination,
            "mode": mode,
            "currency": currency,
            "origin": origin,
            "named_place": named_place,
            "insurance": insurance,
            "inspection": inspection,
        },
        book=book,
    )
    listings = available_listings(parse_items(items), one_supplier=True)
    quote, book = adapter.price(items=listings, options=options, book=book)
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
        supplier_users(inquiry.supplier_id),
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
    record_behaviour(buyer, "inquiry", inquiry=inquiry.pk, vehicles=[v for v, _ in items])
    return inquiry


# --- revise ----------------------------------------------------------------------------------


def _adjustments(adjustments: Sequence[dict[str, Any]], currency: str) -> list[pricing.Adjustment]:
    """Each amount a decimal in the quote currency, or money ``{"amount", "currency"}``
    whose currency must be the quote's (nothing is converted behind the supplier's back)."""
    if len(adjustments) > MAX_ADJUSTMENTS:
        raise AppError(
            QuoteError.TOO_MANY_ADJUSTMENTS,
            errors={"adjustments": [QuoteError.TOO_MANY_ADJUSTMENTS]},
            count=MAX_ADJUSTMENTS,
        )
    out = []
    for n, adjustment in enumerate(adjustments):
        label = str(adjustment.get("label") or "").strip()
        if len(label) > 100:
            raise AppError(
                CoreError.VALIDATION,
                errors={f"adjustments.{n}.label": [FieldError(CoreError.TOO_LONG, count=100)]},
            )
        raw = adjustment.get("amount")
        if isinstance(raw, dict):
            given = str(raw.get("currency") or currency).upper()
            if given != currency:
                raise AppError(
                    QuoteError.ADJUSTMENT_CURRENCY,
                    errors={f"adjustments.{n}.amount": [QuoteError.ADJUSTMENT_CURRENCY]},
                    currency=currency,
                )
            raw = raw.get("amount")
        try:
            amount = Decimal(str(raw))
        except InvalidOperation:
            amount = Decimal("NaN")
        if not amount.is_finite() or abs(amount) >= MAX_ADJUSTMENT:
            raise AppError(
                QuoteError.INVALID_ADJUSTMENT,
                errors={f"adjustments.{n}.amount": [QuoteError.INVALID_ADJUSTMENT]},
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
        raise AppError(CoreError.NOT_FOUND)
    if not _is_supplier_of(supplier_user, inquiry):
        raise AppError(QuoteError.NOT_SUPPLIER)
    if inquiry.status != InquiryStatus.OPEN:
        raise AppError(
            QuoteError.INQUIRY_ACCEPTED
            if inquiry.status == InquiryStatus.ACCEPTED
            else QuoteError.INQUIRY_CLOSED
        )
    note = (note or "").strip()
    _check_lengths(note=note)
    latest = inquiry.quotes.order_by("-version").first()
    wanted = options_of(latest) if latest else {}
    given = {k: v for k, v in changes.items() if v is not None}
    if "origin" not in given and ({"mode", "destination"} & set(given)):
        # A new route: the origin the buyer asked for (or the cheapest), not the old one.
        given["origin"] = inquiry.origin or None
    wanted.update(given)
    book = adapter.current_rate_book()
    options = parse_quote_options(wanted, book=book)
    adjustment_list = _adjustments(adjustments, options.currency)

    items = list(inquiry.items.select_related("vehicle").order_by("pk"))
    quote, book = adapter.price(
        items=[(i.vehicle, i.quantity) for i in items], options=options, book=book
    )
    quote = _checked_total(pricing.apply_adjustments(quote, adjustment_list))
    if quote.total <= 0:
        raise AppError(
            QuoteError.TOTAL_NOT_POSITIVE, errors={"adjustments": [QuoteError.TOTAL_NOT_POSITIVE]}
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


def purge_stale_inquiries(as_of, days: dict[str, int], dry_run: bool):
    """Retention (privacy.md): inquiries and their quotations that never became an order
    go two years (``inquiries``) after their last activity — the inquiry's last change or
    its latest quotation. A retention hook, registered in QuotesConfig.ready()."""
    cutoff = as_of - timedelta(days=days["inquiries"])
    stale = (
        Inquiry.objects.annotate(last_quote=Max("quotes__created_at"))
        .filter(updated_at__lt=cutoff)
        .exclude(last_quote__gte=cutoff)
        .exclude(quotes__order__isnull=False)  # kept with its order (orders' reverse link)
    )
    if dry_run:
        count = stale.count()
    else:
        with transaction.atomic():
            ids = list(stale.values_list("pk", flat=True))
            count = Inquiry.objects.filter(pk__in=ids).delete()[1].get("quotes.Inquiry", 0)
    return [Outcome("inquiries", REMOVED, count, "quotes.Inquiry", f"before {cutoff:%Y-%m-%d}")]
