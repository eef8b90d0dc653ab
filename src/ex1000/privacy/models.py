import math

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ex1000.core.models import AppendOnly
from ex1000.core.personal_data import Category, Erasure, Personal, PersonalData
from ex1000.core.storage import private_storage

from .consents import Purpose


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
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_(
            'Translations of the text by language code, e.g. {"zh-hans": "…"}. The English '
            "text is binding; a translation is shown with a note saying so."
        ),
    )

    class Meta:
        ordering = ["-published_at"]
        get_latest_by = "published_at"
        verbose_name = _("privacy policy version")
        verbose_name_plural = _("privacy policy versions")

    def __str__(self) -> str:
        return self.version

    def clean(self):
        known = {code for code, _name in settings.LANGUAGES}
        translations = self.translations or {}
        if not isinstance(translations, dict) or any(
            code not in known or not isinstance(text, str) for code, text in translations.items()
        ):
            raise ValidationError(
                {
                    "translations": _("Give an object of language code to text; codes: %(codes)s.")
                    % {"codes": ", ".join(sorted(known))}
                }
            )


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
                _("prove consent"),
                Erasure.LEGAL_HOLD,
                hold_years=5,
                retention=_("life of the account + 5 years"),
            ),
            "ip": Personal(
                Category.CONSENT,
                _("prove consent"),
                Erasure.LEGAL_HOLD,
                hold_years=5,
                retention=_("life of the account + 5 years"),
            ),
            "user_agent": Personal(Category.CONSENT, _("prove consent"), Erasure.DELETE),
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


CONSENT_PROOF = Personal(
    Category.CONSENT,
    _("prove consent"),
    Erasure.LEGAL_HOLD,
    hold_years=5,
    retention=_("life of the account + 5 years"),
)


class Consent(AppendOnly, models.Model):
    """The consent ledger, append-only: one row per grant or withdrawal of a purpose.

    The current state of a purpose is its latest row (privacy.consents gives the default
    when there is none). Rows are never changed: a change of mind is a new row.
    """

    class Source(models.TextChoices):
        USER = "user", _("the user")
        POLICY = "policy", _("accepting the privacy policy")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(
        _("purpose"), max_length=30, choices=[(p.value, p.value) for p in Purpose]
    )
    granted = models.BooleanField(_("granted"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    policy = models.ForeignKey(
        PolicyVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        help_text=_("The policy version in force when the choice was made."),
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.USER)

    personal_data = PersonalData(
        fields={
            "purpose": CONSENT_PROOF,
            "granted": CONSENT_PROOF,
            "at": CONSENT_PROOF,
            "ip": CONSENT_PROOF,
            "user_agent": Personal(Category.CONSENT, _("prove consent"), Erasure.DELETE),
        },
        not_personal=("id", "user", "policy", "source"),
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "purpose", "-at", "-id"], name="consent_latest")]
        verbose_name = _("consent")
        verbose_name_plural = _("consent ledger")

    def __str__(self) -> str:
        return f"{self.user_id} {'granted' if self.granted else 'withdrew'} {self.purpose}"


class RequestType(models.TextChoices):
    ACCESS = "access", _("Access to my data")
    CORRECTION = "correction", _("Correction")
    DELETION = "deletion", _("Deletion of my account")
    COMPLAINT = "complaint", _("Complaint")
    FEEDBACK = "feedback", _("Feedback or question")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting your confirmation")
    SCHEDULED = "scheduled", _("Scheduled")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")
    # A deletion its owner called off by logging in again during the grace period.
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (RequestStatus.PENDING, RequestStatus.IN_PROGRESS)
CLOSED_STATUSES = (RequestStatus.COMPLETED, RequestStatus.REFUSED, RequestStatus.CANCELLED)


