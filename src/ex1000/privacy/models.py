from django.conf import settings
from django.db import models
from django.utils import timezone
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


class DeviceType(models.TextChoices):
    DESKTOP = "desktop", _("desktop")
    MOBILE = "mobile", _("mobile")
    TABLET = "tablet", _("tablet")
    BOT = "bot", _("bot")
    OTHER = "other", _("other")


_ACCESS = {"retention": "180 days; IP truncated to /24 or /48 after 30 days"}


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
            name: Personal(Category.DEVICE_ACCESS, "security and service statistics", **_ACCESS)
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
            name: Personal(Category.INQUIRY, "analytics (with consent)", retention="1 year")
            for name in ("kind", "data", "at")
        },
        not_personal=("id", "user"),
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("inquiry behaviour event")
        verbose_name_plural = _("inquiry behaviour events")

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"
