"""Catalogue pages: home, search, listing detail, and the supplier's own workspace."""

from __future__ import annotations

import csv
import io
import math
from functools import wraps
from typing import NamedTuple
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms.forms import NON_FIELD_ERRORS
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries
from django_htmx.http import push_url
from pydantic import ValidationError

from ex1000.accounts.services import require_publisher
from ex1000.core.errors import AppError
from ex1000.privacy.behaviour import record_behaviour

from . import extensions, selectors, services
from .error_codes import CatalogError
from .filters import LANDED_SORTS, VehicleFilters
from .forms import LISTING_FIELDS, VehicleForm
from .models import (
    BodyType,
    Drive,
    Fuel,
    ListingStatus,
    Steering,
    Transmission,
    Vehicle,
)
from .tasks import MAX_ROWS
from .templatetags.catalog_extras import grouped
from .validation import with_check_digit

PAGE_SIZE = 24
CHOICE_FILTERS = {
    "fuel": Fuel,
    "body_type": BodyType,
    "transmission": Transmission,
    "drive": Drive,
    "steering": Steering,
}
FILTER_LABELS = {
    "q": gettext_lazy("Search"),
    "make": gettext_lazy("Make"),
    "model": gettext_lazy("Model"),
    "year_min": gettext_lazy("Year from"),
    "year_max": gettext_lazy("Year to"),
    "price_min": gettext_lazy("Price from (CNY)"),
    "price_max": gettext_lazy("Price to (CNY)"),
    "mileage_max": gettext_lazy("Mileage up to (km)"),
    "fuel": gettext_lazy("Fuel"),
    "body_type": gettext_lazy("Body type"),
    "transmission": gettext_lazy("Transmission"),
    "drive": gettext_lazy("Drive"),
    "steering": gettext_lazy("Steering"),
    "city": gettext_lazy("City"),
    "supplier": gettext_lazy("Supplier"),
    "sort": gettext_lazy("Sort by"),
    "page": gettext_lazy("Page"),
}
SORT_CHOICES = [
    ("", gettext_lazy("Best match / newest")),
    ("-published_at", gettext_lazy("Newest listings")),
    ("price", gettext_lazy("Price: low to high")),
    ("-price", gettext_lazy("Price: high to low")),
    ("-year", gettext_lazy("Year: newest first")),
    ("year", gettext_lazy("Year: oldest first")),
    ("mileage", gettext_lazy("Mileage: lowest first")),
    ("landed_price", gettext_lazy("Landed price: low to high")),
    ("-landed_price", gettext_lazy("Landed price: high to low")),
]
# What the filter panel counts as one filter each: a from–to range is one; the sort order
# and the landed-price choice are not filters.
PANEL_FILTERS = (
    ("q",),
    ("make",),
    ("model",),
    ("year_min", "year_max"),
    ("price_min", "price_max"),
    ("mileage_max",),
    *((name,) for name in CHOICE_FILTERS),
    ("city",),
    ("supplier",),
)
FACET_TITLES = {
    "eligible": gettext_lazy("Importable"),  # titled with the country on the page
    "make": gettext_lazy("Make"),
    "body_type": gettext_lazy("Body type"),
    "fuel": gettext_lazy("Fuel"),
    "year": gettext_lazy("Year"),
}


def parse_filters(query) -> tuple[VehicleFilters, dict[str, str], list[str]]:
    """The search parameters of a query string, with the invalid ones dropped and explained."""
    params = {
        name: query.get(name, "").strip()
        for name in VehicleFilters.model_fields
        if name != "page_size" and query.get(name, "").strip()
    }
    problems: list[str] = []
    try:
        return VehicleFilters(**params, page_size=PAGE_SIZE), params, problems
    except ValidationError as exc:
        bad, ranges = set(), set()
        for error in exc.errors():
            if error.get("loc"):
                bad.add(str(error["loc"][0]))
            elif field := (error.get("ctx") or {}).get("field"):  # e.g. year_min > year_max
                ranges.add(str(field).rsplit("_", 1)[0])
    for name in sorted(bad):
        problems.append(
            _("“%(field)s” is not valid and was ignored.")
            % {"field": FILTER_LABELS.get(name, name)}
        )
        params.pop(name, None)
    for prefix in sorted(ranges):
        low, high = f"{prefix}_min", f"{prefix}_max"
        problems.append(
            _("“%(low)s” is above “%(high)s”, so both were ignored.")
            % {"low": FILTER_LABELS[low], "high": FILTER_LABELS[high]}
        )
        params.pop(low, None)
        params.pop(high, None)
    try:
        return VehicleFilters(**params, page_size=PAGE_SIZE), params, problems
    except ValidationError:  # a rule we do not know how to explain: start over, say so
        problems.append(_("Some filters were not valid and were ignored."))
        return VehicleFilters(page_size=PAGE_SIZE), {}, problems


