from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "ex1000.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from ex1000.core.schedules import register

        from .services import complete_overdue_orders

        register("complete_overdue_orders", complete_overdue_orders)
