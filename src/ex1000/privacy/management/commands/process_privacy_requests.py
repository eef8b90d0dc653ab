"""Run the deletions whose grace period is over (the daily schedule calls the same job)."""

from django.core.management.base import BaseCommand

from ex1000.privacy.tickets import process_due_deletions


class Command(BaseCommand):
    help = "Erase the accounts whose confirmed deletion is due (see docs/privacy.md)."

    def handle(self, *args, **options):
        result = process_due_deletions()
        self.stdout.write(
            "due: {due}, erased: {erased}, waiting for open orders: {waiting}, "
            "failed: {failed}".format(**result)
        )
