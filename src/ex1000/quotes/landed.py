"""What quotes adds to the catalogue (registered in QuotesConfig.ready(), see
catalog/extensions.py): landed prices on search results, in the API and on the page, and
the vehicle page's price calculator with the buyer's quotation request."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from ex1000.catalog import extensions
from ex1000.catalog.error_codes import CatalogError
from ex1000.catalog.filters import VehicleFilters
from ex1000.catalog.models import Vehicle
from ex1000.core.errors import AppError
from ex1000.web import add_service_errors

from . import estimates, estimator, preferences
from . import services as quote_services
from .adapter import current_rate_book, engine_book, landed_prices
from .forms import InquiryForm
from .options import parse_quote_options


def register() -> None:
    extensions.register(extensions.eligibility, destination_rules)
    extensions.register(extensions.search_options, estimates.chosen_options)
    extensions.register(extensions.landed_totals, landed_totals)
    extensions.register(extensions.api_search, add_landed_prices)
    extensions.register(extensions.search_page, search_page)
    extensions.register(extensions.vehicle_page, vehicle_page)
    extensions.register(extensions.variant, estimates.answer_variant)


def destination_rules(filters: VehicleFilters) -> extensions.Eligibility | None:
    """The destination's eligibility rule of the rate book in force, as the engine applies
    it (pricing.engine: age = this year − model year; the allowed steering sides), so the
    filter keeps exactly the cars whose quotes would be eligible. A bad destination answers
    as on POST /quotes/estimate (unknown_place)."""
    try:
        book = current_rate_book()
    except AppError:  # before the first rate book: no rules known (prices say why)
        return None
    options = parse_quote_options(_search_options(filters), book=book)
    index = engine_book(book).index
    country = index.places[options.destination].country
    rule = index.eligibility.get(country)
    if rule is None:
        return extensions.Eligibility(condition=Q(), country=country)
    condition = Q()
    if rule.max_age_years is not None:
        condition &= Q(year__gte=timezone.now().year - rule.max_age_years)
    if rule.steering is not None:
        condition &= Q(steering__in=rule.steering)
    return extensions.Eligibility(
        condition=condition,
        country=country,
        max_age_years=rule.max_age_years,
        steering=list(rule.steering) if rule.steering is not None else None,
        inspection=rule.inspection,
    )


def _search_options(filters: VehicleFilters) -> dict | None:
    """The search's quotation options with their defaults (roro, and that mode's
    Incoterm), unparsed; None when the search names none of them."""
    raw = {k: getattr(filters, k) for k in ("destination", "incoterm", "mode", "currency")}
    if not any(raw.values()):
        return None
    mode = (raw["mode"] or "roro").lower()
    return {**raw, "mode": mode, "incoterm": raw["incoterm"] or estimator.default_incoterm(mode)}


def add_landed_prices(items: list[Vehicle], filters: VehicleFilters) -> None:
    """API search with `destination`: each listing's landed price, priced once per page
    against the rate book in force. The options go through the one parser, so a bad
    value answers as it does on POST /quotes/estimate."""
    options = _search_options(filters)
    if options is None:
        return
    landed = estimator.landed(items, options)  # parsed there, against the book in force
    for vehicle in items:
        result = landed[vehicle.pk]
        vehicle.landed_price = result.price
        vehicle.landed_price_error = result.error
        vehicle.eligible = result.eligible
        vehicle.reasons = result.reasons


def landed_totals(vehicles: list[Vehicle], filters: VehicleFilters) -> dict[int, Decimal | None]:
    """Each listing's landed price under the search's options, for the landed-price sort;
    None when the book cannot price it (before the first rate book: none can, and the
    order is the ex-works one). A bad option raises as the search's landed prices do."""
    try:
        book = current_rate_book()
    except AppError:
        return {}
    options = parse_quote_options(_search_options(filters), book=book)
    prices = landed_prices(vehicles, options=options, book=book)
    return {pk: None if price.error else price.total for pk, price in prices.items()}


def search_page(request, items: list[Vehicle]) -> extensions.PagePart:
    context = estimates.landed(request, items)  # prices the whole page at once
    return extensions.PagePart(context=context, finish=_remember(request, context))


def _remember(request, context: dict):
    choice = context.get("remember")
    if not choice:
        return None
    return lambda response: preferences.remember(request, response, choice)


def vehicle_page(request, vehicle: Vehicle):
    """The calculator and, for buyers while units are available, the quotation request.

    A POST is the request: it goes to quotes.services.submit_inquiry and, when refused,
    the page comes back with the reason on the form."""
    user = request.user
    available = vehicle.quantity_available > 0
    can_inquire = user.is_authenticated and user.is_buyer and available
    inquiry_form = None
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_buyer and available):
            if not user.is_buyer:
                messages.error(request, _("Only buyers request quotations."))
            else:
                messages.error(request, CatalogError.RESERVED.render())
            return redirect("catalog:vehicle_detail", pk=vehicle.pk)
        response = _submit_inquiry(request, vehicle)
        if not isinstance(response, InquiryForm):
            return response
        inquiry_form = response
    calculator = estimates.calculator(
        request, vehicle, data=request.POST if inquiry_form is not None else None
    )
    if can_inquire and inquiry_form is None and "rate_book" in calculator:
        inquiry_form = InquiryForm(
            book=calculator["rate_book"], max_quantity=vehicle.quantity_available
        )
    context = {
        "show_inquiry_form": inquiry_form is not None,
        "inquiry_form": inquiry_form,
        **calculator,
    }
    return extensions.PagePart(
        context=context,
        status=400 if inquiry_form is not None and inquiry_form.errors else 200,
        finish=_remember(request, calculator),
    )


def _submit_inquiry(request, vehicle: Vehicle):
    """The inquiry's page on success, else the bound form carrying the reasons."""
    try:
        book = current_rate_book()
    except AppError as exc:  # no rate book in force
        messages.error(request, exc.detail)
        return redirect("catalog:vehicle_detail", pk=vehicle.pk)
    form = InquiryForm(request.POST, book=book, max_quantity=vehicle.quantity_available)
    if not form.is_valid():
        return form
    data = form.cleaned_data
    try:
        inquiry = quote_services.submit_inquiry(
            buyer=request.user,
            items=[(vehicle.pk, data["quantity"])],
            incoterm=data["incoterm"],
            destination=data["destination"],
            mode=data["mode"],
            currency=data["currency"],
            named_place=data["named_place"],
            insurance=data["insurance"],
            inspection=data["inspection"],
            payment_terms=data["payment_terms"],
            message=data["message"],
        )
    except AppError as exc:  # the engine's refusal (QuoteRefused) included
        add_service_errors(form, exc)
        return form
    messages.success(
        request,
        _("Your request was sent to %(supplier)s with the automatic quotation.")
        % {"supplier": vehicle.company.name},
    )
    return redirect("quotes:inquiry_detail", pk=inquiry.pk)