class PrivacyRequest(models.Model):
    """A ticket: a request about the user's data, a complaint or feedback.

    Answered within ``due_at`` (15 days, privacy.md); a refusal always gives its reason.
    Anonymous feedback has no user but a contact email. The user link survives erasure as
    NULL so that the record of how the request was handled stays.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="privacy_requests",
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    type = models.CharField(_("type"), max_length=12, choices=RequestType.choices, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        db_index=True,
    )
    text = models.TextField(_("text"), blank=True)
    field = models.CharField(_("field to correct"), max_length=64, blank=True)
    value = models.TextField(_("corrected value"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    due_at = models.DateTimeField(_("answer due"), db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason for refusal"), blank=True)
    reply = models.TextField(_("reply"), blank=True)
    # Deletion: the emailed one-time token is derived from this nonce (never stored itself).
    confirmation_nonce = models.CharField(max_length=32, blank=True)
    confirmation_expires_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    scheduled_for = models.DateTimeField(_("erasure scheduled for"), null=True, blank=True)

    personal_data = PersonalData(
        fields={
            "contact_email": Personal(Category.CONTACT, _("answer anonymous feedback")),
            "language": Personal(Category.IDENTITY, _("answer in the requester's language")),
            "text": Personal(Category.MESSAGE, _("answer the request")),
            "value": Personal(Category.MESSAGE, _("apply the requested correction")),
            "reason": Personal(Category.MESSAGE, _("explain a refusal")),
            "reply": Personal(Category.MESSAGE, _("answer the request")),
        },
        not_personal=(
            "id",
            "user",
            "type",
            "status",
            "field",
            "created_at",
            "due_at",
            "handled_by",
            "decided_at",
            "confirmation_nonce",
            "confirmation_expires_at",
            "confirmed_at",
            "scheduled_for",
        ),
    )

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["status", "due_at"], name="privacy_request_queue")]
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")

    def __str__(self) -> str:
        return f"{self.get_type_display()} #{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def days_left(self, now=None) -> int | None:
        """Whole days until the answer is due (rounded up; negative once overdue);
        ``None`` once the request is closed."""
        if self.is_closed:
            return None
        seconds = (self.due_at - (now or timezone.now())).total_seconds()
        return math.ceil(seconds / 86400) if seconds > 0 else math.floor(seconds / 86400)

    def days_overdue(self, now=None) -> int:
        left = self.days_left(now)
        return -left if left is not None and left < 0 else 0

    def is_overdue(self, now=None) -> bool:
        return not self.is_closed and (now or timezone.now()) > self.due_at


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being prepared")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


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
    file = models.FileField(upload_to=export_path, storage=private_storage, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    personal_data = PersonalData(
        fields={
            # A copy of the export itself: not exported again, deleted with the account.
            "file": Personal(
                Category.IDENTITY,
                _("deliver the user's export"),
                Erasure.DELETE,
                exported=False,
                retention=_("24 hours after it is ready"),
            ),
        },
        not_personal=("id", "user", "status", "created_at", "finished_at", "expires_at", "size"),
        erase_rows=True,
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


class DeviceType(models.TextChoices):
    DESKTOP = "desktop", _("desktop")
    MOBILE = "mobile", _("mobile")
    TABLET = "tablet", _("tablet")
    BOT = "bot", _("bot")
    OTHER = "other", _("other")


_ACCESS = {"retention": _("180 days; IP truncated to /24 or /48 after 30 days")}


class AccessRecord(models.Model):
    """One request: who, from where, with what, to which page (privacy.md, "automatically
    collected information"). Written in batches off the request path (privacy.access_log);
    the raw User-Agent is parsed then and not kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="access_records",
    )
    at = models.DateTimeField(_("time"), db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    browser = models.CharField(_("browser"), max_length=100, blank=True)
    os = models.CharField(_("operating system"), max_length=100, blank=True)
    device = models.CharField(_("device"), max_length=100, blank=True)
    device_type = models.CharField(
        _("device type"), max_length=10, choices=DeviceType.choices, default=DeviceType.OTHER
    )
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("page"), max_length=300)
    status = models.PositiveSmallIntegerField(_("status code"))
    referrer = models.CharField(_("referrer"), max_length=300, blank=True)

    personal_data = PersonalData(
        fields={
            name: Personal(Category.DEVICE_ACCESS, _("security and service statistics"), **_ACCESS)
            for name in (
                "at",
                "ip",
                "browser",
                "os",
                "device",
                "device_type",
                "method",
                "path",
                "status",
                "referrer",
            )
        },
        not_personal=("id", "user"),
        erase_rows=True,
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "at"], name="access_user_at")]
        verbose_name = _("access record")
        verbose_name_plural = _("access records")

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"


class BehaviourKind(models.TextChoices):
    SEARCH = "search", _("search")
    VIEW = "view", _("vehicle viewed")
    ESTIMATE = "estimate", _("price estimate")
    INQUIRY = "inquiry", _("inquiry sent")


