"""Orders (orders.md): created by accepting a quote, carried by the state machine in
``state_machine.py`` from contract to payout; payments into escrow, documents, consignee."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ex1000.accounts.models import Company
from ex1000.core.personal_data import Category, Erasure, Personal, PersonalData
from ex1000.core.storage import private_storage
from ex1000.quotes.models import QuoteVersion

TRADE_HOLD = {"hold_years": 5, "retention": _("5 years after completion")}


class OrderStatus(models.TextChoices):
    PENDING_CONTRACT = "pending_contract", _("Pending contract")
    AWAITING_DEPOSIT = "awaiting_deposit", _("Awaiting deposit")
    DEPOSIT_PAID = "deposit_paid", _("Deposit paid")
    EXPORT_PROCESSING = "export_processing", _("Export processing")
    BALANCE_PAID = "balance_paid", _("Balance paid")
    SHIPPED = "shipped", _("Shipped")
    ARRIVED = "arrived", _("Arrived")
    COMPLETED = "completed", _("Completed")
    DISPUTED = "disputed", _("Disputed")
    CANCELLED = "cancelled", _("Cancelled")
    SETTLED = "settled", _("Settled")


# From the deposit on, the supplier may book the transport (logistics.services); after
# ``ship`` a second shipment (the rest of the cars) may still follow.
SHIPMENT_STATES = (
    OrderStatus.DEPOSIT_PAID,
    OrderStatus.EXPORT_PROCESSING,
    OrderStatus.BALANCE_PAID,
    OrderStatus.SHIPPED,
)


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
        db_index=True,
    )
    # The listings as they were when the quote was accepted.
    items = models.JSONField(default=list)
    currency = models.CharField(max_length=3)
    total = models.DecimalField(max_digits=16, decimal_places=3)
    # The payment schedule, fixed at acceptance from the inquiry's payment terms.
    deposit_percent = models.PositiveSmallIntegerField(default=30)
    deposit = models.DecimalField(max_digits=16, decimal_places=3, default=Decimal(0))
    balance = models.DecimalField(max_digits=16, decimal_places=3, default=Decimal(0))
    platform_fee = models.DecimalField(max_digits=16, decimal_places=3, default=Decimal(0))
    # Escrow movements (held = confirmed payments − released − refunded).
    escrow_released = models.DecimalField(max_digits=16, decimal_places=3, default=Decimal(0))
    escrow_refunded = models.DecimalField(max_digits=16, decimal_places=3, default=Decimal(0))
    buyer_signed_at = models.DateTimeField(null=True, blank=True)
    supplier_signed_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # completed or cancelled
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Who accepted the quote from where (also in the first operation record).
    accepted_ip = models.GenericIPAddressField(_("accepted from IP"), null=True, blank=True)
    accepted_user_agent = models.CharField(_("accepted with browser"), max_length=300, blank=True)

    personal_data = PersonalData(
        fields={
            "created_at": Personal(
                Category.ORDER, _("trade record"), Erasure.LEGAL_HOLD, **TRADE_HOLD
            ),
            "accepted_ip": Personal(
                Category.DEVICE_ACCESS,
                _("evidence of who accepted the quotation"),
                Erasure.LEGAL_HOLD,
                **TRADE_HOLD,
            ),
            "accepted_user_agent": Personal(
                Category.DEVICE_ACCESS,
                _("evidence of who accepted the quotation"),
                Erasure.LEGAL_HOLD,
                **TRADE_HOLD,
            ),
            "buyer_signed_at": Personal(
                Category.ORDER, _("evidence of the contract"), Erasure.LEGAL_HOLD, **TRADE_HOLD
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
            "deposit_percent",
            "deposit",
            "balance",
            "platform_fee",
            "escrow_released",
            "escrow_refunded",
            "supplier_signed_at",
            "arrived_at",
            "closed_at",
            "updated_at",
        ),
        subject="buyer",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.CheckConstraint(
                condition=Q(deposit__gte=0) & Q(balance__gte=0),
                name="order_schedule_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def vins(self) -> list[str]:
        return [item.get("vin", "") for item in self.items if item.get("vin")]


class PaymentKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit")
    BALANCE = "balance", _("Balance")


class PaymentStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("payment status", "Submitted")
    CONFIRMED = "confirmed", pgettext_lazy("payment status", "Confirmed")
    REJECTED = "rejected", pgettext_lazy("payment status", "Rejected")


def proof_path(instance: Payment, filename: str) -> str:
    return f"payments/{instance.order_id}/{filename}"


class Payment(models.Model):
    """A transfer into the platform's escrow account, declared by the buyer with a proof
    and confirmed (or rejected, with a reason) by an operator."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("kind"), max_length=10, choices=PaymentKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=3)
    currency = models.CharField(_("currency"), max_length=3)
    reference = models.CharField(_("transfer reference"), max_length=100)
    proof = models.FileField(_("proof of transfer"), upload_to=proof_path, storage=private_storage)
    proof_content_type = models.CharField(max_length=50)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PaymentStatus.choices,
        default=PaymentStatus.SUBMITTED,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    personal_data = PersonalData(
        fields={
            "proof": Personal(
                Category.PAYMENT_PROOF,
                _("check that the transfer was made"),
                Erasure.LEGAL_HOLD,
                sensitive=True,
                **TRADE_HOLD,
            ),
            "reference": Personal(
                Category.PAYMENT_PROOF,
                _("match the transfer on the escrow account"),
                Erasure.LEGAL_HOLD,
                **TRADE_HOLD,
            ),
            "submitted_at": Personal(
                Category.PAYMENT_PROOF, _("trade record"), Erasure.LEGAL_HOLD, **TRADE_HOLD
            ),
        },
        not_personal=(
            "id",
            "order",
            "kind",
            "amount",
            "currency",
            "proof_content_type",
            "status",
            "submitted_by",
            "decided_by",
            "decided_at",
            "rejection_reason",
        ),
        subject="submitted_by",
    )

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind} {self.amount} {self.currency}"


