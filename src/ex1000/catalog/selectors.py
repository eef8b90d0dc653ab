"""Reads of the catalogue: public search with facets, and each supplier's own listings."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError

from . import extensions
from .error_codes import CatalogError
from .filters import VehicleFilters
from .models import ListingStatus, Vehicle, VehiclePhoto
from .search_terms import corrected_query

FACET_FIELDS = ("make", "body_type", "fuel", "year")
SORTS = {
    "price": ("price", "-id"),
    "-price": ("-price", "-id"),
    "year": ("year", "-id"),
    "-year": ("-year", "-id"),
    "mileage": ("mileage_km", "-id"),
    "-published_at": ("-published_at", "-id"),
}


def _with_photos(queryset: QuerySet[Vehicle]) -> QuerySet[Vehicle]:
    return queryset.select_related("company").prefetch_related(
        Prefetch("photos", queryset=VehiclePhoto.objects.order_by("position", "pk"))
    )


# A reserved listing stays in view (orders.md): it shows as reserved, takes no inquiries,
# and is offered again if its order is cancelled.
PUBLIC_STATUSES = (ListingStatus.PUBLISHED, ListingStatus.RESERVED)


def public_vehicles() -> QuerySet[Vehicle]:
    return Vehicle.objects.filter(status__in=PUBLIC_STATUSES)


def public_vehicle(vehicle_id: int) -> Vehicle:
    vehicle = _with_photos(public_vehicles()).filter(pk=vehicle_id).first()
    if vehicle is None:
        raise Http404
    return vehicle


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def _full_text(queryset: QuerySet[Vehicle], q: str) -> QuerySet[Vehicle]:
    if uses_postgres():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector("search_text", config="simple")
        query = SearchQuery(q, config="simple", search_type="websearch")
        return queryset.annotate(search=vector, relevance=SearchRank(vector, query)).filter(
            search=query
        )
    # SQLite fallback: every word must appear somewhere in the listing's text.
    for word in q.lower().split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset.annotate(relevance=F("id") * 0)


def filter_vehicles(queryset: QuerySet[Vehicle], filters: VehicleFilters) -> QuerySet[Vehicle]:
    conditions = Q()
    if filters.make:
        conditions &= Q(make__iexact=filters.make)
    if filters.model:
        conditions &= Q(model__iexact=filters.model)
    if filters.year_min is not None:
        conditions &= Q(year__gte=filters.year_min)
    if filters.year_max is not None:
        conditions &= Q(year__lte=filters.year_max)
    if filters.price_min is not None:
        conditions &= Q(price__gte=filters.price_min)
    if filters.price_max is not None:
        conditions &= Q(price__lte=filters.price_max)
    if filters.mileage_max is not None:
        conditions &= Q(mileage_km__lte=filters.mileage_max)
    for name in ("fuel", "body_type", "transmission", "drive", "steering"):
        if value := getattr(filters, name):
            conditions &= Q(**{name: value})
    if filters.city:
        conditions &= Q(city__iexact=filters.city)
    if filters.supplier:
        conditions &= Q(company_id=filters.supplier)
    queryset = queryset.filter(conditions)
    if q := _search_words(filters):
        found = _full_text(queryset, q)
        # A misspelt name ("toyta lend cruser") finds nothing as typed: then the corrected
        # words (one more query, only for queries that have a correction).
        corrected = corrected_query(q)
        if corrected != q and not found.exists():
            found = _full_text(queryset, corrected)
        queryset = found
    return queryset


def _search_words(filters: VehicleFilters) -> str:
    """The full-text query; blank (or only spaces) means no text search at all."""
    return (filters.q or "").strip()


def order_vehicles(queryset: QuerySet[Vehicle], filters: VehicleFilters) -> QuerySet[Vehicle]:
    searching = bool(_search_words(filters))
    sort = filters.sort or ("relevance" if searching else "-published_at")
    if sort == "relevance":
        if searching:
            return queryset.order_by("-relevance", "-published_at", "-id")
        sort = "-published_at"
    return queryset.order_by(*SORTS[sort])


def facets(queryset: QuerySet[Vehicle]) -> dict[str, list[dict]]:
    """Counts per value of the facet fields, over the filtered result set."""
    result = {}
    base = queryset.order_by()
    for field in FACET_FIELDS:
        ordering = ("-year",) if field == "year" else ("-count", field)
        rows = base.values(field).annotate(count=Count("id")).order_by(*ordering)
        result[field] = [{"value": row[field], "count": row["count"]} for row in rows]
    return result


def search_vehicles(filters: VehicleFilters) -> tuple[list[Vehicle], int, dict]:
    """One page of public listings, the total count and the facets; with a destination, the
    facet ``eligible`` counts the cars it admits and those it does not, and ``eligible``
    keeps one side."""
    matched = filter_vehicles(public_vehicles(), filters)
    rules = extensions.eligibility_of(filters)
    if filters.eligible is not None and rules is None:
        error = CatalogError.ELIGIBLE_NEEDS_DESTINATION
        raise AppError(error, errors={"eligible": [error]})
    admitted = None
    if rules is not None:
        admitted = matched.filter(rules.condition).count()
        total = matched.count()
        if filters.eligible is not None:
            matched = matched.filter(rules.condition if filters.eligible else ~rules.condition)
    ordered = _with_photos(order_vehicles(matched, filters))
    start = (filters.page - 1) * filters.page_size
    items = list(ordered[start : start + filters.page_size])
    counted = facets(matched)
    if admitted is not None:
        counted["eligible"] = [
            {"value": "eligible", "count": admitted},
            {"value": "not_eligible", "count": total - admitted},
        ]
    return items, matched.count(), counted


def own_vehicles(user) -> QuerySet[Vehicle]:
    """A supplier's listings, any status; nobody else's."""
    if not user.is_authenticated or user.company_id is None or not user.is_supplier:
        return Vehicle.objects.none()
    return _with_photos(Vehicle.objects.filter(company_id=user.company_id)).order_by(
        "-updated_at", "-id"
    )


def own_listings(user, *, q: str = "", status: str = "") -> QuerySet[Vehicle]:
    """The supplier's "My listings": every word of q in the make, model, variant or VIN;
    an unknown status filters nothing (the page offers only the real ones)."""
    listings = own_vehicles(user)
    if status in ListingStatus.values:
        listings = listings.filter(status=status)
    for word in q.split():
        listings = listings.filter(
            Q(make__icontains=word)
            | Q(model__icontains=word)
            | Q(variant__icontains=word)
            | Q(vin__icontains=word)
        )
    return listings


def own_status_counts(user) -> dict[str, int]:
    """How many of the supplier's listings are in each status, all of them counted."""
    counts = dict.fromkeys(ListingStatus.values, 0)
    rows = own_vehicles(user).order_by().values("status").annotate(n=Count("id"))
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def own_vehicle(user, vehicle_id: int) -> Vehicle:
    vehicle = own_vehicles(user).filter(pk=vehicle_id).first()
    if vehicle is None:
        raise Http404
    return vehicle


def import_jobs_of(user):
    from .models import ImportJob

    if not user.is_authenticated:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(user=user).order_by("-created_at")


_IMPORT_CODES = {code.value: code for enum in (CoreError, CatalogError) for code in enum}


def import_job_errors(job) -> list[dict]:
    """The job's problems with each message in the active language."""
    rows = []
    for entry in job.errors or []:
        code = _IMPORT_CODES.get(entry.get("code", ""))
        message = entry.get("message", "")
        if code:
            message = code.render(entry.get("params"))
        elif message:
            message = gettext(message)
        rows.append(
            {
                "row": entry.get("row"),
                "field": entry.get("field"),
                "code": entry.get("code"),
                "message": message,
            }
        )
    return rows
