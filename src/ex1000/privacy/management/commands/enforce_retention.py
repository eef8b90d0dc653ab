"""Apply every retention period (privacy.md) and print what was removed or truncated."""

from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError

from ex1000.privacy.retention import enforce_retention, retention_days


class Command(BaseCommand):
    help = (
        "Purge access records and behaviour events past their period, truncate IP addresses "
        "older than the IP period, and run the apps' retention hooks."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="apply the periods as of that day (00:00 UTC) instead of now",
        )
        parser.add_argument("--dry-run", action="store_true", help="count only, change nothing")

    def handle(self, *args, as_of=None, dry_run=False, **options):
        when = None
        if as_of:
            try:
                when = datetime.strptime(as_of, "%Y-%m-%d").replace(tzinfo=UTC)
            except ValueError as exc:
                raise CommandError(f"--as-of must be YYYY-MM-DD, not {as_of!r}") from exc
        days = ", ".join(f"{k} {v} d" for k, v in retention_days().items())
        mode = "dry run, nothing changed" if dry_run else "applied"
        self.stdout.write(f"retention as of {(when.date() if when else 'now')} ({mode}; {days})")
        for outcome in enforce_retention(as_of=when, dry_run=dry_run):
            verb = f"would be {outcome.action}" if dry_run else outcome.action
            where = f" in {outcome.model}" if outcome.model else ""
            extra = f" ({outcome.detail})" if outcome.detail else ""
            self.stdout.write(f"{outcome.category}: {outcome.count} {verb}{where}{extra}")
