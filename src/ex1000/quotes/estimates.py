"""Estimates on the catalogue pages: the vehicle page's calculator and landed prices on
search results. Nothing is stored: the engine prices against the rate book in force."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import gettext

from ex1000.catalog.models import Vehicle
from ex1000.core.errors import AppError

from . import adapter, estimator, notices, preferences, presentation
from .forms import OPTION_FIELDS, OptionsForm, PickerForm
from .models import RateBook
from .options import QuoteOptions
from .preferences import Preferences


@dataclass
class Estimate:
    """A priced request as the pages show it, or the engine's refusal."""

    options: QuoteOptions
    quote: object | None = None
    lines: list[dict] = field(default_factory=list)
    buyer_side: list[presentation.BuyerSideLine] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    refusal: str = ""
    origin: str = ""
    destination: str = ""
    incoterm_place: str = ""


def estimate(vehicle: Vehicle, quantity: int, options: QuoteOptions, book: RateBook) -> Estimate:
    result = Estimate(options=options)
    try:
        quote, book = adapter.price(items=[(vehicle, quantity)], options=options, book=book)
    except AppError as exc:
        result.refusal = exc.detail
        return result
    result.quote = quote
    result.lines = [adapter.line_to_json(line) for line in quote.lines]
    for line in result.lines:
        line["display_label"] = presentation.line_label(line)
    result.buyer_side = presentation.buyer_side_lines(
        quote.incoterm, insured=any(line.code == "insurance" for line in quote.lines)
    )
    result.reasons = notices.render_all(quote.reasons)
    result.warnings = notices.render_all(quote.warnings)
    result.origin = presentation.place_label(book, quote.origin)
    result.destination = presentation.place_label(book, quote.destination)
    result.incoterm_place = presentation.incoterm_place(
        quote.incoterm,
        origin=quote.origin,
        destination=quote.destination,
        named_place=options.named_place,
        book=book,
    )
    return result


def _initial(prefs: Preferences, form_choices: list[tuple[str, str]]) -> dict:
    codes = [code for code, _label in form_choices]
    destination = prefs.destination if prefs.destination in codes else (codes[0] if codes else "")
    return {**prefs.options(), "destination": destination, "quantity": 1}


def hidden_options(form: OptionsForm) -> list[tuple[str, str]]:
    """The calculator's options as the quotation request form posts them."""
    out = []
    for name in (*OPTION_FIELDS, "quantity", "named_place", "insurance", "inspection"):
        value = form.cleaned_data.get(name)
        if isinstance(value, bool):
            value = "on" if value else ""
        if value not in ("", None):
            out.append((name, str(value)))
    return out


def options_summary(form: OptionsForm, vehicle: Vehicle) -> str:
    """ "2 × 2022 BYD Song Plus, CIF AEJEA, RoRo, USD, insurance" in the active language."""
    data = form.cleaned_data
    options = form.options()
    parts = [
        f"{data['quantity']} × {vehicle.title}",
        presentation.incoterm_place(
            options.incoterm,
            origin=options.origin,
            destination=options.destination,
            named_place=options.named_place,
            book=form.book,
        ),
        str(presentation.MODE_LABELS[data["mode"]]),
        data["currency"],
    ]
    if data["insurance"]:
        parts.append(gettext("insurance"))
    if data["inspection"]:
        parts.append(gettext("pre-shipment inspection"))
    return ", ".join(parts)


def calculator(request, vehicle: Vehicle, data=None) -> dict:
    """The calculator's context: a form bound to `data` (the query, or a posted request)
    or else to the remembered choice, and its estimate. `remember` holds the choice to
    store when the visitor made one."""
    try:
        book = adapter.current_rate_book()
    except AppError:
        return {"calculator_unavailable": True}
    prefs = preferences.current(request)
    if data is None and "incoterm" in request.GET:
        data = request.GET
    explicit = data is not None
    if not explicit:
        choices = OptionsForm(book=book).fields["destination"].choices
        data = _initial(prefs, choices)
    form = OptionsForm(data, book=book, max_quantity=vehicle.quantity)
    context: dict = {"calculator_form": form, "rate_book": book, "remember": None}
    if form.is_valid():
        context["estimate"] = estimate(vehicle, form.cleaned_data["quantity"], form.options(), book)
        context["options_query"] = form.query()
        context["hidden_options"] = hidden_options(form)
        context["options_summary"] = options_summary(form, vehicle)
        if explicit:
            chosen = form.cleaned_data
            context["remember"] = preferences.with_options(
                prefs,
                incoterm=chosen["incoterm"],
                destination=chosen["destination"],
                mode=chosen["mode"],
                currency=chosen["currency"],
            )
    return context