def active_filter_count(params: dict[str, str]) -> int:
    """How many filters are in use, for the folded panel's summary on a phone."""
    return sum(1 for group in PANEL_FILTERS if any(params.get(name) for name in group))


ELIGIBLE_LABELS = {
    "eligible": gettext_lazy("Admitted"),
    "not_eligible": gettext_lazy("Not admitted"),
}
# The facet's values as the `eligible` parameter, with the other spelling it accepts.
ELIGIBLE_PARAMS = {"eligible": ("true", "1"), "not_eligible": ("false", "0")}


def facet_label(field: str, value) -> str:
    if field == "eligible":
        return str(ELIGIBLE_LABELS.get(value, value))
    if field in CHOICE_FILTERS:
        try:
            return str(CHOICE_FILTERS[field](value).label)
        except ValueError:
            return str(value)
    return str(value)


def facet_groups(facets: dict, params: dict[str, str]) -> list[dict]:
    """Facet values as links that add (or, when active, remove) that filter."""
    base = {k: v for k, v in params.items() if k != "page"}
    path = reverse("catalog:search")
    groups = []
    for field, rows in facets.items():
        links = []
        for row in rows:
            value = str(row["value"])
            query = dict(base)
            if field == "eligible":
                spellings = ELIGIBLE_PARAMS.get(value, ("",))
                active = params.get("eligible", "").lower() in spellings
                if active:
                    query.pop("eligible", None)
                else:
                    query["eligible"] = spellings[0]
            elif field == "year":
                active = params.get("year_min") == value and params.get("year_max") == value
                if active:
                    query.pop("year_min", None)
                    query.pop("year_max", None)
                else:
                    query.update(year_min=value, year_max=value)
            else:
                active = params.get(field, "").lower() == value.lower()
                if active:
                    query.pop(field, None)
                else:
                    query[field] = value
            links.append(
                {
                    "label": facet_label(field, row["value"]),
                    "count": row["count"],
                    "active": active,
                    "url": _search_url(query, path=path),
                }
            )
        groups.append({"field": field, "title": FACET_TITLES[field], "links": links})
    return groups


def page_numbers(page: int, pages: int) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 20 — None marks a gap."""
    shown = {1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)}
    result: list[int | None] = []
    for number in sorted(n for n in shown if n >= 1):
        if result and number - (result[-1] or 0) > 1:
            result.append(None)
        result.append(number)
    return result


def home(request):
    found = selectors.search_vehicles(VehicleFilters(sort="-published_at", page_size=8))
    groups = {group["field"]: group for group in facet_groups(found.facets, {})}
    return render(
        request,
        "catalog/home.html",
        {
            "latest": found.items,
            "count": found.count,
            "count_exact": found.exact,
            "makes": groups["make"]["links"][:10],
            "bodies": groups["body_type"]["links"],
        },
    )


DESTINATION_PARAMS = ("destination", "incoterm", "mode", "currency", "eligible")


def _with_destination(request, filters, params, problems):
    """The page counts and filters what a destination admits: the one in the address, else
    the visitor's landed-price choice. Sorted by landed price, it follows the prices it
    shows: the visitor's choice (destination, Incoterm, mode, currency), whatever the
    address. "Importable only" without a destination, or the landed-price sort without
    prices shown, is dropped, said."""
    chosen = extensions.options_of(request)
    if chosen and (not filters.destination or filters.sort in LANDED_SORTS):
        return filters.model_copy(update=chosen)
    update = {}
    if filters.sort in LANDED_SORTS:
        params.pop("sort", None)
        problems.append(
            _("Sorting by landed price needs a destination: choose one under “Show landed prices”.")
        )
        update["sort"] = None
    if not filters.destination and filters.eligible is not None:
        params.pop("eligible", None)
        problems.append(
            _("“Importable only” needs a destination: choose one under “Show landed prices”.")
        )
        update["eligible"] = None
    return filters.model_copy(update=update) if update else filters


def eligibility_note(rules) -> str:
    """The destination's rules in words, under its facet."""
    if rules is None:
        return ""
    parts = []
    if rules.steering:
        sides = [str(Steering(side).label) for side in rules.steering if side in Steering.values]
        parts.append(_("steering: %(sides)s") % {"sides": ", ".join(sides)})
    if rules.max_age_years is not None:
        parts.append(_("at most %(years)s years old") % {"years": rules.max_age_years})
    return "; ".join(parts) if parts else _("no age or steering rule")


