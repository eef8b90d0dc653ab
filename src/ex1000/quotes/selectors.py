"""Who sees which inquiry and quote: the buyer who sent it, the supplier it is addressed to,
and operators. Anybody else gets 404, as if it did not exist."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.http import Http404

from .models import Inquiry, InquiryItem, QuoteVersion


def quote_versions() -> QuerySet[QuoteVersion]:
    """Quote versions with what their API form needs: the rate book version (not its
    tables), whether a newer version exists, and the order that accepted them."""
    newer = QuoteVersion.objects.filter(
        inquiry=OuterRef("inquiry"), version__gt=OuterRef("version")
    )
    return (
        QuoteVersion.objects.select_related("rate_book")
        .defer("rate_book__document")
        .annotate(is_latest=~Exists(newer), order_number=F("order__number"))
        .order_by("inquiry", "version")
    )


def _visible(inquiries: QuerySet[Inquiry], user) -> QuerySet[Inquiry]:
    if not user.is_authenticated:
        return inquiries.none()
    if user.is_staff:
        return inquiries
    if user.is_buyer:
        return inquiries.filter(buyer=user)
    if user.is_supplier and user.company_id is not None:
        return inquiries.filter(supplier_id=user.company_id)
    return inquiries.none()


def inquiries_visible_to(user) -> QuerySet[Inquiry]:
    """Buyer: their own; supplier: those addressed to their company; operator: all.
    Items and quote versions come prefetched (three queries for any number of rows)."""
    inquiries = Inquiry.objects.select_related(
        "buyer__company", "supplier", "thread"
    ).prefetch_related(
        Prefetch("items", queryset=InquiryItem.objects.order_by("pk")),
        Prefetch("quotes", queryset=quote_versions()),
    )
    return _visible(inquiries, user)


def thread_id(inquiry: Inquiry) -> int | None:
    """The id of the inquiry's message thread (the messaging app, a higher layer, opens one
    for every inquiry; its order continues it). Select ``thread`` with the inquiry to read
    it without a query."""
    thread = getattr(inquiry, "thread", None)
    return thread.pk if thread is not None else None


def inquiry_for(user, inquiry_id: int) -> Inquiry:
    inquiry = inquiries_visible_to(user).filter(pk=inquiry_id).first()
    if inquiry is None:
        raise Http404
    return inquiry


def quote_for(user, quote_id: int) -> QuoteVersion:
    visible = _visible(Inquiry.objects.all(), user)
    quote = (
        quote_versions()
        .select_related("inquiry__supplier", "inquiry__buyer")
        .filter(pk=quote_id, inquiry__in=visible)
        .first()
    )
    if quote is None:
        raise Http404
    return quote