# --- landed prices on search results -----------------------------------------------------

PICKER_MARK = "lp"


def _choice(request, book) -> tuple[preferences.Preferences, preferences.Preferences | None]:
    """The visitor's landed-price choice — the picker's, when it was used and is valid,
    else the remembered one — and the choice to remember (None: nothing new)."""
    prefs = preferences.current(request)
    if request.GET.get(PICKER_MARK):
        form = PickerForm(request.GET, book=book)
        if form.is_valid():
            data = form.cleaned_data
            chosen = preferences.clean(
                incoterm=data["lp_incoterm"],
                destination=data["lp_destination"] or prefs.destination,
                mode=data["lp_mode"],
                currency=data["lp_currency"],
                show_landed=bool(data["lp_destination"]),
            )
            if chosen is not None:
                return chosen, chosen
    return prefs, None


def _book_of(request):
    """The rate book in force, read once per request (the search page asks twice)."""
    if not hasattr(request, "_rate_book_in_force"):
        request._rate_book_in_force = adapter.current_rate_book()
    return request._rate_book_in_force


def chosen_options(request) -> dict[str, str] | None:
    """The landed-price options the search page shows prices under (None: no prices), so
    the page can count, filter and sort by what they admit and cost."""
    try:
        book = _book_of(request)
    except AppError:
        return None
    prefs, _remember = _choice(request, book)
    return prefs.options() if prefs.show_landed else None


def landed(request, vehicles: list[Vehicle]) -> dict:
    """Landed prices for a page of results under the visitor's choice (the query's, when the
    picker was used, else the remembered one), priced once for the whole page.

    Sets `vehicle.landed` on each listing when prices are shown; the context carries the
    picker, an error to show, and `remember` when the visitor chose something new.
    """
    try:
        book = _book_of(request)
    except AppError:
        return {}
    prefs, remember = _choice(request, book)
    initial = {
        "lp_destination": prefs.destination if prefs.show_landed else "",
        "lp_incoterm": prefs.incoterm,
        "lp_mode": prefs.mode,
        "lp_currency": prefs.currency,
    }
    picker = PickerForm(initial=initial, book=book)
    context: dict = {"picker": picker, "remember": remember, "landed_on": prefs.show_landed}
    if not prefs.show_landed or not vehicles:
        return context
    try:
        results = estimator.landed(vehicles, prefs.options())  # the API's, the same
    except AppError as exc:  # e.g. a choice the book cannot serve (an old cookie)
        context["landed_error"] = exc.detail
        return context
    query = urlencode(prefs.options())
    # Landed prices are per vehicle with the cheapest origin: name the destination side.
    context["landed_terms"] = presentation.incoterm_place(
        prefs.incoterm,
        origin=None,
        destination=prefs.destination,
        book=book,
    )
    for vehicle in vehicles:
        vehicle.detail_query = query
        result = results.get(vehicle.pk)
        if result is None:
            continue
        if result.price is None:
            vehicle.landed = {"error": result.error or gettext("No landed price")}
            continue
        vehicle.landed = {
            "total": Decimal(result.price["amount"]),
            "currency": result.price["currency"],
            "eligible": result.eligible,
            "reasons": result.reasons or [],
        }
    return context


def answer_variant(request) -> tuple | None:
    """What landed prices, the picker and the eligibility rules of a search answer or page
    depend on besides the catalogue's version (which a new rate book advances, quotes
    migration 0003): the day (the book in force, a car's age) and the visitor's remembered
    choice. None when the picker brings a new choice: that answer remembers it. (The
    search form sends the picker's fields with every filter change, mostly unchanged.)"""
    prefs = preferences.current(request)
    if request.GET.get(PICKER_MARK):
        _chosen, remember = _choice(request, _book_of(request))
        if remember is not None and remember != prefs:
            return None
    # The picker's own fields as sent (the form shows them, and what was wrong with them).
    sent = sorted((name, tuple(values)) for name, values in request.GET.lists() if name in PICKED)
    return (timezone.now().date(), prefs, tuple(sent))


PICKED = {PICKER_MARK, *PickerForm.base_fields}
