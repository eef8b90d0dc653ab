"""Background work of the catalogue: the bulk import of a supplier's stock."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, time
from itertools import islice

from django.utils import timezone, translation
from django_tasks import task

from ex1000.core.errors import AppError, ErrorCode, FieldError, render_message

from .error_codes import CatalogError
from .models import ImportJob, ImportStatus

# A large exporter's whole stock list in one file; rows are checked and inserted a batch
# at a time, and the job's progress moves with each batch.
MAX_ROWS = 100_000
BATCH_ROWS = 1000
ERRORS_EVERY = 10  # batches
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


def _blank(values: Sequence) -> bool:
    return not any(_cell(v).strip() for v in values)


def _count(records: Iterable[Sequence]) -> int:
    """The data rows of a file, its header checked first: a file of another layout or
    with too many rows is refused before any row is imported."""
    filled = (values for values in records if not _blank(values))
    header = next(filled, None)
    if header is None:
        return 0
    _check_header([_cell(v).strip().lower() for v in header])
    count = sum(1 for _ in islice(filled, MAX_ROWS + 1))
    if count > MAX_ROWS:
        raise UnreadableFile(CatalogError.IMPORT_TOO_MANY_ROWS, count=MAX_ROWS)
    return count


def _records(records: Iterable[Sequence]) -> Iterator[Row]:
    """Pair the header with each later record; blank records keep their row number."""
    header: list[str] | None = None
    for number, values in enumerate(records, start=1):
        cells = [_cell(v).strip() for v in values]
        if not any(cells):
            continue
        if header is None:
            header = [c.lower() for c in cells]
            continue
        yield number, {name: cell for name, cell in zip(header, cells, strict=False) if name}


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
    header = next((line for line in text[:65536].splitlines() if line.strip()), "")
    return max(",;\t", key=header.count) if header else ","


def _csv_records(data: bytes) -> Callable[[], Iterator[Sequence]]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GB18030
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile(CatalogError.IMPORT_BAD_ENCODING)
    delimiter = _delimiter(text)

    def records() -> Iterator[Sequence]:
        try:
            yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        except csv.Error as exc:
            raise UnreadableFile(CatalogError.IMPORT_UNREADABLE_CSV, reason=str(exc)) from exc

    return records


def _xlsx_records(data: bytes) -> Callable[[], Iterator[Sequence]]:
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except Exception as exc:  # a damaged or foreign file fails in many ways
        raise UnreadableFile(CatalogError.IMPORT_UNREADABLE_XLSX) from exc
    return sheet.iter_rows  # from row 1 even when the first rows are blank


class StockList:
    """An uploaded stock list's rows. Read twice: once to count them, so the job shows
    its total and progress from the first batch on, then batch by batch to import them;
    the file is never held as 100,000 dictionaries at once (an XLSX sheet stays in
    calamine's memory, its rows made one at a time)."""

    def __init__(self, name: str, data: bytes):
        xlsx = name.lower().endswith(".xlsx")
        self._records = _xlsx_records(data) if xlsx else _csv_records(data)
        self.total = _count(self._records())

    def batches(self) -> Iterator[list[Row]]:
        rows = _records(self._records())
        while batch := list(islice(rows, BATCH_ROWS)):
            yield batch


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
    except BaseException:  # the worker stopped mid-import (a forced exit): say so, go on
        _fail(job, CatalogError.IMPORT_FAILED)
        raise


def _fail(job: ImportJob, code: ErrorCode, params: dict | None = None) -> None:
    """The file's reason first, before the rows' problems found until then."""
    job.errors = [error_entry(0, "file", code, params), *job.errors]
    job.status, job.finished_at = ImportStatus.FAILED, timezone.now()
    job.save(update_fields=["processed", "created", "errors", "status", "finished_at"])


def _import_rows(job: ImportJob) -> None:
    from .forms import ListingRows
    from .services import create_vehicles

    with job.file.open("rb") as handle:
        stock = StockList(job.file.name, handle.read())
    job.total = stock.total
    job.save(update_fields=["total"])
    checker, live_vins, errors = ListingRows(), {}, []
    errors_saved_at, unsaved = -ERRORS_EVERY, False
    for batch_number, batch in enumerate(stock.batches()):
        rows, found = [], []
        for number, row in batch:
            data = {k: v for k, v in row.items() if v != ""}
            try:
                _check_currency(data)
                rows.append((number, data))
            except AppError as exc:
                found.extend(_row_errors(number, exc))
        created, refused = create_vehicles(
            user=job.user, rows=rows, checker=checker, live_vins=live_vins
        )
        for number, exc in refused:
            found.extend(_row_errors(number, exc))
        errors.extend(sorted(found, key=lambda entry: entry["row"]))
        job.created += created
        job.processed += len(batch)
        job.errors = errors
        # The counts after every batch; the growing list of problems when it has new ones,
        # at most every tenth batch (rewriting it each time would cost a file of bad rows
        # O(n²) in writes) and at the end.
        unsaved = unsaved or bool(found)
        fields = ["processed", "created"]
        if unsaved and batch_number - errors_saved_at >= ERRORS_EVERY:
            fields.append("errors")
            unsaved, errors_saved_at = False, batch_number
        job.save(update_fields=fields)
    job.errors = errors
    job.status, job.finished_at = ImportStatus.DONE, timezone.now()
    job.save(update_fields=["processed", "created", "errors", "status", "finished_at"])
