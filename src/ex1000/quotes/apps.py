from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuotesConfig(AppConfig):
    name = "ex1000.quotes"
    label = "quotes"
    verbose_name = _("Quotations")

    def ready(self):
        from . import landed

        landed.register()  # landed prices and the calculator on the catalogue's pages
