from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "ex1000.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from ex1000.core.schedules import register
        from ex1000.privacy import hooks

        from .selectors import open_order_numbers
        from .services import complete_overdue_orders

        register("complete_overdue_orders", complete_overdue_orders)
        hooks.register(hooks.erasure_blockers, open_order_numbers)  # erasure waits for them
