from django.conf import settings
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _

from ex1000.core.personal_data import Category, Erasure, Personal, PersonalData


class PolicyVersion(models.Model):
    """A published privacy policy; texts are never edited after publication."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now, db_index=True)
    material = models.BooleanField(
        _("material change"),
        default=False,
        help_text=_("Users must accept a material version again before they go on."),
    )
    summary = models.CharField(_("summary of changes"), max_length=500, blank=True)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["-published_at"]
        get_latest_by = "published_at"
        verbose_name = _("privacy policy version")
        verbose_name_plural = _("privacy policy versions")

    def __str__(self) -> str:
        return self.version


class PolicyAcceptance(models.Model):
    """The acceptance ledger: who accepted which version, when, from where."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_acceptances"
    )
    policy = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="acceptances")
    accepted_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    personal_data = PersonalData(
        fields={
            "accepted_at": Personal(
                Category.CONSENT,
                "prove consent",
                Erasure.LEGAL_HOLD,
                hold_years=5,
                retention="life of the account + 5 years",
            ),
            "ip": Personal(
                Category.CONSENT,
                "prove consent",
                Erasure.LEGAL_HOLD,
                hold_years=5,
                retention="life of the account + 5 years",
            ),
            "user_agent": Personal(Category.CONSENT, "prove consent", Erasure.DELETE),
        },
        not_personal=("id", "user", "policy"),
    )

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "policy"], name="one_acceptance_per_version")
        ]
        verbose_name = _("policy acceptance")
        verbose_name_plural = _("policy acceptances")

    def __str__(self) -> str:
        return f"{self.user_id} accepted {self.policy_id}"


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being prepared")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class _PrivateStorage(LazyObject):
    """settings.STORAGES["private"], looked up on use (as accounts' documents do)."""

    def _setup(self):
        from django.core.files.storage import storages

        self._wrapped = storages["private"]


_private = _PrivateStorage()


@receiver(setting_changed)
def _forget_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _private._wrapped = empty


def _private_storage():
    return _private


def export_path(instance: "ExportJob", filename: str) -> str:
    return f"exports/{instance.user_id}/{filename}"


class ExportJob(models.Model):
    """A ZIP of everything held about a user, prepared in the background after the user
    entered their password; downloadable through a signed link until ``expires_at``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=export_path, storage=_private_storage, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    personal_data = PersonalData(
        fields={
            # A copy of the export itself: not exported again, deleted with the account.
            "file": Personal(
                Category.IDENTITY,
                "deliver the user's export",
                Erasure.DELETE,
                exported=False,
                retention="24 hours after it is ready",
            ),
        },
        not_personal=("id", "user", "status", "created_at", "finished_at", "expires_at", "size"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")

    def __str__(self) -> str:
        return f"export {self.pk} of {self.user_id}"

    @property
    def finished(self) -> bool:
        return self.status not in (ExportStatus.PENDING, ExportStatus.RUNNING)

    @property
    def downloadable(self) -> bool:
        return (
            self.status == ExportStatus.READY
            and bool(self.file)
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )
