"""Background work of the catalogue: the bulk import of a supplier's stock."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from ex1000.core.errors import ValidationFailed

from .models import ImportJob, ImportStatus

MAX_ROWS = 5000


class UnreadableFile(Exception):
    pass


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GB18030
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile("The CSV is not UTF-8 or GB18030 text.")
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else csv.excel
    except csv.Error:
        dialect = csv.excel
    return list(csv.DictReader(io.StringIO(text), dialect=dialect))


def _xlsx_rows(data: bytes) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise UnreadableFile("The file is not a readable XLSX workbook.") from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    result = []
    for values in rows:
        if values is None or all(v in (None, "") for v in values):
            continue
        result.append(
            {
                header[i]: ("" if v is None else str(v))
                for i, v in enumerate(values)
                if i < len(header) and header[i]
            }
        )
    workbook.close()
    return result


def read_rows(name: str, data: bytes) -> list[dict[str, str]]:
    rows = _xlsx_rows(data) if name.endswith(".xlsx") else _csv_rows(data)
    if len(rows) > MAX_ROWS:
        raise UnreadableFile(f"At most {MAX_ROWS} rows per file.")
    return [{(k or "").strip().lower(): (v or "").strip() for k, v in row.items()} for row in rows]


def _row_errors(row_number: int, exc: ValidationFailed) -> Iterator[dict]:
    for field, messages in (exc.errors or {"detail": [exc.detail]}).items():
        for message in messages:
            yield {"row": row_number, "field": field, "message": message}


@task()
def import_vehicles(job_id: int) -> None:
    from .services import create_vehicle

    job = ImportJob.objects.select_related("user", "user__company").get(pk=job_id)
    job.status, job.started_at = ImportStatus.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        with job.file.open("rb") as handle:
            rows = read_rows(job.file.name, handle.read())
    except UnreadableFile as exc:
        job.status, job.finished_at = ImportStatus.FAILED, timezone.now()
        job.errors = [{"row": 0, "field": "file", "message": str(exc)}]
        job.save(update_fields=["status", "finished_at", "errors"])
        return
    job.total = len(rows)
    job.save(update_fields=["total"])
    step = max(1, len(rows) // 50)
    errors: list[dict] = []
    for index, row in enumerate(rows):
        row_number = index + 2  # the header is row 1, as in the spreadsheet
        data = {k: v for k, v in row.items() if v != ""}
        try:
            with transaction.atomic():  # a row is imported whole or not at all
                create_vehicle(user=job.user, data=data)
            job.created += 1
        except ValidationFailed as exc:
            errors.extend(_row_errors(row_number, exc))
        job.processed = index + 1
        if job.processed % step == 0:
            job.errors = errors
            job.save(update_fields=["processed", "created", "errors"])
    job.errors = errors
    job.status, job.finished_at = ImportStatus.DONE, timezone.now()
    job.save(update_fields=["processed", "created", "errors", "status", "finished_at"])
