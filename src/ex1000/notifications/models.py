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


class NotificationPreference(models.Model):
    """Whether the user wants one event type in the app and by email; no row: both on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    event = models.CharField(_("event"), max_length=40)
    in_app = models.BooleanField(_("in the app"), default=True)
    email = models.BooleanField(_("by email"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    personal_data = PersonalData(
        fields={
            "in_app": Personal(Category.CONTACT, _("send only the notices the user wants")),
            "email": Personal(Category.CONTACT, _("send only the notices the user wants")),
        },
        not_personal=("id", "user", "event", "updated_at"),
        erase_rows=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="one_preference_per_event")
        ]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.event}: in_app={self.in_app} email={self.email}"
