from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .personal_data import Category, Personal, PersonalData


class IdempotencyRecord(models.Model):
    """The first response to a POST with an Idempotency-Key; a retry gets it again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    endpoint = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    personal_data = PersonalData(
        fields={
            # The stored response repeats what was created (an inquiry's message, say).
            "body": Personal(
                Category.INQUIRY,
                _("answer a retried request with its first response"),
                retention=_("1 day"),
            ),
        },
        not_personal=("id", "user", "key", "endpoint", "request_hash", "status", "created_at"),
        erase_rows=True,
        mentions=("body",),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "endpoint", "key"], name="idempotency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.key}"


class AppendOnly:
    """A ledger's rows are written once: saving a stored row again is refused."""

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError(f"{self._meta.verbose_name_plural} are append-only")
        super().save(*args, **kwargs)


class Event(AppendOnly, models.Model):
    """One typed record in the event log: what happened to which object, done by whom,
    from where. Append-only; written through ``core.events.record_event`` in the same
    transaction as the change it records (an order's operation records, payment
    decisions, staff access to personal data, consent changes)."""

    subject_type = models.CharField(max_length=50)  # "order", "payment", "user"…
    subject_id = models.CharField(max_length=40)
    type = models.CharField(max_length=50)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # How the actor appears in the record: role and company, or "system"; never contacts.
    actor_role = models.CharField(max_length=20)
    actor_label = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)
    parameters = models.JSONField(default=dict, blank=True)

    personal_data = PersonalData(
        fields={
            "ip": Personal(
                Category.DEVICE_ACCESS,
                _("evidence of who did what in a trade"),
                retention=_("with the record it belongs to"),
            ),
            "user_agent": Personal(
                Category.DEVICE_ACCESS,
                _("evidence of who did what in a trade"),
                retention=_("with the record it belongs to"),
            ),
            "note": Personal(
                Category.ORDER,
                _("why an action was taken (reason of a cancellation or dispute)"),
                retention=_("with the record it belongs to"),
            ),
        },
        not_personal=(
            "id",
            "subject_type",
            "subject_id",
            "type",
            "from_state",
            "to_state",
            "actor",
            "actor_role",
            "actor_label",
            "at",
            "parameters",
        ),
        subject="actor",
        mentions=("parameters", "note", "actor_label"),
    )

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "at"], name="event_subject")]
        verbose_name = _("event")
        verbose_name_plural = _("event log")

    def __str__(self) -> str:
        return f"{self.subject_type} {self.subject_id}: {self.type}"

    def delete(self, *args, **kwargs):
        raise ValueError("events are append-only")
