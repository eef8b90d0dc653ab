"""Inquiries and quote versions: /inquiries… (acceptance is the orders app's)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from ex1000.accounts.schemas import BuyerOut, public_party
from ex1000.core.api import PageParams, paginate, user_auth
from ex1000.core.idempotency import IdempotencyKey, idempotent_response, json_body, run_once
from ex1000.core.money import MoneySchema

from . import estimator, notices, presentation, selectors, services
from .models import Inquiry, InquiryItem, InquiryStatus, QuoteVersion
from .schemas import InquiryIn, QuoteFields, RevisionIn

router = Router(tags=["quotation"], auth=user_auth)


class InquiryFilters(PageParams):
    status: InquiryStatus | None = None


# --- responses -------------------------------------------------------------------------------


class AdjustmentOut(Schema):
    label: str
    amount: str


class QuoteOut(QuoteFields):
    id: int
    inquiry_id: int
    version: int
    named_place: str
    adjustments: list[AdjustmentOut]
    note: str
    automatic: bool = Field(description="true for the version generated on submission")
    created_at: datetime
    is_latest: bool
    accepted: bool
    order: str | None = Field(description="The order number, once accepted")

    @staticmethod
    def resolve_origin(obj: QuoteVersion):
        return obj.origin or None

    @staticmethod
    def resolve_insurance(obj: QuoteVersion):
        return services.insurance_option(obj.insurance)

    @staticmethod
    def resolve_lines(obj: QuoteVersion):
        # Labels are frozen in English; the engine's own ones are shown in the reader's language.
        return [{**line, "label": presentation.line_label(line)} for line in obj.lines]

    @staticmethod
    def resolve_total(obj: QuoteVersion):
        return MoneySchema.of(obj.total, obj.currency)

    @staticmethod
    def resolve_incoterm_place(obj: QuoteVersion):
        return presentation.quote_place(obj)

    @staticmethod
    def resolve_reasons(obj: QuoteVersion):
        return notices.render_all(obj.reasons)

    @staticmethod
    def resolve_warnings(obj: QuoteVersion):
        return notices.render_all(obj.warnings)

    @staticmethod
    def resolve_reason_codes(obj: QuoteVersion):
        return [notices.stored(r) for r in obj.reasons]

    @staticmethod
    def resolve_warning_codes(obj: QuoteVersion):
        return [notices.stored(w) for w in obj.warnings]

    @staticmethod
    def resolve_rate_book_version(obj: QuoteVersion):
        return obj.rate_book.version

    @staticmethod
    def resolve_automatic(obj: QuoteVersion):
        return obj.created_by_id is None

    @staticmethod
    def resolve_accepted(obj: QuoteVersion):
        return obj.order_number is not None

    @staticmethod
    def resolve_order(obj: QuoteVersion):
        return obj.order_number


class InquiryItemOut(Schema):
    """A listing as the buyer saw it when asking."""

    id: int
    vehicle_id: int
    quantity: int
    title: str
    vin: str
    year: int
    mileage_km: int
    steering: str
    city: str
    length_mm: int
    width_mm: int
    height_mm: int
    price: MoneySchema


def item_as_asked(item: InquiryItem) -> dict[str, Any]:
    """The listing as frozen at inquiry time, not as it is now."""
    snapshot = item.snapshot
    return {
        **snapshot,
        "id": item.pk,
        "vehicle_id": item.vehicle_id,
        "quantity": item.quantity,
        "price": {"amount": snapshot["price"], "currency": snapshot["currency"]},
    }


class InquirySupplierOut(Schema):
    id: int
    company_name: str
    country: str
    verified: bool


class InquiryOut(Schema):
    id: int
    status: str
    buyer: BuyerOut
    supplier: InquirySupplierOut
    incoterm: str
    mode: str
    origin: str | None
    destination: str
    named_place: str
    insurance: bool | str
    inspection: bool
    currency: str
    payment_terms: str
    message: str
    items: list[InquiryItemOut]
    quotes: list[QuoteOut]
    order: str | None = Field(description="The order number, once a version is accepted")
    thread: int | None = Field(description="Message thread (GET, POST /threads/{id}/messages)")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_buyer(obj: Inquiry):
        return public_party(obj.buyer)

    @staticmethod
    def resolve_supplier(obj: Inquiry):
        company = obj.supplier
        return {
            "id": company.pk,
            "company_name": company.name,
            "country": company.country.code,
            "verified": company.is_verified,
        }

    @staticmethod
    def resolve_origin(obj: Inquiry):
        return obj.origin or None

    @staticmethod
    def resolve_insurance(obj: Inquiry):
        return services.insurance_option(obj.insurance)

    @staticmethod
    def resolve_items(obj: Inquiry):
        return [item_as_asked(item) for item in obj.items.all()]

    @staticmethod
    def resolve_quotes(obj: Inquiry):
        return list(obj.quotes.all())

    @staticmethod
    def resolve_thread(obj: Inquiry):
        return selectors.thread_id(obj)

    @staticmethod
    def resolve_order(obj: Inquiry):
        return next((q.order_number for q in obj.quotes.all() if q.order_number), None)


class InquiryList(Schema):
    items: list[InquiryOut]
    count: int
    page: int
    page_size: int


# --- operations ------------------------------------------------------------------------------


@router.post("/inquiries", response={201: InquiryOut})
def submit_inquiry(request: HttpRequest, payload: InquiryIn, idempotency_key: IdempotencyKey):
    """Send an inquiry to the supplier of the listings; the first quote version is generated
    automatically. One supplier per inquiry."""

    def create() -> tuple[int, Any]:
        user = request.user
        inquiry = services.submit_inquiry(
            buyer=user,
            items=[(item.vehicle_id, item.quantity) for item in payload.items],
            incoterm=payload.incoterm,
            destination=payload.destination,
            mode=payload.mode,
            currency=payload.currency or estimator.default_currency(user.currency),
            origin=payload.origin,
            named_place=payload.named_place,
            insurance=payload.insurance,
            inspection=payload.inspection,
            payment_terms=payload.payment_terms,
            message=payload.message,
        )
        return 201, json_body(InquiryOut, selectors.inquiry_for(user, inquiry.pk))

    return idempotent_response(
        *run_once(
            user=request.user,
            key=idempotency_key,
            endpoint=request.path,
            payload=payload.dict(),
            create=create,
        )
    )


@router.get("/inquiries", response=InquiryList)
def inquiry_list(request: HttpRequest, filters: Query[InquiryFilters]):
    inquiries = selectors.inquiries_visible_to(request.user)
    if filters.status:
        inquiries = inquiries.filter(status=filters.status)
    items, page = paginate(inquiries, filters.page, filters.page_size)
    return {"items": items, **page}


@router.get("/inquiries/{int:inquiry_id}", response=InquiryOut)
def inquiry_detail(request: HttpRequest, inquiry_id: int):
    return selectors.inquiry_for(request.user, inquiry_id)


@router.post("/inquiries/{int:inquiry_id}/quotes", response={201: QuoteOut})
def revise_quote(request: HttpRequest, inquiry_id: int, payload: RevisionIn):
    """The supplier revises the quotation: adjustments (discount negative), a note, and
    optionally other terms. The result is a new version, priced with the current rates."""
    inquiry = selectors.inquiry_for(request.user, inquiry_id)
    options = payload.dict(exclude={"adjustments", "note"})
    version = services.revise_quote(
        inquiry=inquiry,
        supplier_user=request.user,
        adjustments=[a.dict() for a in payload.adjustments],
        note=payload.note,
        **options,
    )
    return Status(201, selectors.quote_for(request.user, version.pk))
