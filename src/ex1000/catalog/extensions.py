"""Where the apps above the catalogue add to its search and pages.

The catalogue imports none of the apps that build on it (architecture.md: core ← accounts
← catalog ← quotes ← orders). Quotes adds landed prices to search results and the price
calculator with the quotation request to the vehicle page by registering functions here
from its ``AppConfig.ready()``; without them the catalogue works on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.http import HttpRequest, HttpResponse

from .filters import VehicleFilters
from .models import Vehicle


@dataclass
class PagePart:
    """What an app adds to a catalogue page: template context, the response's status (the
    highest of all parts wins) and a last step on the response (e.g. setting a cookie)."""

    context: dict = field(default_factory=dict)
    status: int = 200
    finish: Callable[[HttpResponse], None] | None = None


@dataclass
class Eligibility:
    """A destination's eligibility rules (quotes reads them from the rate book in force):
    as a condition on listings, and as the rules to show."""

    condition: Q
    country: str
    max_age_years: int | None = None
    steering: list[str] | None = None
    inspection: str | None = None


# The search page: the landed-price options the visitor chose — destination, incoterm,
# mode, currency (None: no landed prices shown).
search_options: list[Callable[[HttpRequest], dict[str, str] | None]] = []
# Search with a destination: its rules (None when no app knows them).
eligibility: list[Callable[[VehicleFilters], Eligibility | None]] = []
# Sort by landed price: each listing's landed price under the search's options (its
# destination, Incoterm, mode, currency), None when it cannot be priced.
landed_totals: list[Callable[[list[Vehicle], VehicleFilters], dict[int, Decimal | None]]] = []
# GET /api/v1/vehicles: may set attributes of VehicleOut on each listing of the page.
api_search: list[Callable[[list[Vehicle], VehicleFilters], None]] = []
# The search page: a part for one page of results (its listings may gain attributes).
search_page: list[Callable[[HttpRequest, list[Vehicle]], PagePart]] = []
# The vehicle page, GET and POST: a part, or a response that replaces the page (a redirect).
vehicle_page: list[Callable[[HttpRequest, Vehicle], PagePart | HttpResponse]] = []
# Search answers and pages are kept whole (catalog.selectors.cached_answer): what the
# additions above depend on besides the catalogue, the query and the language (quotes: the
# rate book in force, the day, the visitor's landed-price choice); None: not to be kept.
variant: list[Callable[[HttpRequest], Hashable | None]] = []


def eligibility_of(filters: VehicleFilters) -> Eligibility | None:
    """The destination's rules, when the search names one and an app provides them."""
    if not filters.destination or not eligibility:
        return None
    return eligibility[0](filters)


def options_of(request: HttpRequest) -> dict[str, str] | None:
    """The search page's landed-price options, when an app knows the visitor's choice."""
    return search_options[0](request) if search_options else None


def variant_of(request: HttpRequest) -> tuple | None:
    """What this request's search answer depends on beyond the catalogue and its query;
    None when an app says it is not to be kept (e.g. the visitor is making a choice)."""
    found = tuple(hook(request) for hook in variant)
    return None if None in found else found


def register(hooks: list, function: Callable) -> None:
    """Add ``function`` to one of the lists above, once."""
    if function not in hooks:
        hooks.append(function)


def merged(context: dict, parts: list[PagePart]) -> int:
    """The parts' context added to ``context``; the page's status."""
    status = 200
    for part in parts:
        context.update(part.context)
        status = max(status, part.status)
    return status


def render_with(request, template: str, context: dict, parts: list[PagePart]) -> HttpResponse:
    from django.shortcuts import render

    return finished(render(request, template, context, status=merged(context, parts)), parts)


def finished(response: HttpResponse, parts: list[PagePart]) -> HttpResponse:
    """``response`` once each part has added what it adds to it (a cookie)."""
    for part in parts:
        if part.finish is not None:
            part.finish(response)
    return response
