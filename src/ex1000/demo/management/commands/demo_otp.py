"""`manage.py demo_otp EMAIL`: the current two-factor code of a demo account — what its
authenticator app would show. Only for keys seed_demo set; a real account's key stays
unknown to this command."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from ex1000.demo.two_factor import current_code, demo_totp_key


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account (seed_demo's keys only)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        device = TOTPDevice.objects.filter(user__email__iexact=email, confirmed=True).first()
        if device is None or device.key != demo_totp_key(email):
            raise CommandError(f"{email} has no demo two-factor key (see seed_demo's logins).")
        self.stdout.write(current_code(device))
