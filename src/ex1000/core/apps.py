from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ex1000.core"
    label = "core"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the personal-data check)
