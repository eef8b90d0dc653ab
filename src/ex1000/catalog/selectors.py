"""Reads of the catalogue: public search with facets, and each supplier's own listings."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, Case, Count, Prefetch, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.http import Http404
from django.utils.translation import gettext

from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError

from . import extensions
from .error_codes import CatalogError
from .filters import LANDED_SORTS, VehicleFilters
from .models import PUBLIC, SAMPLE_KEYS, ListingStatus, Vehicle, VehiclePhoto
from .search_terms import corrected_query

logger = logging.getLogger(__name__)

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
    # The supplier's name and badge are shown; its encrypted credit code is not decrypted.
    return (
        queryset.select_related("company")
        .defer("company__credit_code")
        .prefetch_related(
            Prefetch("photos", queryset=VehiclePhoto.objects.order_by("position", "pk"))
        )
    )


def public_vehicles() -> QuerySet[Vehicle]:
    return Vehicle.objects.filter(PUBLIC)


def public_vehicle(vehicle_id: int) -> Vehicle:
    vehicle = _with_photos(public_vehicles()).filter(pk=vehicle_id).first()
    if vehicle is None:
        raise Http404
    return vehicle


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


# Counts up to this are exact; above it they are estimated from a uniform sample of the
# result and shown as such ("about 150,000"). It is also as deep as pages go. A quarter
# beyond the 10,000 promised (issue 10): a result just above 10,000 is then counted in
# its one grouped scan, where it would take that scan and a sample (a text search of
# 10,690 matches: 34 ms in process, 27 ms counted).
EXACT_UP_TO = 12_500
SAMPLE_SIZE = 1_000  # ±3 % on the count, about the two figures shown
# Relevance ranks a text search's matches when there are at most this many (each is read
# to rank it); a larger result, where every car has all the words, is newest first.
RANK_UP_TO = 1_000


class Tally(NamedTuple):
    count: int
    facets: dict[str, list[dict]]
    exact: bool

    @property
    def ranks(self) -> bool:
        """Whether relevance ranks these matches (see RANK_UP_TO)."""
        return self.exact and self.count <= RANK_UP_TO


class Matches(NamedTuple):
    """What a search matches: ``all`` (the filters and words), ``shown`` (with a
    destination and ``eligible``, one side of its rules), the words matched (q or its
    correction), the destination's rules and their condition."""

    all: QuerySet[Vehicle]
    shown: QuerySet[Vehicle]
    words: str
    rules: extensions.Eligibility | None
    admitted: Q | None


def matches(filters: VehicleFilters) -> Matches:
    found, words = _filtered(public_vehicles(), filters)
    rules = extensions.eligibility_of(filters)
    if filters.eligible is not None and rules is None:
        error = CatalogError.ELIGIBLE_NEEDS_DESTINATION
        raise AppError(error, errors={"eligible": [error]})
    if filters.sort in LANDED_SORTS and not (filters.destination and extensions.landed_totals):
        error = CatalogError.LANDED_SORT_NEEDS_DESTINATION
        raise AppError(error, errors={"sort": [error]})
    admitted = None if rules is None else rules.condition or Q(pk__isnull=False)  # no rule: all
    shown = found
    if admitted is not None and filters.eligible is not None:
        shown = found.filter(admitted if filters.eligible else ~admitted)
    return Matches(found, shown, words, rules, admitted)


class SearchPage(NamedTuple):
    items: list[Vehicle]
    count: int
    facets: dict[str, list[dict]]
    exact: bool  # the count and every facet count are exact
    eligibility: extensions.Eligibility | None
    sorted_among: int | None = None  # the sort covered only the first this many matches


def _matches_words(q: str) -> Q:
    """Every word of q (websearch syntax) among the listing's lexemes. PostgreSQL reads
    them from the generated column ``search_vector`` (migration 0005, GIN-indexed)."""
    if uses_postgres():
        from django.contrib.postgres.search import SearchQuery, SearchVectorExact

        return Q(
            SearchVectorExact(
                _stored_vector(), SearchQuery(q, config="simple", search_type="websearch")
            )
        )
    # SQLite: every word must appear somewhere in the listing's text.
    condition = Q()
    for word in q.lower().split():
        condition &= Q(search_text__contains=word)
    return condition


