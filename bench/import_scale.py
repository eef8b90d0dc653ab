"""Bulk import at stock-list scale (issue 10): a 100,000-row CSV and XLSX, imported whole.

    .venv/bin/python bench/import_scale.py [--rows 100000] [--formats csv,xlsx]

Writes each file as a dealer fills the import template — its columns, every row a
different car made as the demo catalogue makes its listings (make, model, variant, its
fuel, body and dimensions, year, first registration, mileage by age, a price from the new
price, notes, a valid VIN of the maker's Chinese factory, a few drafts) — then
imports it as the worker does (`catalog.tasks.import_vehicles`, the task the upload
queues) into a fresh test database: SQLite by default, PostgreSQL when DATABASE_URL names
it. Records, per format, the file's size, the rows created, the seconds and rows per
second, and each batch's progress as the job reports it (processed, percent, seconds
since the start) into bench/results/import_scale.json, per database.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness

DUMMY_TASKS = "django_tasks.backends.dummy.DummyBackend"


def stock(rows: int) -> list[dict]:
    """``rows`` listings as the demo catalogue makes them (seed_demo.build_listings: cars
    sold new in China, their variants, years, mileages, prices, notes, a few drafts and
    withdrawn ones, each VIN valid and unique); cells as Excel keeps them."""
    from django.utils import timezone

    from ex1000.demo.management.commands.seed_demo import build_listings

    return build_listings(timezone.now(), count=rows)


def _cells(car: dict) -> list:
    """A row in the import template's columns (the page's template), blanks as None."""
    from ex1000.catalog.views import IMPORT_COLUMNS

    return [car.get(column) for column in IMPORT_COLUMNS]


def to_csv(rows: list[dict]) -> bytes:
    from ex1000.catalog.views import IMPORT_COLUMNS

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(IMPORT_COLUMNS)
    writer.writerows(["" if cell is None else cell for cell in _cells(car)] for car in rows)
    return buffer.getvalue().encode()


def to_xlsx(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    from ex1000.catalog.views import IMPORT_COLUMNS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(IMPORT_COLUMNS)
    for car in rows:
        sheet.append(_cells(car))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import(name: str, content: bytes, supplier) -> dict:
    """Queue the import as the upload does and run the job, sampling its progress."""
    import threading

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import override_settings

    from ex1000.catalog import services
    from ex1000.catalog.models import ImportJob
    from ex1000.catalog.tasks import import_vehicles

    # Queued as the upload queues it, on a backend that only records: run here, timed.
    with override_settings(TASKS={"default": {"BACKEND": DUMMY_TASKS}}):
        job = services.start_import(user=supplier, file=SimpleUploadedFile(name, content))
    progress: list[dict] = []
    done = threading.Event()
    started = time.monotonic()

    def watch():
        # Another connection reads the job as the progress page does, every 0.2 s.
        seen = -1
        while not done.wait(0.2):
            current = ImportJob.objects.get(pk=job.pk)
            if current.processed != seen:
                seen = current.processed
                progress.append(
                    {
                        "seconds": round(time.monotonic() - started, 2),
                        "processed": current.processed,
                        "progress": current.progress,
                    }
                )
        connection.close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        import_vehicles.call(job_id=job.pk)
    finally:
        done.set()
        watcher.join()
    seconds = time.monotonic() - started
    job.refresh_from_db()
    return {
        "format": name.rsplit(".", 1)[1],
        "bytes": len(content),
        "rows": job.total,
        "created": job.created,
        "errors": len(job.errors),
        "status": job.status,
        "seconds": round(seconds, 1),
        "rows_per_second": round(job.total / seconds),
        "progress_seen": progress,
    }


def run(rows: int, formats: list[str]) -> dict:
    from django.db import connection
    from tests.factories import SupplierFactory

    supplier = SupplierFactory()
    company = supplier.company
    made = time.monotonic()
    cars = stock(rows)
    files = {"csv": to_csv, "xlsx": to_xlsx}
    print(f"{rows:,} rows made in {time.monotonic() - made:.1f} s")
    results = []
    for fmt in formats:
        content = files[fmt](cars)
        print(f"{fmt}: {len(content) / 2**20:.1f} MB; importing…")
        result = _import(f"stock.{fmt}", content, supplier)
        print(
            f"  {result['created']:,} of {result['rows']:,} created in "
            f"{result['seconds']} s ({result['rows_per_second']:,} rows/s)"
        )
        results.append(result)
        # The next format imports the same cars: withdraw these so their VINs are free.
        from ex1000.catalog.models import Vehicle

        Vehicle.objects.filter(company=company).update(status="withdrawn")
    return {
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": (
            f"{platform.machine()}, {_harness.os.cpu_count()} cores, "
            f"Python {platform.python_version()}"
        ),
        "database": connection.vendor,
        "rows": rows,
        "results": results,
    }


def table(recorded: dict) -> str:
    """The README's table of bench/results/import_scale.json."""
    lines = [
        "| database | file | size | rows | created | seconds | rows/s | progress steps seen |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for database, run in recorded.items():
        for r in run["results"]:
            lines.append(
                f"| {database} | {r['format'].upper()} | {r['bytes'] / 2**20:.1f} MB "
                f"| {r['rows']:,} | {r['created']:,} | {r['seconds']} "
                f"| {r['rows_per_second']:,} | {len(r['progress_seen'])} |"
            )
    runs = "; ".join(
        f"{db} {run['recorded_at']} ({run['machine']})" for db, run in recorded.items()
    )
    note = (
        "Progress steps seen: the distinct values the job showed to a reader polling it every "
        "0.2 s, as the page does every second."
    )
    return "\n".join(lines) + f"\n\nMeasured {runs}. {note}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--table", action="store_true", help="print the README table only")
    args = parser.parse_args()
    if args.table:
        print(table(json.loads((_harness.ROOT / "bench/results/import_scale.json").read_text())))
        return
    _harness.run_recorded("import_scale", lambda: run(args.rows, args.formats.split(",")))


if __name__ == "__main__":
    main()