FILTER_NAMES = set(VehicleFilters.model_fields)


class SearchBody(NamedTuple):
    """The search page's form and results as rendered, kept whole in the cache."""

    html: str
    status: int
    count: int
    params: dict[str, str]  # the filters in use
    url: str  # the address that shows them


def search(request):
    """The search page. Its form and results are kept whole per catalogue version, query,
    language and what the apps above add (extensions.variant_of); only the page around them
    (the visitor's menu, the language form) is rendered each time."""
    variant = extensions.variant_of(request)
    if variant is None:  # the visitor is making a choice: computed, not kept
        body, parts = _search_body(request)
    else:
        # The filters as sent (what the form shows, the problems it names); other
        # parameters change nothing and do not make another copy.
        asked = sorted(
            (name, values) for name, values in request.GET.lists() if name in FILTER_NAMES
        )
        key = ("page", bool(request.htmx), asked, get_language(), variant)
        body, parts = selectors.cached_answer(key, lambda: _search_body(request)[0]), []
    record_behaviour(request.user, "search", **body.params, results=body.count)
    if request.htmx:
        response = HttpResponse(body.html, status=body.status)
        # The address bar shows the filters in use, not every empty field of the form.
        push_url(response, body.url)
    else:
        context = {"body": mark_safe(body.html), "params": body.params}
        response = render(request, "catalog/search.html", context, status=body.status)
    return extensions.finished(response, parts)


def _search_body(request) -> tuple[SearchBody, list[extensions.PagePart]]:
    """The form and results (or, asked by htmx, the results alone) as a string."""
    filters, params, problems = parse_filters(request.GET)
    filters = _with_destination(request, filters, params, problems)
    try:
        found = selectors.search_vehicles(filters)
    except AppError as exc:  # a destination (or term) the rate book does not know: said
        problems.append(exc.detail)
        update = dict.fromkeys(DESTINATION_PARAMS)
        if filters.sort in LANDED_SORTS:  # it needs the destination
            update["sort"] = None
        for name in update:
            params.pop(name, None)
        filters = filters.model_copy(update=update)
        found = selectors.search_vehicles(filters)
    items, count, facets = found.items, found.count, found.facets
    # Pages reach the first EXACT_UP_TO results (a larger result is estimated).
    # Sorted by landed price, the first LANDED_SORT_UP_TO (found.sorted_among).
    window = found.sorted_among or selectors.EXACT_UP_TO
    pages = max(1, math.ceil(min(count, window) / filters.page_size))
    context = {
        "items": items,
        "count": count,
        "count_exact": found.exact,
        "result_window": selectors.EXACT_UP_TO,
        "sorted_among": found.sorted_among,
        "filters": filters,
        "params": params,
        "problems": problems,
        "filter_count": active_filter_count(params),
        "facet_groups": _titled(facet_groups(facets, params), found.eligibility),
        "makes": [row["value"] for row in facets["make"]],
        "choice_filters": [
            {
                "name": name,
                "label": FILTER_LABELS[name],
                "options": enum.choices,
                "value": params.get(name, ""),
            }
            for name, enum in CHOICE_FILTERS.items()
        ],
        "labels": FILTER_LABELS,
        "sort_choices": SORT_CHOICES,
        "page": filters.page,
        "pages": pages,
        "all_suppliers_url": _search_url(
            {k: v for k, v in params.items() if k not in ("supplier", "page")}
        ),
        "page_links": [
            (number, _search_url(params, page=number) if number else None)
            for number in page_numbers(filters.page, pages)
        ],
    }
    for vehicle in items:  # what the card reads when quotes adds nothing (no lookup misses)
        vehicle.landed, vehicle.detail_query = None, ""
    parts = [hook(request, items) for hook in extensions.search_page]
    status = extensions.merged(context, parts)
    # Rendered without the request: nothing of the visitor's own goes into what is kept.
    template = "catalog/_results.html" if request.htmx else "catalog/_search_form.html"
    html = render_to_string(template, {**context, "oob": bool(request.htmx)})
    url = _search_url(params, page=filters.page)
    return SearchBody(html, status, count, params, url), parts