def _stored_vector():
    from django.contrib.postgres.search import SearchVectorField

    return RawSQL(
        f"{connection.ops.quote_name(Vehicle._meta.db_table)}.search_vector",
        [],
        output_field=SearchVectorField(),
    )


def filter_vehicles(queryset: QuerySet[Vehicle], filters: VehicleFilters) -> QuerySet[Vehicle]:
    return _filtered(queryset, filters)[0]


def _filtered(queryset: QuerySet[Vehicle], filters: VehicleFilters) -> tuple[QuerySet, str]:
    """The matches, and the words they match (q, or its correction when q finds none)."""
    conditions = Q()
    if filters.make:
        conditions &= Q(make_key=Lower(Value(filters.make)))
    if filters.model:
        conditions &= Q(model_key=Lower(Value(filters.model)))
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
        conditions &= Q(city_key=Lower(Value(filters.city)))
    if filters.supplier:
        conditions &= Q(company_id=filters.supplier)
    queryset = queryset.filter(conditions)
    if q := _search_words(filters):
        found = queryset.filter(_matches_words(q))
        # A misspelt name ("toyta lend cruser") finds nothing as typed: then the corrected
        # words (one more query, only for queries that have a correction).
        corrected = corrected_query(q)
        if corrected != q and not found.exists():
            found = queryset.filter(_matches_words(corrected))
            q = corrected
        queryset = found
    return queryset, q


def _search_words(filters: VehicleFilters) -> str:
    """The full-text query; blank (or only spaces) means no text search at all."""
    return (filters.q or "").strip()


def order_vehicles(
    queryset: QuerySet[Vehicle], filters: VehicleFilters, words: str = "", *, rank: bool = True
) -> QuerySet[Vehicle]:
    """The sort asked for. Relevance ranks the matches by how well the words match only
    when there are few enough to count exactly (``rank``); a larger result, where every car
    has all the words, is newest first."""
    searching = bool(_search_words(filters))
    sort = filters.sort or ("relevance" if searching else "-published_at")
    if sort == "relevance":
        if searching and rank:
            return _ranked(queryset, words).order_by("-relevance", "-published_at", "-id")
        sort = "-published_at"
    return queryset.order_by(*SORTS[sort])


def _ranked(queryset: QuerySet[Vehicle], words: str) -> QuerySet[Vehicle]:
    if uses_postgres() and words:
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(words, config="simple", search_type="websearch")
        return queryset.annotate(relevance=SearchRank(_stored_vector(), query))
    return queryset.annotate(relevance=Value(0))


def search_vehicles(filters: VehicleFilters) -> SearchPage:
    """One page of public listings, the total count and the facets (exact up to
    EXACT_UP_TO results, estimated above). With a destination, the facet ``eligible``
    counts the cars it admits and those it does not, and ``eligible`` keeps one side.
    On PostgreSQL the counts, facets and page are kept in the cache under the catalogue's
    version: the next visitor asking the same gets them without a scan, and any change to
    a listing makes them old at once."""
    matched = matches(filters)
    version = catalogue_version()
    asked = filters.model_dump(exclude={"page", "page_size", "sort", "incoterm", "currency"})
    found = _cached(version, ("tally", asked, matched.rules), lambda: _tally_of(matched, filters))
    if filters.sort in LANDED_SORTS:
        # Not cached: the order follows the rate book in force as well as the catalogue.
        ids = by_landed_price(matched.shown, filters)
        among = LANDED_SORT_UP_TO if found.count > LANDED_SORT_UP_TO else None
        return SearchPage(
            listings(ids), found.count, found.facets, found.exact, matched.rules, among
        )
    ids = _cached(
        version,
        ("page", asked, matched.rules, filters.sort, filters.page, filters.page_size),
        lambda: page_ids(matched.shown, filters, matched.words, rank=found.ranks),
    )
    return SearchPage(listings(ids), found.count, found.facets, found.exact, matched.rules)


# Sort by landed price: the pricing engine prices each car (about 50 µs), so the sort
# covers the first this many matches by ex-works price, the largest share of the landed
# price — all of them when there are no more (then it is exact), and pages reach them.
LANDED_SORT_UP_TO = 1_000
# What the engine reads of a listing (quotes.adapter.vehicle_spec).
PRICED_FIELDS = (
    "id", "make", "model", "year", "price", "price_currency", "city",
    "length_mm", "width_mm", "height_mm", "steering",
)  # fmt: skip


