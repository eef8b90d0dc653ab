from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """`manage.py seed_demo`: the demo data of `make run`. Sits on top: it may import every
    app, and nothing imports it."""

    name = "ex1000.demo"
    label = "demo"
    verbose_name = _("Demo data")
