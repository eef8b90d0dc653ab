"""Shipments of an order's cars and their tracking events (orders.md, Shipments and
tracking). The carriers' webhook and the logistics partner's view build on these."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ex1000.accounts.models import Company
from ex1000.core.fields import EncryptedTextField
from ex1000.core.personal_data import PersonalData
from ex1000.orders.models import Order


class Mode(models.TextChoices):
    RORO = "roro", _("RoRo")
    CONTAINER = "container", _("Container")
    RAIL = "rail", _("Rail")
    TRUCK = "truck", _("Truck")
    AIR = "air", _("Air")


class Shipment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="shipments")
    # The verified logistics partner that moves it (it may add tracking events).
    partner = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.PROTECT, related_name="shipments"
    )
    provider_name = models.CharField(_("carrier or forwarder"), max_length=200, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    bl_number = models.CharField(_("B/L or waybill number"), max_length=40, db_index=True)
    container_number = models.CharField(
        _("container number"), max_length=11, blank=True, db_index=True
    )
    vessel_name = models.CharField(_("vessel"), max_length=100, blank=True)
    vessel_imo = models.CharField(_("IMO number"), max_length=7, blank=True)
    voyage = models.CharField(_("voyage"), max_length=40, blank=True)
    origin = models.CharField(_("origin"), max_length=10)
    destination = models.CharField(_("destination"), max_length=10)
    etd = models.DateTimeField(_("ETD"), null=True, blank=True)
    eta = models.DateTimeField(_("ETA"), null=True, blank=True)
    tracking_url = models.URLField(_("tracking link"), max_length=500, blank=True)
    vins = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    personal_data = PersonalData(
        not_personal=(
            "id",
            "order",
            "partner",
            "provider_name",
            "mode",
            "bl_number",
            "container_number",
            "vessel_name",
            "vessel_imo",
            "voyage",
            "origin",
            "destination",
            "etd",
            "eta",
            "tracking_url",
            "vins",
            "created_by",
            "created_at",
        ),
        subject="created_by",
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")

    def __str__(self) -> str:
        return self.bl_number or f"shipment {self.pk}"


class EventCode(models.TextChoices):
    """What happened to the cars (orders.md); DCSA events are mapped to these."""

    RECEIVED = "received", _("Received by the carrier")
    GATE_IN = "gate_in", _("Gate in at the terminal")
    LOADED = "loaded", _("Loaded")
    DEPARTED = "departed", _("Departed")
    TRANSSHIPMENT = "transshipment", _("Transshipment")
    ARRIVED = "arrived", _("Arrived")
    DISCHARGED = "discharged", _("Discharged")
    CUSTOMS_CLEARED = "customs_cleared", _("Customs cleared")
    GATE_OUT = "gate_out", _("Gate out")
    DELIVERED = "delivered", _("Delivered")
    DELAYED = "delayed", _("Delayed")


class Classifier(models.TextChoices):
    """DCSA's event classifiers: what is planned, what is now expected, what happened."""

    PLANNED = "PLN", _("Planned")
    ESTIMATED = "EST", _("Estimated")
    ACTUAL = "ACT", _("Actual")


# At the destination, these mean the cars are there: an actual one performs the order's
# ``arrive``, an estimated one moves the shipment's ETA.
ARRIVAL_CODES = (EventCode.ARRIVED, EventCode.DISCHARGED)


class TrackingEvent(models.Model):
    """One event of a shipment's timeline, from the supplier, the partner or a carrier."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    code = models.CharField(_("event"), max_length=20, choices=EventCode.choices)
    classifier = models.CharField(_("classifier"), max_length=3, choices=Classifier.choices)
    location = models.CharField(_("place"), max_length=100, blank=True)
    occurred_at = models.DateTimeField(_("time"))
    description = models.CharField(_("description"), max_length=1000, blank=True)
    source = models.CharField(_("source"), max_length=40, default="manual")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    personal_data = PersonalData(
        # Carriers' facts about cargo, not about a person; who added it is a link only.
        not_personal=(
            "id",
            "shipment",
            "code",
            "classifier",
            "location",
            "occurred_at",
            "description",
            "source",
            "created_by",
            "created_at",
        ),
        subject="created_by",
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["shipment", "occurred_at"], name="tracking_timeline")]
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.classifier} {self.code}"


class WebhookEndpoint(models.Model):
    """A logistics partner's signing secret for the carrier webhook (orders.md): the key is
    kept encrypted (the HMAC needs it back), shown once, replaced by a new one."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="webhook")
    provider = models.SlugField(_("provider"), max_length=60, unique=True)
    secret = EncryptedTextField(_("signing secret"))
    created_at = models.DateTimeField(default=timezone.now)
    rotated_at = models.DateTimeField(null=True, blank=True)

    personal_data = PersonalData(
        # A company's machine credential, not a person's data.
        not_personal=("id", "company", "provider", "secret", "created_at", "rotated_at"),
        subject="company__members",
    )

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.provider


class WebhookDelivery(models.Model):
    """One signed delivery, kept so that a repeated ``webhook-id`` is accepted once; its
    events are applied by a task, so a slow database never makes the carrier retry."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="+")
    webhook_id = models.CharField(max_length=200)
    received_at = models.DateTimeField(default=timezone.now)
    events = models.JSONField(default=list)  # our event form, shipment ids resolved
    processed_at = models.DateTimeField(null=True, blank=True)

    personal_data = PersonalData(
        # Carriers' cargo events; consignee data never travels this way.
        not_personal=("id", "endpoint", "webhook_id", "received_at", "events", "processed_at"),
        subject="endpoint__company__members",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "webhook_id"], name="webhook_once")
        ]

    def __str__(self) -> str:
        return f"{self.endpoint_id} {self.webhook_id}"
