"""manage.py restore [--verify] DIR: check a snapshot against its manifest; without
--verify, restore it and replay the erasure log (privacy.backup)."""

from django.core.management.base import BaseCommand, CommandError

from ex1000.privacy import backup as snapshots


class Command(BaseCommand):
    help = (
        "Restore the snapshot in DIR (refused when any checksum or the manifest's signature "
        "does not match), then erase again every account in the erasure log."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument(
            "--verify", action="store_true", help="only check the snapshot; change nothing"
        )

    def handle(self, *args, directory, verify: bool = False, **options):
        if verify:
            problems = snapshots.verify(directory)
            if problems:
                raise CommandError("the snapshot is refused:\n  " + "\n  ".join(problems))
            self.stdout.write(f"{directory}: every checksum matches; the manifest is signed")
            return
        try:
            result = snapshots.restore(directory)
        except (snapshots.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        replay = result["replay"]
        self.stdout.write(
            f"restored the snapshot of {result['created_at']} ({result['files']} files); "
            f"erasure log: {replay['entries']} entries, {replay['replayed']} erased again, "
            f"{replay['already_erased']} already erased, {replay['missing']} not in it"
        )
