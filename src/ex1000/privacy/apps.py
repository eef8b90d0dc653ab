from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "ex1000.privacy"
    label = "privacy"
    verbose_name = _("Privacy centre")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from ex1000.core import schedules

        from . import services
        from .retention import run_scheduled
        from .tickets import process_due_deletions

        user_logged_in.connect(services.remember_login, dispatch_uid="privacy.remember_login")
        schedules.register("process_privacy_requests", process_due_deletions)
        schedules.register("privacy.expire_exports", services.expire_exports)
        schedules.register("enforce_retention", run_scheduled)
