"""Message threads (orders.md, "Messages"): one per inquiry, continued by its order."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ex1000.core.personal_data import Category, Personal, PersonalData
from ex1000.core.storage import private_storage
from ex1000.quotes.models import Inquiry

from . import fraud

StrOrPromise = str | Promise
TEXT_MAX = 5000
ATTACHMENTS_MAX = 5  # per message


class MessageWarning(models.TextChoices):
    """What a warning code of the fraud detector (``Message.warnings``) says to a person:
    the one place its label lives, for the operators' queue and the thread pages."""

    OFF_PLATFORM_PAYMENT = (
        fraud.OFF_PLATFORM_PAYMENT,
        _("Asks for payment outside escrow / changed bank details"),
    )

    @classmethod
    def label_of(cls, code: str) -> StrOrPromise:
        """The label of a code, translated when it is shown (a notice renders it in its
        recipient's language); an unknown (newer) code shows as itself."""
        try:
            return cls(code).label
        except ValueError:
            return code


class Thread(models.Model):
    """The conversation of an inquiry's buyer, the supplier's users and operators. The order
    accepted from the inquiry continues the same thread (its ``thread`` is this id)."""

    inquiry = models.OneToOneField(Inquiry, on_delete=models.CASCADE, related_name="thread")
    created_at = models.DateTimeField(default=timezone.now)

    personal_data = PersonalData(
        not_personal=("id", "inquiry", "created_at"),
        subject="inquiry__buyer",
    )

    class Meta:
        verbose_name = _("message thread")
        verbose_name_plural = _("message threads")

    def __str__(self) -> str:
        return f"thread {self.pk}"


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    text = models.TextField(_("text"), max_length=TEXT_MAX)
    # Codes of the fraud detector (fraud.warnings_for), e.g. ["off_platform_payment"].
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    personal_data = PersonalData(
        fields={
            "text": Personal(
                Category.MESSAGE,
                _("communicate with the other party about an inquiry or order"),
                retention=_("as long as the inquiry or order it belongs to"),
            ),
            "created_at": Personal(Category.MESSAGE, _("message history")),
        },
        not_personal=("id", "thread", "author", "warnings"),
        subject="author",
        # The other party's record of the conversation too: erasure clears the text only.
        erase_rows=False,
        mentions=("text",),
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"message {self.pk}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"messages/{instance.message.thread_id}/{filename}"


class Attachment(models.Model):
    """A PDF, JPEG or PNG sent with a message, checked by content (core.uploads) and kept
    in private storage; served to the thread's parties only, never by email."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=private_storage)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    personal_data = PersonalData(
        fields={
            "file": Personal(
                Category.MESSAGE,
                _("documents sent with a message"),
                retention=_("as long as the inquiry or order it belongs to"),
            ),
        },
        not_personal=("id", "message", "content_type", "size", "created_at"),
        subject="message__author",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return f"attachment {self.pk}"


class ThreadRead(models.Model):
    """How far a party has read a thread: what is newer, and not their own, is unread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_reads"
    )
    last_read_id = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    personal_data = PersonalData(
        fields={
            "read_at": Personal(
                Category.MESSAGE,
                _("show which messages are new to you"),
                retention=_("as long as the inquiry or order it belongs to"),
            ),
        },
        not_personal=("id", "thread", "user", "last_read_id"),
        subject="user",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="thread_read_unique")
        ]
        verbose_name = _("thread read mark")
        verbose_name_plural = _("thread read marks")

    def __str__(self) -> str:
        return f"{self.user_id} read thread {self.thread_id} to {self.last_read_id}"
