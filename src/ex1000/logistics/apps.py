from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "ex1000.logistics"
    label = "logistics"
    verbose_name = _("Logistics")

    def ready(self) -> None:
        from ex1000.core import schedules

        from .services import retry_webhook_deliveries

        schedules.register("logistics.retry_webhook_deliveries", retry_webhook_deliveries)