def _titled(groups: list[dict], rules) -> list[dict]:
    """The eligibility facet named after its country, with its rules in words, first."""
    for group in groups:
        if group["field"] == "eligible" and rules is not None:
            group["title"] = _("Importable to %(country)s") % {
                "country": countries.name(rules.country) or rules.country
            }
            group["note"] = eligibility_note(rules)
    # What the destination admits comes first: an importer's first question.
    return sorted(groups, key=lambda group: group["field"] != "eligible")


def _search_url(params: dict[str, str], *, path: str = "", **changes) -> str:
    """The search page with these parameters (``path``: its address, when already known —
    a page of facets builds a hundred links)."""
    query = {**params, **{k: v for k, v in changes.items() if v is not None}}
    if str(query.get("page")) == "1":
        query.pop("page")
    return (path or reverse("catalog:search")) + ("?" + urlencode(query) if query else "")


SPEC_FIELDS = (
    "make",
    "model",
    "variant",
    "year",
    "first_registration",
    "mileage_km",
    "fuel",
    "transmission",
    "drive",
    "body_type",
    "engine_cc",
    "battery_kwh",
    "colour",
    "steering",
    "vin",
    "city",
    "quantity",
)


def spec_rows(vehicle: Vehicle) -> list[tuple[str, object]]:
    """(translated label, value) for every filled-in field of the listing."""
    rows = []
    for name in SPEC_FIELDS:
        field = Vehicle._meta.get_field(name)
        value = getattr(vehicle, name)
        if value in (None, ""):
            continue
        if field.choices:
            value = getattr(vehicle, f"get_{name}_display")()
        elif name in ("mileage_km", "engine_cc"):
            value = grouped(value)
        rows.append((capfirst(field.verbose_name), value))
    dimensions = f"{vehicle.length_mm} × {vehicle.width_mm} × {vehicle.height_mm} mm"
    rows.append((_("Dimensions (L × W × H)"), dimensions))
    return rows


def vehicle_detail(request, pk: int):
    """The listing; the apps above add to it (quotes: the calculator and, for buyers, the
    quotation request, which is what a POST here is)."""
    vehicle = selectors.public_vehicle(pk)
    if request.method == "GET":
        record_behaviour(request.user, "view", vehicle=vehicle.pk)
    photos = list(vehicle.photos.all())
    try:
        current = max(0, min(int(request.GET.get("photo", 0)), len(photos) - 1))
    except ValueError:
        current = 0
    parts = []
    for hook in extensions.vehicle_page:
        part = hook(request, vehicle)
        if isinstance(part, HttpResponse):
            return part
        parts.append(part)
    context = {
        "vehicle": vehicle,
        "company": vehicle.company,
        "photos": photos,
        "main_photo": photos[current] if photos else None,
        "current": current,
        "specs": spec_rows(vehicle),
        "reserved": vehicle.quantity_available == 0,
    }
    return extensions.render_with(request, "catalog/vehicle_detail.html", context, parts)


def add_app_error(form: forms.Form, exc: AppError) -> None:
    """Put a service's refusal on the form: per field where it names one, else on top.
    The service may have validated with the same form: a message already shown is skipped."""
    placed = False
    for field, problems in exc.rendered_errors().items():
        target = field if field in form.fields else None
        placed = placed or target is not None
        for problem in problems:
            if problem not in form.errors.get(target or NON_FIELD_ERRORS, []):
                form.add_error(target, problem)
    if not placed and exc.detail not in form.errors.get(NON_FIELD_ERRORS, []):
        form.add_error(None, exc.detail)


# --- the supplier's workspace -------------------------------------------------------


def _refusal(request, exc: AppError):
    detail = exc.detail
    return render(
        request,
        "catalog/supplier/not_allowed.html",
        {"code": str(exc.code), "detail": detail},
        status=403,
    )


