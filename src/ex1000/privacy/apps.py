from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "ex1000.privacy"
    label = "privacy"
    verbose_name = _("Privacy centre")

    def ready(self):
        from ex1000.core.schedules import register

        from .tickets import process_due_deletions

        register("process_privacy_requests", process_due_deletions)
