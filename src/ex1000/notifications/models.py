from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ex1000.core.personal_data import Category, Personal, PersonalData


class Notification(models.Model):
    """An in-app notice; the same event is also emailed in the user's language."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    personal_data = PersonalData(
        fields={
            "title": Personal(Category.MESSAGE, _("tell the user what happened")),
            "body": Personal(Category.MESSAGE, _("tell the user what happened")),
            "read_at": Personal(Category.DEVICE_ACCESS, _("show what is new")),
        },
        not_personal=("id", "user", "kind", "link", "created_at"),
        erase_rows=True,
        mentions=("title", "body"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title
