from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuotesConfig(AppConfig):
    name = "ex1000.quotes"
    label = "quotes"
    verbose_name = _("Quotations")

    def ready(self):
        from ex1000.privacy.retention import register_retention

        from . import landed
        from .services import purge_stale_inquiries

        landed.register()  # landed prices and the calculator on the catalogue's pages
        register_retention(purge_stale_inquiries)  # inquiries without an order, 2 years