class BehaviourEvent(models.Model):
    """Inquiry behaviour for analytics, kept only with the user's ``analytics`` consent
    (privacy.behaviour.record_behaviour)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="behaviour_events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=BehaviourKind.choices)
    data = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    personal_data = PersonalData(
        fields={
            name: Personal(Category.INQUIRY, _("analytics (with consent)"), retention=_("1 year"))
            for name in ("kind", "data", "at")
        },
        not_personal=("id", "user"),
        erase_rows=True,
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("inquiry behaviour event")
        verbose_name_plural = _("inquiry behaviour events")

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


class RecipientKind(models.TextChoices):
    LOGISTICS_PARTNER = "logistics_partner", _("Logistics partner")
    AUTHORITY = "authority", _("Authority (legal order)")


_DISCLOSURE = Personal(
    Category.CONSENT,
    _("account for every disclosure of the user's data"),
    Erasure.LEGAL_HOLD,
    hold_years=5,
    retention=_("life of the account + 5 years"),
)


class Disclosure(AppendOnly, models.Model):
    """The disclosure log (privacy.md: "sharing only necessary data with logistics
    partners", "disclosure under legal orders"): one row per hand-over of a user's data
    to a third party — what, to whom, why, when. Append-only.

    A logistics partner's hand-over is written by the system (``recorded_by`` empty); a
    legal disclosure by the operator who released the data. A legal order may forbid
    telling the user: ``withheld_from_user`` rows are never listed to the user nor put in
    their export (export.py honours ``export_exclude``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="disclosures"
    )
    recipient_kind = models.CharField(
        _("recipient type"), max_length=20, choices=RecipientKind.choices, db_index=True
    )
    recipient = models.CharField(
        _("recipient"), max_length=200, help_text=_("The company or the authority.")
    )
    reference = models.CharField(
        _("reference"),
        max_length=200,
        blank=True,
        help_text=_("A shipment number, the number of the legal order…"),
    )
    data = models.JSONField(
        _("data disclosed"), default=list, help_text=_("The fields or data released.")
    )
    purpose = models.CharField(_("purpose"), max_length=500)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The operator who recorded it; empty for the system's own hand-overs."),
    )
    withheld_from_user = models.BooleanField(
        _("withheld from the user"),
        default=False,
        help_text=_("The legal order forbids telling the user."),
    )

    personal_data = PersonalData(
        fields={
            "recipient_kind": _DISCLOSURE,
            "recipient": _DISCLOSURE,
            "reference": _DISCLOSURE,
            "data": _DISCLOSURE,
            "purpose": _DISCLOSURE,
            "at": _DISCLOSURE,
        },
        not_personal=("id", "user", "recorded_by", "withheld_from_user"),
    )
    # Rows the user's export leaves out (privacy.export): what a legal order withholds.
    export_exclude = models.Q(withheld_from_user=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"], name="disclosure_of_user")]
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosure log")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.recipient} ({self.get_recipient_kind_display()})"

    @property
    def data_labels(self) -> list[str]:
        """The data handed over, in the reader's language: "consignee.phone" is stored (a
        model and field), "Consignee: phone" is shown."""
        data = self.data
        items = [str(item) for item in data] if isinstance(data, list) else [str(data or "")]
        return [_field_label(item) for item in items if item]

    @property
    def purpose_label(self) -> str:
        """The purpose as stored (English, marked for translation where it is written),
        in the reader's language."""
        return gettext(self.purpose) if self.purpose else ""

    @property
    def data_text(self) -> str:
        return "; ".join(self.data_labels)


class ErasureRecord(models.Model):
    """One account's erasure and its report: what was deleted, cleared, anonymised, and
    what is kept under legal hold until when, and why (privacy.md, Deletion).

    Holds no personal data: the user is a number (the account row itself is anonymised),
    the report names models and fields, never values. The replayable copy of this log is
    the file at ``settings.PRIVACY_ERASURE_LOG`` (privacy.erasure)."""

    user_id = models.PositiveBigIntegerField(_("user"), db_index=True)
    request_id = models.PositiveBigIntegerField(_("request"), null=True, blank=True)
    at = models.DateTimeField(_("erased at"), default=timezone.now, db_index=True)
    registry_version = models.CharField(_("registry version"), max_length=32)
    replay = models.BooleanField(_("replayed after a restore"), default=False)
    report = models.JSONField(_("report"), default=dict)
    held_until = models.DateTimeField(_("legal hold until"), null=True, blank=True)
    purged_at = models.DateTimeField(_("purged at"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasure log")

    def __str__(self) -> str:
        return f"erasure of user {self.user_id} at {self.at:%Y-%m-%d %H:%M}"


def _field_label(item: str) -> str:
    """ "model.field" → "Verbose model name: verbose field name" for any installed model
    (privacy serves every app and imports none: the app registry names them)."""
    model_name, _dot, field = item.partition(".")
    if not field:
        return item
    for model in apps.get_models():
        if model._meta.model_name == model_name.lower():
            try:
                verbose = model._meta.get_field(field).verbose_name
            except FieldDoesNotExist:
                return item
            return f"{capfirst(model._meta.verbose_name)}: {verbose}"
    return item
