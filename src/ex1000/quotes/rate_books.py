"""Importing rate books: validate a quoting.md document whole, then store it as a new version.

Importing never edits an existing version: issued quotes point at the book that priced them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from ex1000 import pricing
from ex1000.core.errors import AppError

from .error_codes import QuoteError
from .models import Place, RateBook

# Column limits of the RateBook / Place rows (a longer value would fail in the database).
_LIMITS = {"version": 40, "code": 10, "name": 100, "kind": 20}

TABLES = (
    "places",
    "inland",
    "origin",
    "main",
    "container_capacity",
    "destination",
    "onward",
    "duties",
    "insurance",
    "inspection",
    "eligibility",
)


def _column_errors(document: dict[str, Any]) -> list[str]:
    errors = []
    version = document.get("version")
    if isinstance(version, str) and len(version.strip()) > _LIMITS["version"]:
        errors.append(f"version: at most {_LIMITS['version']} characters")
    for i, row in enumerate(document.get("places") or []):
        if not isinstance(row, dict):
            continue
        for name in ("code", "name", "kind"):
            value = row.get(name)
            if isinstance(value, str) and len(value.strip()) > _LIMITS[name]:
                errors.append(f"places[{i}].{name}: at most {_LIMITS[name]} characters")
    return errors


def parse_document(data: bytes | str) -> dict[str, Any]:
    """The JSON of an uploaded or named file, or AppError saying why it is not one."""
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, ValueError) as exc:
        raise AppError(
            QuoteError.NOT_JSON, errors={"document": [QuoteError.NOT_JSON]}, error=str(exc)
        ) from exc
    if not isinstance(document, dict):
        raise AppError(
            QuoteError.NOT_JSON,
            errors={"document": [QuoteError.NOT_JSON]},
            error="document: must be a JSON object",
        )
    return document


def import_rate_book(*, document: dict[str, Any], user=None) -> RateBook:
    """Validate the document (all-or-nothing) and store it as a new version with its places.

    Raises AppError ``invalid_rate_book`` listing every problem (each naming
    table[row].field), or ``rate_book_exists`` when the version exists already.
    """
    try:
        parsed = pricing.parse_rate_book(document)
        errors = _column_errors(document)
    except pricing.RateBookError as exc:
        errors = list(exc.errors)
        if isinstance(document, dict):
            errors += _column_errors(document)
    if errors:
        # The rows' own messages name the table, row and field of the operator's file.
        raise AppError(
            QuoteError.INVALID_RATE_BOOK,
            errors={"document": errors},
            count=len(errors),
            errors_text="; ".join(errors[:5]),
        )
    if RateBook.objects.filter(version=parsed.version).exists():
        raise _duplicate(parsed.version)
    origins = {r.place for r in parsed.origin}
    destinations = {r.to for r in parsed.main}
    try:
        with transaction.atomic():
            book = RateBook.objects.create(
                version=parsed.version,
                currency=parsed.currency,
                valid_from=parsed.valid_from,
                valid_to=parsed.valid_to,
                validity_days=parsed.validity_days,
                document=document,
                imported_by=user if user is not None and user.is_authenticated else None,
            )
            Place.objects.bulk_create(
                Place(
                    book=book,
                    code=p.code,
                    name=p.name,
                    country=p.country,
                    kind=p.kind,
                    is_origin=p.code in origins,
                    is_destination=p.code in destinations,
                )
                for p in parsed.places
            )
    except IntegrityError as exc:  # a concurrent import of the same version
        raise _duplicate(parsed.version) from exc
    return book


def _duplicate(version: str) -> AppError:
    return AppError(
        QuoteError.RATE_BOOK_EXISTS,
        errors={"version": [QuoteError.RATE_BOOK_EXISTS]},
        version=version,
    )


@dataclass(frozen=True)
class RateBookSummary:
    version: str
    valid_from: str
    valid_to: str
    counts: dict[str, int]

    def describe(self) -> str:
        counts = ", ".join(f"{n} {table}" for table, n in self.counts.items() if n)
        return f"Rate book {self.version} (valid {self.valid_from} to {self.valid_to}): {counts}."


def rate_book_summary(book: RateBook) -> RateBookSummary:
    """Row counts per table of a stored book (from its document; no query)."""
    document = book.document or {}
    return RateBookSummary(
        version=book.version,
        valid_from=str(book.valid_from),
        valid_to=str(book.valid_to),
        counts={table: len(document.get(table) or []) for table in TABLES},
    )
