"""Run the deletions whose grace period is over (the daily schedule calls the same job)."""

from django.core.management.base import BaseCommand

from ex1000.privacy import hooks
from ex1000.privacy.tickets import process_due_deletions


class Command(BaseCommand):
    help = "Erase the accounts whose confirmed deletion is due."

    def handle(self, *args, **options):
        result = process_due_deletions()
        self.stdout.write(f"due: {result['due']}, erased: {result['erased']}")
        if result["due"] and not hooks.erase_user:
            self.stderr.write("No erasure is registered: the due deletions stay scheduled.")