def by_landed_price(matched: QuerySet[Vehicle], filters: VehicleFilters) -> list[int]:
    """The page's listings by landed price under the search's options: cheapest first
    (``-landed_price``: dearest first), the cars that cannot be priced last."""
    dearest = filters.sort == "-landed_price"
    by_price = matched.order_by(*SORTS["-price" if dearest else "price"])
    candidates = list(by_price.only(*PRICED_FIELDS)[:LANDED_SORT_UP_TO])
    totals = extensions.landed_totals[0](candidates, filters)
    priced = [v for v in candidates if totals.get(v.pk) is not None]
    priced.sort(key=lambda v: totals[v.pk], reverse=dearest)  # stable: ties keep price order
    ordered = priced + [v for v in candidates if totals.get(v.pk) is None]
    start = (filters.page - 1) * filters.page_size
    return [v.pk for v in ordered[start : start + filters.page_size]]


def listings(ids: list[int]) -> list[Vehicle]:
    """These listings with their photos, in this order."""
    listed = _with_photos(Vehicle.objects.all()).in_bulk(ids) if ids else {}
    return [listed[pk] for pk in ids if pk in listed]


# Held shared by every writer from its commit-time trigger until its commit is visible
# (migration 0008): while it is, the version may be ahead of the rows a search can read.
VERSION_LOCK = 7301000


def catalogue_version() -> int | None:
    """The catalogue's version (migrations 0006–0008: every change to a listing, its
    photos, its supplier or a rate book advances it); None — nothing kept — on SQLite,
    whose search is not cached, and while a change is being committed: then the version
    may already count a change the search cannot see yet."""
    if not uses_postgres() or not settings.SEARCH_CACHE_SECONDS:
        return None
    with connection.cursor() as cursor:
        # The version first (the row is read before the select list is computed), then
        # whether a writer is between its commit-time trigger and its commit.
        cursor.execute(
            "SELECT last_value, is_called, CASE WHEN pg_try_advisory_lock(%s) "
            "THEN pg_advisory_unlock(%s) ELSE false END FROM catalog_vehicle_version",
            [VERSION_LOCK, VERSION_LOCK],
        )
        value, called, settled = cursor.fetchone()
    if not settled:
        return None
    return value if called else 0


def cached_answer(key: tuple | None, compute):
    """A whole search answer or page, ``compute()`` once per catalogue version and ``key``
    (everything else it depends on: the query, the language, what the apps above add —
    extensions.variant_of). ``key`` None: computed, not kept."""
    if key is None:
        return compute()
    return _cached(catalogue_version(), ("answer", *key), compute)


