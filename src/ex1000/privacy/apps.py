from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "ex1000.privacy"
    label = "privacy"
    verbose_name = _("Privacy centre")

    def ready(self):
        from ex1000.core import schedules

        from .retention import run_scheduled

        schedules.register("enforce_retention", run_scheduled)
