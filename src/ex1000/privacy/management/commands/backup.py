"""manage.py backup DIR: a consistent snapshot of the database and both media roots, with a
signed manifest of checksums (privacy.backup)."""

from django.core.management.base import BaseCommand, CommandError

from ex1000.privacy.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a snapshot (database, public and private files, manifest) into DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a new or empty directory")

    def handle(self, *args, directory, **options):
        try:
            summary = backup(directory)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"snapshot of the {summary.engine} database and {summary.files - 1} files "
            f"({summary.bytes} bytes in all) written to {directory}"
        )