@functools.cache
def _code_release() -> str:
    """The code and templates this process serves, as a digest: a deploy, or old and new
    processes side by side, never serve each other's kept answers (their shape, their HTML)."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*")):
        if source.suffix in {".py", ".html", ".mo"}:
            digest.update(str(source.relative_to(package)).encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def _cached(version: int | None, key: tuple, compute):
    """``compute()`` once per catalogue version; kept only if the catalogue did not change
    while it ran (then it may mix the two versions). The cache down: computed each time."""
    if version is None:
        return compute()
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    name = f"search:{_code_release()}:{version}:{digest}"
    try:
        found = cache.get(name)
    except Exception:  # the cache is down: search works without it
        logger.warning("search: cache unavailable", exc_info=True)
        return compute()
    if found is None:
        found = compute()
        if catalogue_version() == version:
            try:
                cache.set(name, found, settings.SEARCH_CACHE_SECONDS)
            except Exception:
                logger.warning("search: cache unavailable", exc_info=True)
    return found


def _tally_of(matched: Matches, filters: VehicleFilters) -> Tally:
    """The tally of what is shown; the facet ``eligible`` counts both sides either way."""
    admitted = matched.admitted
    if admitted is None:
        return tally(matched.all)
    if filters.eligible is None:
        return tally(matched.all, admitted=admitted)
    found = tally(matched.shown)
    other = tally(matched.all.filter(~admitted if filters.eligible else admitted), facets=False)
    sides = {filters.eligible: found.count, not filters.eligible: other.count}
    found.facets["eligible"] = _eligible_facet(sides)
    return found._replace(exact=found.exact and other.exact)


def page_ids(
    matched: QuerySet[Vehicle], filters: VehicleFilters, words: str = "", *, rank: bool
) -> list[int]:
    """The page's listings, in order, by id: the sort's index answers alone however deep
    the page, and only the page's own rows are read afterwards. None beyond the first
    EXACT_UP_TO results."""
    start = (filters.page - 1) * filters.page_size
    if start >= EXACT_UP_TO:
        return []
    ordered = order_vehicles(matched, filters, words, rank=rank)
    return list(ordered.values_list("pk", flat=True)[start : start + filters.page_size])


def tally(matched: QuerySet[Vehicle], *, admitted: Q | None = None, facets: bool = True) -> Tally:
    """The number of matches and the facets. Up to EXACT_UP_TO matches they are counted
    and grouped in one scan that never reads more than EXACT_UP_TO + 1 rows; above, they
    are estimated from a uniform sample (``_sample``), so the cost is bounded whatever the
    result's size. When PostgreSQL's own estimate says the result is far above the limit,
    the sample comes first and the count is skipped; a sample that finds fewer cars than
    that estimate falls back to the count. ``admitted`` adds the facet ``eligible`` (cars
    the destination admits and not)."""
    base = matched.order_by()
    columns = list(FACET_FIELDS) if facets else []
    if admitted is not None:
        base = base.annotate(
            eligible=Case(
                When(admitted, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        columns.append("eligible")
    planned = _planned_rows(base)
    # Far above the limit by the planner's estimate: sampled without a count first.
    if planned is not None and planned > 2 * EXACT_UP_TO:
        rows, estimate = _sample(base, columns, expected=planned, size=SAMPLE_SIZE)
        if estimate > 2 * EXACT_UP_TO and len(rows) >= SAMPLE_SIZE // 10:
            return _from_sample(rows, columns, estimate)
    counted, count = _grouped(base, columns, limit=EXACT_UP_TO + 1)
    if count <= EXACT_UP_TO:
        return Tally(count, _facets(counted), exact=True)
    # Just above the limit: the total from a small sample, and while it stays near the
    # limit the facets are those of the EXACT_UP_TO + 1 just grouped — at least half of
    # all the matches — scaled to it.
    _rows, estimate = _sample(base, [], expected=count, size=SAMPLE_SIZE // 4)
    total = max(estimate, count)
    if total <= 2 * EXACT_UP_TO:
        return Tally(_about(total), _facets(_scaled(counted, total / count)), exact=False)
    rows, estimate = _sample(base, columns, expected=total, size=SAMPLE_SIZE)
    return _from_sample(rows, columns, max(estimate, count))


def _planned_rows(base: QuerySet[Vehicle]) -> float | None:
    """How many rows PostgreSQL's planner expects (its statistics, no scan); None on
    SQLite, which has no such estimate."""
    if not uses_postgres():
        return None
    plan = json.loads(base.values("pk").explain(format="json"))
    return plan[0]["Plan"]["Plan Rows"]


def _sample(
    base: QuerySet[Vehicle], columns: list[str], *, expected: float, size: int
) -> tuple[list[tuple], float]:
    """The first ``size`` matches in ``sample_key`` order — keys drawn at random, so a
    uniform sample — read on PostgreSQL from one covering index, and the number of matches
    they imply. The walk stops at a key bound that should hold twice the sample
    (``expected`` matches in all), so a wrong expectation costs a bounded scan; a sample
    cut short by the bound is then a fixed share of the keys."""
    bound = (
        SAMPLE_KEYS
        if expected <= 0
        else min(SAMPLE_KEYS, int(SAMPLE_KEYS * 2 * size / expected) + 1)
    )
    rows = list(
        base.filter(sample_key__lt=bound)
        .order_by("sample_key")
        .values_list("sample_key", *columns)[:size]
    )
    if len(rows) == size:
        # The k-th smallest of N uniform keys spans about k/N of their range: (k − 1) over
        # that share estimates N without bias.
        return rows, (size - 1) / ((rows[-1][0] + 1) / SAMPLE_KEYS)
    return rows, len(rows) / (bound / SAMPLE_KEYS)  # every match below the bound was read


def _from_sample(rows: list[tuple], columns: list[str], estimate: float) -> Tally:
    """Count and facets of a result estimated from its uniform sample ``rows``."""
    count = max(estimate, EXACT_UP_TO + 1)
    if not rows:
        return Tally(_about(count), _facets({column: [] for column in columns}), exact=False)
    counted = {
        column: list(Counter(row[i] for row in rows).items()) for i, column in enumerate(columns, 1)
    }
    return Tally(_about(count), _facets(_scaled(counted, count / len(rows))), exact=False)


def _scaled(counted: dict[str, list[tuple]], scale: float) -> dict[str, list[tuple]]:
    """Facet counts of a part of the result scaled to all of it, as estimates."""
    return {column: [(v, _about(n * scale)) for v, n in rows] for column, rows in counted.items()}


def _about(n: float) -> int:
    """An estimate to two significant figures (153,422 → 150,000): no false precision."""
    whole = max(round(n), 1)
    digits = len(str(whole)) - 2
    return round(whole, -digits) if digits > 0 else whole


def _grouped(
    base: QuerySet[Vehicle], columns: list[str], *, limit: int
) -> tuple[dict[str, list[tuple]], int]:
    """Count per value of each column, and the number of matches, over the first
    ``limit`` matches in one statement: PostgreSQL groups them in one scan (GROUPING SETS,
    the empty set giving the total), SQLite in one pass per column."""
    inner, params = base.values("pk", *columns)[:limit].query.sql_with_params()
    quote = connection.ops.quote_name
    names = [quote(column) for column in columns]
    if uses_postgres():
        sets = [f"({name})" for name in names] + ["()"]
        select = [f"GROUPING({', '.join(names)})" if names else "0", *names, "COUNT(*)"]
        sql = (
            f"SELECT {', '.join(select)} FROM ({inner}) AS matched "
            f"GROUP BY GROUPING SETS ({', '.join(sets)})"
        )
        everything = (1 << len(names)) - 1  # the mask of the empty set: nothing grouped
        bits = len(names) - 1

        def which(mask, values):  # GROUPING() has a 0 bit for the column grouped on
            if mask == everything:
                return None, None
            i = next(i for i in range(len(names)) if not mask >> (bits - i) & 1)
            return i, values[i]
    else:
        parts = [
            f"SELECT {i}, {name}, COUNT(*) FROM ({inner}) AS matched GROUP BY {name}"
            for i, name in enumerate(names)
        ]
        parts.append(f"SELECT -1, NULL, COUNT(*) FROM ({inner}) AS matched")
        sql = " UNION ALL ".join(parts)
        params = params * len(parts)

        def which(i, values):
            return (None, None) if i == -1 else (i, values[0])

    result: dict[str, list[tuple]] = {column: [] for column in columns}
    count = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for mask, *values, n in cursor.fetchall():
            i, value = which(mask, values)
            if i is None:
                count = n
            else:
                result[columns[i]].append((value, n))
    return result, count


def _facets(counted: dict[str, list[tuple]]) -> dict[str, list[dict]]:
    """Each facet's values, most frequent first (years newest first); ``eligible`` as
    the two sides the destination's rules make."""
    result = {}
    for column, rows in counted.items():
        if column == "eligible":
            result[column] = _eligible_facet(dict(rows))
            continue
        key = (lambda row: -row[0]) if column == "year" else (lambda row: (-row[1], row[0]))
        result[column] = [{"value": value, "count": n} for value, n in sorted(rows, key=key)]
    return result


def _eligible_facet(by_side: dict[bool, int]) -> list[dict]:
    """The facet ``eligible``: how many cars the destination admits and how many not."""
    return [
        {"value": "eligible", "count": by_side.get(True, 0)},
        {"value": "not_eligible", "count": by_side.get(False, 0)},
    ]


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


def import_job_errors(job, limit: int | None = None) -> list[dict]:
    """The job's problems (the first ``limit``) with each message in the active language."""
    rows = []
    for entry in (job.errors or [])[:limit]:
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
