from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ex1000.core.fields import EncryptedTextField
from ex1000.core.personal_data import Category, Erasure, Personal, PersonalData
from ex1000.core.storage import private_storage


class Role(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    SUPPLIER = "supplier", _("Supplier")
    LOGISTICS = "logistics", _("Logistics partner")
    OPERATOR = "operator", _("Operator")


class Language(models.TextChoices):
    EN = "en", "English"
    ZH_HANS = "zh-hans", "简体中文"
    RU = "ru", "Русский"
    AR = "ar", "العربية"
    ES = "es", "Español"
    FR = "fr", "Français"


class VerificationStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Not submitted")
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Company(models.Model):
    """The business a user acts for; suppliers publish listings under it."""

    name = models.CharField(_("company name"), max_length=200)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    # Copied from the business licence's number: encrypted at rest like that number.
    credit_code = EncryptedTextField(_("unified social credit code"), blank=True)
    verification_status = models.CharField(
        _("verification status"),
        max_length=12,
        choices=VerificationStatus.choices,
        default=VerificationStatus.UNVERIFIED,
        db_index=True,
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    personal_data = PersonalData(
        fields={
            "name": Personal(Category.COMPANY, _("identify the business"), Erasure.ANONYMISE),
            "city": Personal(Category.COMPANY, _("locate the business"), Erasure.DELETE),
            "credit_code": Personal(Category.COMPANY, _("verify the business"), Erasure.DELETE),
        },
        not_personal=("id", "country", "verification_status", "verified_at", "created_at"),
        subject="members",
    )

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.APPROVED


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=Role.OPERATOR)
        extra.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, email: str):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email"), max_length=254, unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.BUYER)
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    country = CountryField(_("country"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text="E.164")
    whatsapp = models.CharField(_("WhatsApp"), max_length=20, blank=True, help_text="E.164")
    wechat = models.CharField(_("WeChat ID"), max_length=64, blank=True)
    telegram = models.CharField(_("Telegram"), max_length=64, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.EN
    )
    currency = models.CharField(_("preferred currency"), max_length=3, default="USD")
    # An IANA name (Asia/Almaty); blank: the country's main zone (accounts.selectors).
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, default="")
    email_verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True)
    # A new login address asked for and not yet confirmed from its own inbox.
    pending_email = models.EmailField(_("new email, to confirm"), blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    personal_data = PersonalData(
        fields={
            "email": Personal(Category.CONTACT, _("log in and receive notices"), Erasure.ANONYMISE),
            "name": Personal(Category.IDENTITY, _("address the user"), Erasure.ANONYMISE),
            "phone": Personal(Category.CONTACT, _("reach the user about trades")),
            "whatsapp": Personal(Category.CONTACT, _("reach the user about trades")),
            "wechat": Personal(Category.CONTACT, _("reach the user about trades")),
            "telegram": Personal(Category.CONTACT, _("reach the user about trades")),
            "country": Personal(Category.IDENTITY, _("eligibility and defaults")),
            "language": Personal(Category.IDENTITY, _("speak the user's language")),
            "currency": Personal(Category.IDENTITY, _("show prices in the user's currency")),
            "time_zone": Personal(Category.IDENTITY, _("show times in the user's time zone")),
            "password": Personal(Category.IDENTITY, _("authenticate"), exported=False),
            "last_login": Personal(Category.DEVICE_ACCESS, _("security")),
            "date_joined": Personal(Category.IDENTITY, _("account history")),
            "email_verified_at": Personal(Category.CONTACT, _("prove the address is the user's")),
            "pending_email": Personal(Category.CONTACT, _("confirm a new login address")),
        },
        not_personal=("id", "role", "company", "is_active", "is_staff", "is_superuser"),
        subject="self",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.email

    @property
    def is_operator(self) -> bool:
        return self.is_staff

    @property
    def is_supplier(self) -> bool:
        return self.role == Role.SUPPLIER

    @property
    def is_logistics(self) -> bool:
        return self.role == Role.LOGISTICS

    @property
    def is_buyer(self) -> bool:
        return self.role == Role.BUYER

    @property
    def can_publish(self) -> bool:
        return self.is_supplier and self.company is not None and self.company.is_verified


class VerificationRequest(models.Model):
    """A company's request to be verified, decided by an operator with a reason."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="verification_requests")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="verifications")
    status = models.CharField(
        max_length=12,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
        db_index=True,
    )
    reason = models.TextField(_("reason"), blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    personal_data = PersonalData(
        fields={"reason": Personal(Category.QUALIFICATION_DOCUMENT, _("explain the decision"))},
        not_personal=(
            "id",
            "user",
            "company",
            "status",
            "submitted_at",
            "decided_at",
            "decided_by",
        ),
    )

    class Meta:
        ordering = ["submitted_at"]
        verbose_name = _("verification request")
        verbose_name_plural = _("verification requests")

    def __str__(self) -> str:
        return f"{self.company} ({self.get_status_display()})"


class DocumentKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("Business licence")
    EXPORT_QUALIFICATION = "export_qualification", _("Export qualification")
    IMPORT_LICENCE = "import_licence", _("Import licence")
    OTHER = "other", _("Other document")


def document_path(instance: "QualificationDocument", filename: str) -> str:
    return f"documents/{instance.user_id}/{timezone.now():%Y%m}/{filename}"


class QualificationDocument(models.Model):
    """Licences and qualifications; kept in private storage, numbers encrypted at rest."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="documents")
    request = models.ForeignKey(
        VerificationRequest, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=DocumentKind.choices)
    number = EncryptedTextField(_("document number"), blank=True)
    file = models.FileField(_("file"), upload_to=document_path, storage=private_storage)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    personal_data = PersonalData(
        fields={
            "number": Personal(
                Category.QUALIFICATION_DOCUMENT,
                _("verify the business"),
                sensitive=True,
                retention=_("while the account is active + 1 year"),
            ),
            "file": Personal(
                Category.QUALIFICATION_DOCUMENT,
                _("verify the business"),
                sensitive=True,
                retention=_("while the account is active + 1 year"),
            ),
            "original_name": Personal(Category.QUALIFICATION_DOCUMENT, _("recognise the upload")),
        },
        not_personal=("id", "user", "request", "kind", "content_type", "size", "uploaded_at"),
        erase_rows=True,
    )

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("qualification document")
        verbose_name_plural = _("qualification documents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class ApiToken(models.Model):
    """Bearer tokens for integrators; only a SHA-256 hash is stored, revocable."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    personal_data = PersonalData(
        fields={"last_used_at": Personal(Category.DEVICE_ACCESS, _("security"))},
        not_personal=("id", "user", "key_hash", "created_at", "expires_at", "revoked_at"),
        erase_rows=True,
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"token {self.pk} of {self.user_id}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