class Payout(models.Model):
    """Escrow released to the supplier on ``settle``, less the platform fee."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="payout")
    supplier = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="payouts")
    gross = models.DecimalField(max_digits=16, decimal_places=3)
    fee = models.DecimalField(max_digits=16, decimal_places=3)
    amount = models.DecimalField(max_digits=16, decimal_places=3)
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    personal_data = PersonalData(
        not_personal=(
            "id",
            "order",
            "supplier",
            "gross",
            "fee",
            "amount",
            "currency",
            "created_at",
            "created_by",
        ),
        subject="created_by",
    )

    def __str__(self) -> str:
        return f"payout {self.order_id}: {self.amount} {self.currency}"


class DocumentKind(models.TextChoices):
    # generated by EX1000
    CONTRACT = "contract", _("Sales contract")
    PROFORMA = "proforma", _("Proforma invoice")
    COMMERCIAL_INVOICE = "commercial_invoice", _("Commercial invoice")
    PACKING_LIST = "packing_list", _("Packing list")
    # uploaded by the supplier
    DEREGISTRATION_CERTIFICATE = "deregistration_certificate", _("Deregistration certificate")
    EXPORT_LICENCE = "export_licence", _("Export licence")
    EXPORT_DECLARATION = "export_declaration", _("Export declaration")
    INSPECTION_CERTIFICATE = "inspection_certificate", _("Inspection certificate")
    BILL_OF_LADING = "bill_of_lading", _("Bill of lading")
    OTHER = "other", _("Other")


GENERATED_KINDS = (
    DocumentKind.CONTRACT,
    DocumentKind.PROFORMA,
    DocumentKind.COMMERCIAL_INVOICE,
    DocumentKind.PACKING_LIST,
)
UPLOADED_KINDS = tuple(k for k in DocumentKind if k not in GENERATED_KINDS)


def document_path(instance: OrderDocument, filename: str) -> str:
    return f"orders/{instance.order_id}/{filename}"


class OrderDocument(models.Model):
    """A document of the trade: a generated PDF (rendered once per language and kept, as
    the order's terms do not change) or a supplier's upload."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    generated = models.BooleanField(default=False)
    language = models.CharField(max_length=10, blank=True)  # of a generated document
    file = models.FileField(upload_to=document_path, storage=private_storage)
    content_type = models.CharField(max_length=50, default="application/pdf")
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    personal_data = PersonalData(
        fields={
            "file": Personal(
                Category.ORDER,
                _("documents of the trade (contract, export papers)"),
                Erasure.LEGAL_HOLD,
                **TRADE_HOLD,
            ),
        },
        not_personal=(
            "id",
            "order",
            "kind",
            "generated",
            "language",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "created_at",
        ),
        # Documents of the buyer's orders are about the buyer too (the contract, the B/L).
        subject=("uploaded_by", "order__buyer"),
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "kind", "language"],
                condition=Q(generated=True),
                name="one_generated_document_per_language",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind}"


class Consignee(models.Model):
    """Who receives the cars: what goes on the B/L and what a logistics partner may see."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="consignee")
    name = models.CharField(_("name"), max_length=200)
    company = models.CharField(_("company"), max_length=200, blank=True)
    address = models.TextField(_("address"), max_length=500)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2)
    phone = models.CharField(_("phone"), max_length=20)
    email = models.EmailField(_("email"))
    notify_party = models.TextField(_("notify party"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    _consignee = {"erasure": Erasure.LEGAL_HOLD, **TRADE_HOLD}
    personal_data = PersonalData(
        fields={
            "name": Personal(Category.CONTACT, _("receive the cars (B/L)"), **_consignee),
            "company": Personal(Category.COMPANY, _("receive the cars (B/L)"), **_consignee),
            "address": Personal(Category.CONTACT, _("receive the cars (B/L)"), **_consignee),
            "city": Personal(Category.CONTACT, _("receive the cars (B/L)"), **_consignee),
            "country": Personal(Category.CONTACT, _("receive the cars (B/L)"), **_consignee),
            "phone": Personal(Category.CONTACT, _("reach the consignee on arrival"), **_consignee),
            "email": Personal(Category.CONTACT, _("reach the consignee on arrival"), **_consignee),
            "notify_party": Personal(Category.CONTACT, _("B/L notify party"), **_consignee),
        },
        not_personal=("id", "order", "updated_at"),
        subject="order__buyer",
    )

    class Meta:
        verbose_name = _("consignee")
        verbose_name_plural = _("consignees")

    def __str__(self) -> str:
        return self.name
