"""`manage.py import_rates FILE`: import a rate book (quoting.md format) as a new version."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ex1000.core.errors import AppError
from ex1000.quotes.rate_books import import_rate_book, parse_document, rate_book_summary


class Command(BaseCommand):
    help = (
        "Import a rate book JSON file (docs: quoting.md, 'Rate book file') as a new version. "
        "All-or-nothing: a file with an error changes nothing and every error is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the rate book JSON document")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc
        try:
            book = import_rate_book(document=parse_document(data))
        except AppError as exc:
            messages = [m for ms in exc.rendered_errors().values() for m in ms] or [exc.detail]
            lines = [f"{path}: not imported ({len(messages)} error(s)):"]
            lines += [f"  {m}" for m in messages]
            raise CommandError("\n".join(lines)) from exc
        summary = rate_book_summary(book)
        self.stdout.write(self.style.SUCCESS(f"Imported {summary.describe()}"))
