"""The one validation of a listing, used by the API, the pages and the bulk import."""

from datetime import date
from decimal import Decimal

from django import forms
from django.core import validators
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LIVE_STATUSES, ListingStatus, Vehicle
from .validation import vin_problem

LISTING_FIELDS = [
    "make",
    "model",
    "variant",
    "year",
    "first_registration",
    "vin",
    "mileage_km",
    "fuel",
    "transmission",
    "drive",
    "body_type",
    "engine_cc",
    "battery_kwh",
    "colour",
    "steering",
    "length_mm",
    "width_mm",
    "height_mm",
    "condition_notes",
    "city",
    "price",
    "quantity",
    "status",
]
# Reserved and sold are set by orders, never by hand.
OWNER_STATUSES = [
    (s.value, s.label)
    for s in (ListingStatus.DRAFT, ListingStatus.PUBLISHED, ListingStatus.WITHDRAWN)
]


# What a used car for export can be (a listing beyond is a typo or a test, and would be
# quoted with absurd insurance): 2,000,000 km, a 10-litre engine, a 250 kWh battery, a
# 20 m low-loader, CN¥50 million, 10,000 units of one listing (more than a car carrier
# takes). The same bounds for the API, the pages and the import.
PLAUSIBLE = {
    "price": (Decimal("0.01"), Decimal("50000000")),
    "mileage_km": (0, 2_000_000),
    "engine_cc": (50, 10_000),
    "battery_kwh": (Decimal("0.5"), Decimal("250")),
    "length_mm": (2000, 20000),
    "width_mm": (1000, 3000),
    "height_mm": (1000, 4500),
    "quantity": (1, 10_000),
}
# Which fuels have a combustion engine and which a traction battery.
ENGINE_FUELS = {"petrol", "diesel", "hybrid", "phev"}
BATTERY_FUELS = {"hybrid", "phev", "bev"}


class VehicleForm(forms.ModelForm):
    status = forms.ChoiceField(
        choices=OWNER_STATUSES, initial=ListingStatus.DRAFT, label=_("status")
    )

    class Meta:
        model = Vehicle
        fields = LISTING_FIELDS
        widgets = {
            "first_registration": forms.DateInput(attrs={"type": "date"}),
            "condition_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, check_live_vin: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # The bulk import checks its rows' VINs against live listings a batch at a time.
        self.check_live_vin = check_live_vin
        for name, (low, high) in PLAUSIBLE.items():
            self._limit(name, low=low, high=high)
        self.fields["price"].help_text = _("Ex-works, in CNY")

    def _limit(self, name: str, *, low=None, high=None) -> None:
        """Bounds after construction: a field turns min_value/max_value into validators and
        HTML attributes only in its __init__, so setting the attributes alone checks nothing."""
        field = self.fields[name]
        if low is not None:
            field.min_value = low
            field.validators.append(validators.MinValueValidator(low))
            field.widget.attrs["min"] = str(low)
        if high is not None:
            field.max_value = high
            field.validators.append(validators.MaxValueValidator(high))
            field.widget.attrs["max"] = str(high)

    def clean_vin(self):
        vin = (self.cleaned_data.get("vin") or "").strip().upper()
        if problem := vin_problem(vin):
            raise forms.ValidationError(problem)
        if not self.check_live_vin:
            return vin
        live = Vehicle.objects.filter(vin=vin, status__in=LIVE_STATUSES)
        if self.instance.pk:
            live = live.exclude(pk=self.instance.pk)
        if live.exists():
            raise forms.ValidationError(_("A live listing with this VIN already exists."))
        return vin

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 1950 <= year <= timezone.now().year + 1:
            raise forms.ValidationError(_("Enter a plausible model year."))
        return year

    def clean_first_registration(self):
        value = self.cleaned_data.get("first_registration")
        if value and value > date.today():
            raise forms.ValidationError(_("First registration cannot be in the future."))
        return value

    def clean(self):
        cleaned = super().clean()
        fuel = cleaned.get("fuel")
        if fuel and cleaned.get("engine_cc") and fuel not in ENGINE_FUELS:
            self.add_error("engine_cc", _("A battery-electric car has no engine size."))
        if fuel and cleaned.get("battery_kwh") and fuel not in BATTERY_FUELS:
            self.add_error(
                "battery_kwh", _("Only hybrids and electric cars have a traction battery.")
            )
        return cleaned

    def clean_make(self):
        return self.cleaned_data["make"].strip()

    def clean_city(self):
        return self.cleaned_data["city"].strip().title()


class ListingRows:
    """The listing form for row after row of a bulk import: one form, bound to each row in
    turn. Building a form copies its two dozen fields, which costs as much as checking a
    row (0.4 ms of 0.55); the rules are the form's own. The caller checks the rows' VINs
    against live listings, a batch at a time."""

    def __init__(self) -> None:
        self.form = VehicleForm(check_live_vin=False)

    def check(self, data: dict) -> VehicleForm:
        form = self.form
        form.data, form.is_bound, form._errors = data, True, None
        form.instance = Vehicle()
        form.full_clean()
        return form
