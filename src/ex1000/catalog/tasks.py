"""Background work of the catalogue: the bulk import of a supplier's stock."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from ex1000.core.errors import AppError, ErrorCode, FieldError, render_message

from .error_codes import CatalogError
from .models import ImportJob, ImportStatus

MAX_ROWS = 5000
logger = logging.getLogger(__name__)


class UnreadableFile(AppError):
    """The file as a whole cannot be imported; its rows are not looked at."""


# A row of the file: its number as the spreadsheet shows it (the header is row 1) and
# its cells by lower-cased column name.
Row = tuple[int, dict[str, str]]


def _cell(value) -> str:
    """A spreadsheet cell as the text a person would have typed into a CSV."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _records(records: Iterator[list]) -> list[Row]:
    """Pair the header with each later record; blank records keep their row number."""
    header: list[str] | None = None
    rows: list[Row] = []
    for number, values in enumerate(records, start=1):
        cells = [_cell(v).strip() for v in values]
        if not any(cells):
            continue
        if header is None:
            header = [c.lower() for c in cells]
            _check_header(header)
            continue
        row = {name: cell for name, cell in zip(header, cells, strict=False) if name}
        rows.append((number, row))
        if len(rows) > MAX_ROWS:
            raise UnreadableFile(CatalogError.IMPORT_TOO_MANY_ROWS, count=MAX_ROWS)
    return rows


def _check_header(header: list[str]) -> None:
    """A file whose header misses most of the template's required columns is another
    layout (a dealer's own stock list, "Brand, Price…"): say so once for the file, instead
    of the same missing fields on every row. One or two missing columns stay per row."""
    from .forms import LISTING_FIELDS, VehicleForm

    required = [name for name, field in VehicleForm().fields.items() if field.required]
    missing = [name for name in required if name not in header]
    if len(missing) * 2 > len(required):
        known = set(LISTING_FIELDS) | set(CURRENCY_COLUMNS)
        unknown = [name for name in header if name and name not in known]
        raise UnreadableFile(
            CatalogError.IMPORT_WRONG_COLUMNS,
            missing=", ".join(missing),
            unknown=", ".join(unknown) or "-",
        )


def _delimiter(text: str) -> str:
    """Comma, semicolon (Excel in much of Europe) or tab, whichever the header line uses most.

    The header names the columns and has no quoted text, so it tells reliably; csv.Sniffer
    gives up as soon as one row has a different number of cells.
    """
    header = next((line for line in text.splitlines() if line.strip()), "")
    return max(",;\t", key=header.count) if header else ","


def _csv_rows(data: bytes) -> list[Row]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GB18030
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile(CatalogError.IMPORT_BAD_ENCODING)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
        return _records(reader)
    except csv.Error as exc:
        raise UnreadableFile(CatalogError.IMPORT_UNREADABLE_CSV, reason=str(exc)) from exc


def _xlsx_rows(data: bytes) -> list[Row]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise UnreadableFile(CatalogError.IMPORT_UNREADABLE_XLSX) from exc
    try:
        # From row 1, with missing rows filled in, so numbers match the sheet.
        return _records(workbook.worksheets[0].iter_rows(min_row=1, values_only=True))
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile(CatalogError.IMPORT_UNREADABLE_XLSX) from exc
    finally:
        workbook.close()


def read_rows(name: str, data: bytes) -> list[Row]:
    return _xlsx_rows(data) if name.endswith(".xlsx") else _csv_rows(data)


CURRENCY_COLUMNS = ("price_currency", "currency")


def _check_currency(data: dict[str, str]) -> None:
    """The price column is taken as CNY; a row saying otherwise must not be imported as-is."""
    for column in CURRENCY_COLUMNS:
        if data.get(column, "CNY").strip().upper() != "CNY":
            raise AppError(
                CatalogError.PRICE_NOT_CNY, errors={column: [CatalogError.PRICE_NOT_CNY]}
            )


def error_entry(row: int, field: str, message, params: dict | None = None) -> dict:
    """One stored problem of an import. A catalogue code is kept with its parameters, so
    the page and the API render it in the reader's language; any other message (a form
    field's) is kept in English, its msgid, and translated when shown (the import runs in
    English for that)."""
    entry: dict = {"row": row, "field": field}
    if isinstance(message, FieldError):
        message, params = message.code, message.params
    if isinstance(message, ErrorCode):
        entry["code"] = message.value
        entry["params"] = {k: str(v) for k, v in (params or {}).items()}
        entry["message"] = message.render(params)
        return entry
    entry["message"] = render_message(message)
    return entry


def _row_errors(row_number: int, exc: AppError) -> Iterator[dict]:
    if not exc.errors:
        yield error_entry(row_number, "detail", exc.code, exc.params)
    for field, messages in exc.errors.items():
        for message in messages:
            params = exc.params if message is exc.code else None
            yield error_entry(row_number, field, message, params)


@task()
def import_vehicles(job_id: int) -> None:
    with translation.override("en"):  # stored messages are msgids, translated when shown
        _run(job_id)


def _run(job_id: int) -> None:
    job = ImportJob.objects.select_related("user", "user__company").get(pk=job_id)
    job.status, job.started_at = ImportStatus.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        _import_rows(job)
    except UnreadableFile as exc:
        _fail(job, exc.code, exc.params)
    except Exception:
        # Never leave a job "running" for ever: the supplier sees that it failed.
        logger.exception("import job %s failed", job.pk)
        _fail(job, CatalogError.IMPORT_FAILED)


def _fail(job: ImportJob, code: ErrorCode, params: dict | None = None) -> None:
    job.errors = [*job.errors, error_entry(0, "file", code, params)]
    job.status, job.finished_at = ImportStatus.FAILED, timezone.now()
    job.save(update_fields=["processed", "created", "errors", "status", "finished_at"])


def _import_rows(job: ImportJob) -> None:
    from .services import create_vehicle

    with job.file.open("rb") as handle:
        rows = read_rows(job.file.name, handle.read())
    job.total = len(rows)
    job.save(update_fields=["total"])
    step = max(1, len(rows) // 50)
    errors: list[dict] = []
    for index, (row_number, row) in enumerate(rows):
        data = {k: v for k, v in row.items() if v != ""}
        try:
            _check_currency(data)
            with transaction.atomic():  # a row is imported whole or not at all
                create_vehicle(user=job.user, data=data)
            job.created += 1
        except AppError as exc:
            errors.extend(_row_errors(row_number, exc))
        job.processed = index + 1
        if job.processed % step == 0:
            job.errors = errors
            job.save(update_fields=["processed", "created", "errors"])
    job.errors = errors
    job.status, job.finished_at = ImportStatus.DONE, timezone.now()
    job.save(update_fields=["processed", "created", "errors", "status", "finished_at"])
