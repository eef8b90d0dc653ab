from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _open_thread(sender, instance, created, raw=False, **kwargs):
    """Every inquiry has its thread from the start (its JSON names it), seeded with the
    inquiry's message. The quotes app, a lower layer, knows nothing of this."""
    if created and not raw:
        from .services import thread_for_inquiry

        thread_for_inquiry(instance)


class MessagingConfig(AppConfig):
    name = "ex1000.messaging"
    label = "messaging"
    verbose_name = _("Messaging")

    def ready(self) -> None:
        from ex1000.quotes.models import Inquiry

        post_save.connect(_open_thread, sender=Inquiry, dispatch_uid="messaging.open_thread")