def supplier_page(view):
    """Logged-in suppliers only; anyone else gets an explanation, not an error page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_supplier:
            return _refusal(request, AppError(CatalogError.NOT_SUPPLIER))
        try:
            return view(request, *args, **kwargs)
        except AppError as exc:
            if exc.status != 403:
                raise
            return _refusal(request, exc)

    return wrapper


def publisher_page(view):
    """Verified suppliers only: the same rule the services apply, checked before any form."""

    @supplier_page
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        require_publisher(request.user)
        return view(request, *args, **kwargs)

    return wrapper


SUPPLIER_PAGE_SIZE = 25


@supplier_page
def supplier_dashboard(request):
    """My listings: one page at a time, found by make, model or VIN and by status."""
    user = request.user
    q = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    if status not in ListingStatus.values:
        status = ""
    listings = selectors.own_listings(user, q=q, status=status)
    page = Paginator(listings, SUPPLIER_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.own_status_counts(user)
    return render(
        request,
        "catalog/supplier/dashboard.html",
        {
            "company": user.company,
            "can_publish": user.can_publish,
            "page": page,
            "vehicles": page.object_list,
            "q": q,
            "status": status,
            "statuses": ListingStatus.choices,
            "total": sum(counts.values()),
            "counts": [(s, ListingStatus(s).label, n) for s, n in counts.items()],
            "jobs": selectors.import_jobs_of(user)[:5],
        },
    )


def _listing_data(post) -> dict:
    return {name: post[name] for name in LISTING_FIELDS if name in post}


@publisher_page
def vehicle_create(request):
    form = VehicleForm()
    if request.method == "POST":
        data = _listing_data(request.POST)
        try:
            vehicle = services.create_vehicle(user=request.user, data=data)
        except AppError as exc:
            form = VehicleForm(data=data)
            add_app_error(form, exc)
        else:
            messages.success(request, _("Listing saved. Now add some photos."))
            return redirect("catalog:vehicle_photos", pk=vehicle.pk)
    return render(
        request,
        "catalog/supplier/vehicle_form.html",
        {"form": form, "vehicle": None},
        status=400 if form.errors else 200,
    )


@publisher_page
def vehicle_edit(request, pk: int):
    vehicle = selectors.own_vehicle(request.user, pk)
    form = VehicleForm(instance=vehicle)
    if request.method == "POST":
        data = _listing_data(request.POST)
        try:
            services.update_vehicle(user=request.user, vehicle=vehicle, changes=data)
        except AppError as exc:
            vehicle = selectors.own_vehicle(request.user, pk)
            form = VehicleForm(data=data, instance=vehicle)
            add_app_error(form, exc)
        else:
            messages.success(request, _("Listing saved."))
            return redirect("catalog:supplier_dashboard")
    return render(
        request,
        "catalog/supplier/vehicle_form.html",
        {
            "form": form,
            "vehicle": vehicle,
            "locked": vehicle.status in (ListingStatus.RESERVED, ListingStatus.SOLD),
        },
        status=400 if form.errors else 200,
    )


@publisher_page
@require_POST
def vehicle_withdraw(request, pk: int):
    vehicle = selectors.own_vehicle(request.user, pk)
    try:
        services.withdraw_vehicle(user=request.user, vehicle=vehicle)
    except AppError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("“%(title)s” was withdrawn.") % {"title": vehicle.title})
    return redirect("catalog:supplier_dashboard")


@publisher_page
def vehicle_photos(request, pk: int):
    vehicle = selectors.own_vehicle(request.user, pk)
    errors: list[str] = []
    if request.method == "POST":
        files = request.FILES.getlist("photos")
        if not files:
            errors.append(_("Choose at least one photo."))
        added = 0
        for upload in files:
            try:
                services.add_photo(user=request.user, vehicle=vehicle, file=upload)
                added += 1
            except AppError as exc:
                for message in exc.rendered_errors().get("file", [exc.detail]):
                    errors.append(f"{upload.name}: {message}")
        if added:
            messages.success(request, _("Photos added: %(count)s.") % {"count": added})
        if not errors:
            return redirect("catalog:vehicle_photos", pk=vehicle.pk)
        vehicle = selectors.own_vehicle(request.user, pk)
    return render(
        request,
        "catalog/supplier/vehicle_photos.html",
        {"vehicle": vehicle, "photos": list(vehicle.photos.all()), "errors": errors},
        status=400 if errors else 200,
    )


@publisher_page
@require_POST
def vehicle_photo_delete(request, pk: int, photo_id: int):
    vehicle = selectors.own_vehicle(request.user, pk)
    photo = get_object_or_404(vehicle.photos.all(), pk=photo_id)
    services.delete_photo(user=request.user, photo=photo)
    messages.success(request, _("Photo deleted."))
    return redirect("catalog:vehicle_photos", pk=vehicle.pk)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV (UTF-8 or GB18030) or Excel .xlsx, at most %(mb)s MB and %(rows)s rows."
        ) % {
            "mb": settings.MAX_IMPORT_BYTES // 2**20,
            "rows": number_format(MAX_ROWS, force_grouping=True),
        }


# Required columns first, in the order a supplier's stock sheet usually has them.
IMPORT_COLUMNS = [
    "make",
    "model",
    "variant",
    "year",
    "vin",
    "mileage_km",
    "fuel",
    "transmission",
    "drive",
    "body_type",
    "steering",
    "length_mm",
    "width_mm",
    "height_mm",
    "city",
    "price",
    "quantity",
    "status",
    "colour",
    "engine_cc",
    "battery_kwh",
    "condition_notes",
    "first_registration",
]
TEMPLATE_EXAMPLE = {
    "make": "BYD",
    "model": "Song Plus",
    "variant": "DM-i 110km Flagship",
    "year": "2022",
    "first_registration": "2022-05-18",
    "vin": with_check_digit("LGXCE4CB0N2000001"),
    "mileage_km": "30000",
    "fuel": "phev",
    "transmission": "automatic",
    "drive": "fwd",
    "body_type": "suv",
    "engine_cc": "1498",
    "battery_kwh": "18.3",
    "colour": "White",
    "steering": "LHD",
    "length_mm": "4775",
    "width_mm": "1890",
    "height_mm": "1670",
    "condition_notes": "One owner, full service history",
    "city": "Hangzhou",
    "price": "118000",
    "quantity": "1",
    "status": "draft",
}


def import_columns() -> list[dict]:
    """Each column of the import file: its name, meaning, whether required, allowed values."""
    form = VehicleForm()
    columns = []
    for name in IMPORT_COLUMNS:
        field = form.fields[name]
        choices = [value for value, _label in getattr(field, "choices", []) if value]
        columns.append(
            {
                "name": name,
                "label": str(field.label),
                "required": field.required and name not in ("status", "quantity"),
                "choices": choices,
                "example": TEMPLATE_EXAMPLE[name],
            }
        )
    return columns


@publisher_page
def import_upload(request):
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = services.start_import(user=request.user, file=form.cleaned_data["file"])
            except AppError as exc:
                add_app_error(form, exc)
            else:
                return redirect("catalog:import_job", pk=job.pk)
    return render(
        request,
        "catalog/supplier/import_upload.html",
        {
            "form": form,
            "columns": import_columns(),
            "jobs": selectors.import_jobs_of(request.user)[:10],
        },
        status=400 if form.errors else 200,
    )


@supplier_page
def import_template(request):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=IMPORT_COLUMNS)
    writer.writeheader()
    writer.writerow(TEMPLATE_EXAMPLE)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ex1000-import-template.csv"'
    return response


# The page lists this many problems (it redraws every second while the job runs); all of
# them are in the CSV beside it and in the job's API answer.
PROBLEMS_SHOWN = 200


def _own_job(request, pk: int):
    job = selectors.import_jobs_of(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


@supplier_page
def import_job(request, pk: int):
    job = _own_job(request, pk)
    errors = selectors.import_job_errors(job, limit=PROBLEMS_SHOWN)
    template = "_import_progress.html" if request.htmx else "import_job.html"
    return render(
        request,
        f"catalog/supplier/{template}",
        {"job": job, "errors": errors, "problems": len(job.errors or [])},
    )


@supplier_page
def import_problems(request, pk: int):
    """Every problem of an import as a spreadsheet: row, column, problem, in the reader's
    language, to fix the stock list and upload it again."""
    job = _own_job(request, pk)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Row"), _("Column"), _("Problem")])
    for error in selectors.import_job_errors(job):
        writer.writerow([error["row"], error["field"], error["message"]])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ex1000-import-{job.pk}-problems.csv"'
    return response
