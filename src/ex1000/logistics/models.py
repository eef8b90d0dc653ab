"""Shipments of an order's cars (orders.md, Shipments and tracking). Tracking events, the
carriers' webhook and the logistics partner's view build on this model."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ex1000.accounts.models import Company
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
