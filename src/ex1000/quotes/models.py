"""Rate books (versioned, immutable once imported), inquiries and their quote versions."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ex1000.accounts.models import Company
from ex1000.catalog.models import Vehicle
from ex1000.core.personal_data import Category, Personal, PersonalData


class RateBook(models.Model):
    """One imported version of the operator's rate tables.

    The validated document (quoting.md format) is stored whole and never edited: a new
    import is a new version, so every issued quote can be reproduced from its book.
    """

    version = models.CharField(_("version"), max_length=40, unique=True)
    currency = models.CharField(_("currency"), max_length=3)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    validity_days = models.PositiveSmallIntegerField(_("quote validity (days)"))
    document = models.JSONField(_("tables"))
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    personal_data = PersonalData(
        not_personal=(
            "id",
            "version",
            "currency",
            "valid_from",
            "valid_to",
            "validity_days",
            "document",
            "imported_at",
            "imported_by",
        ),
        subject="imported_by",
    )

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("rate book")
        verbose_name_plural = _("rate books")

    def __str__(self) -> str:
        return self.version


class PlaceKind(models.TextChoices):
    SEAPORT = "seaport", _("Seaport")
    DRY_PORT = "dry_port", _("Dry port / rail terminal")
    BORDER = "border", _("Land border crossing")
    INLAND_CITY = "inland_city", _("Inland city")


class Place(models.Model):
    """A place of a rate book (UN/LOCODE-style code), kept as rows for lookups and pickers."""

    book = models.ForeignKey(RateBook, on_delete=models.CASCADE, related_name="places")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)
    country = models.CharField(_("country"), max_length=2)
    kind = models.CharField(_("kind"), max_length=20)
    is_origin = models.BooleanField(_("origin"), default=False)
    is_destination = models.BooleanField(_("destination"), default=False)

    personal_data = PersonalData(
        not_personal=(
            "id",
            "book",
            "code",
            "name",
            "country",
            "kind",
            "is_origin",
            "is_destination",
        ),
        subject="book__imported_by",
    )

    class Meta:
        ordering = ["country", "name"]
        constraints = [
            models.UniqueConstraint(fields=["book", "code"], name="place_code_unique_per_book")
        ]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class InquiryStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("inquiry status", "Open")
    ACCEPTED = "accepted", _("Accepted")
    CLOSED = "closed", _("Closed")


class Inquiry(models.Model):
    """A buyer's request for a price, addressed to the supplier of its listings."""

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inquiries"
    )
    supplier = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="inquiries")
    incoterm = models.CharField(_("trade term"), max_length=3)
    mode = models.CharField(_("transport mode"), max_length=10)
    origin = models.CharField(_("origin"), max_length=10, blank=True)
    destination = models.CharField(_("destination"), max_length=10)
    named_place = models.CharField(_("named place"), max_length=100, blank=True)
    insurance = models.CharField(
        _("insurance"),
        max_length=10,
        blank=True,
        help_text=_("Empty: none; 'default': the term's cover; or a cover such as ICC-A."),
    )
    inspection = models.BooleanField(_("inspection"), default=False)
    currency = models.CharField(_("currency"), max_length=3)
    payment_terms = models.CharField(_("payment terms"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=InquiryStatus.choices, default=InquiryStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    personal_data = PersonalData(
        fields={
            "message": Personal(
                Category.INQUIRY,
                _("tell the supplier what the buyer wants"),
                retention=_("2 years after last activity without an order"),
            ),
            "payment_terms": Personal(Category.INQUIRY, _("agree how to pay")),
            "named_place": Personal(Category.INQUIRY, _("price delivery to the buyer's place")),
            "created_at": Personal(Category.INQUIRY, _("inquiry history")),
        },
        not_personal=(
            "id",
            "buyer",
            "supplier",
            "incoterm",
            "mode",
            "origin",
            "destination",
            "insurance",
            "inspection",
            "currency",
            "status",
            "updated_at",
        ),
        subject="buyer",
        # An inquiry that led to an order is kept with it (its fields cleared).
        erase_rows=True,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")

    def __str__(self) -> str:
        return f"inquiry {self.pk}"


class InquiryItem(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="items")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="inquiry_items")
    quantity = models.PositiveIntegerField(default=1)
    # The listing as the buyer saw it (title, VIN, price, dimensions…), for the record.
    snapshot = models.JSONField(default=dict)

    personal_data = PersonalData(
        not_personal=("id", "inquiry", "vehicle", "quantity", "snapshot"),
        subject="inquiry__buyer",
    )

    class Meta:
        verbose_name = _("inquiry item")
        verbose_name_plural = _("inquiry items")

    def __str__(self) -> str:
        return f"{self.quantity} × {self.vehicle_id}"


class QuoteVersion(models.Model):
    """A frozen quotation: lines, total, rate book and fx as issued. Never edited."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="quotes")
    version = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the automatic first version."),
    )
    rate_book = models.ForeignKey(RateBook, on_delete=models.PROTECT, related_name="quotes")
    incoterm = models.CharField(max_length=3)
    mode = models.CharField(max_length=10)
    origin = models.CharField(max_length=10, blank=True)
    destination = models.CharField(max_length=10)
    named_place = models.CharField(max_length=100, blank=True)
    insurance = models.CharField(max_length=10, blank=True)
    inspection = models.BooleanField(default=False)
    currency = models.CharField(max_length=3)
    # [{code, label, item, quantity, unit_amount, amount, currency, source{…}}], amounts as strings
    lines = models.JSONField()
    total = models.DecimalField(max_digits=16, decimal_places=3)
    valid_until = models.DateField()
    eligible = models.BooleanField()
    reasons = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    adjustments = models.JSONField(default=list)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    personal_data = PersonalData(
        fields={"note": Personal(Category.INQUIRY, _("explain a revision to the buyer"))},
        not_personal=(
            "id",
            "inquiry",
            "version",
            "created_by",
            "rate_book",
            "incoterm",
            "mode",
            "origin",
            "destination",
            "named_place",
            "insurance",
            "inspection",
            "currency",
            "lines",
            "total",
            "valid_until",
            "eligible",
            "reasons",
            "warnings",
            "adjustments",
            "created_at",
        ),
        subject="inquiry__buyer",
    )

    class Meta:
        ordering = ["inquiry", "version"]
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "version"], name="one_quote_per_version")
        ]
        verbose_name = _("quote version")
        verbose_name_plural = _("quote versions")

    def __str__(self) -> str:
        return f"quote {self.inquiry_id} v{self.version}"
