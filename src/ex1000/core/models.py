from django.conf import settings
from django.db import models
from django.utils import timezone

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
                "answer a retried request with its first response",
                retention="1 day",
            ),
        },
        not_personal=("id", "user", "key", "endpoint", "request_hash", "status", "created_at"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "endpoint", "key"], name="idempotency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.key}"
