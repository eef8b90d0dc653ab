"""The shipment booking form: it only shapes the page; logistics.services checks the
rules (B/L, ISO 6346 container and IMO check digits, places, dates, VINs)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ex1000.accounts import selectors as account_selectors
from ex1000.core.timezones import zone_label

from .models import Classifier, EventCode, Mode


class ShipmentForm(forms.Form):
    bl_number = forms.CharField(label=_("B/L or waybill number"), max_length=40)
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices)
    provider_name = forms.CharField(label=_("Carrier or forwarder"), max_length=200, required=False)
    vessel_name = forms.CharField(label=_("Vessel"), max_length=100, required=False)
    vessel_imo = forms.CharField(
        label=_("IMO number"), max_length=12, required=False, help_text=_("7 digits, e.g. 9074729")
    )
    voyage = forms.CharField(label=_("Voyage"), max_length=40, required=False)
    container_number = forms.CharField(
        label=_("Container number"),
        max_length=20,
        required=False,
        help_text=_("ISO 6346, e.g. CSQU3054383"),
    )
    origin = forms.CharField(label=_("Port of loading"), max_length=10, required=False)
    destination = forms.CharField(label=_("Port of discharge"), max_length=10, required=False)
    etd = forms.DateTimeField(
        label=_("ETD"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    eta = forms.DateTimeField(
        label=_("ETA"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    tracking_url = forms.URLField(
        label=_("Carrier's tracking link"), max_length=500, required=False, assume_scheme="https"
    )
    partner = forms.ChoiceField(
        label=_("Logistics partner"),
        required=False,
        help_text=_("A verified partner on EX1000 sees this shipment and adds its events."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", _("None"))] + [
            (str(company.pk), company.name)
            for company in account_selectors.verified_partner_companies()
        ]
        name_zone(self, "etd", _("ETD (%(zone)s)"))
        name_zone(self, "eta", _("ETA (%(zone)s)"))


class TrackingEventForm(forms.Form):
    """A tracking event added from the order page. The time is read in the active zone (the
    user's, by accounts' middleware), as Django forms do, and the label names that zone."""

    code = forms.ChoiceField(label=_("Event"), choices=EventCode.choices)
    classifier = forms.ChoiceField(
        label=_("Classifier"), choices=Classifier.choices, initial=Classifier.ACTUAL
    )
    location = forms.CharField(
        label=_("Place"),
        max_length=100,
        required=False,
        help_text=_("UN/LOCODE, e.g. AEJEA, or a name"),
    )
    occurred_at = forms.DateTimeField(
        label=_("Time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    description = forms.CharField(label=_("Description"), max_length=1000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_zone(self, "occurred_at", _("Time (%(zone)s)"))


def name_zone(form: forms.Form, field: str, label) -> None:
    """Say which zone a datetime-local input is read in: the one active now."""
    zone = timezone.get_current_timezone()
    form.fields[field].label = label % {"zone": zone_label(zone)}
    form.fields[field].widget.attrs["data-time-zone"] = zone.key
