"""Orders: created by accepting a quote. The full lifecycle comes with the orders issue."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ex1000.accounts.models import Company
from ex1000.core.personal_data import Category, Erasure, Personal, PersonalData
from ex1000.quotes.models import QuoteVersion


class OrderStatus(models.TextChoices):
    PENDING_CONTRACT = "pending_contract", _("Pending contract")


class Order(models.Model):
    number = models.CharField(_("order number"), max_length=20, unique=True)
    quote = models.OneToOneField(QuoteVersion, on_delete=models.PROTECT, related_name="order")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    supplier = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.PENDING_CONTRACT,
    )
    # The listings as they were when the quote was accepted.
    items = models.JSONField(default=list)
    currency = models.CharField(max_length=3)
    total = models.DecimalField(max_digits=16, decimal_places=3)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Who accepted the quote from where: the order's first operation record.
    accepted_ip = models.GenericIPAddressField(_("accepted from IP"), null=True, blank=True)
    accepted_user_agent = models.CharField(_("accepted with browser"), max_length=300, blank=True)

    personal_data = PersonalData(
        fields={
            "created_at": Personal(
                Category.ORDER,
                "trade record",
                Erasure.LEGAL_HOLD,
                hold_years=5,
                retention="5 years after completion",
            ),
            "accepted_ip": Personal(
                Category.DEVICE_ACCESS,
                "evidence of who accepted the quotation",
                Erasure.LEGAL_HOLD,
                hold_years=5,
                retention="5 years after completion",
            ),
            "accepted_user_agent": Personal(
                Category.DEVICE_ACCESS,
                "evidence of who accepted the quotation",
                Erasure.LEGAL_HOLD,
                hold_years=5,
                retention="5 years after completion",
            ),
        },
        not_personal=(
            "id",
            "number",
            "quote",
            "buyer",
            "supplier",
            "status",
            "items",
            "currency",
            "total",
        ),
        subject="buyer",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self) -> str:
        return self.number
