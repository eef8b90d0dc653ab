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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit("price", low=Decimal("0.01"))
        self.fields["price"].help_text = _("Ex-works, in CNY")
        for name in ("length_mm", "width_mm", "height_mm"):
            self._limit(name, low=1000, high=20000)
        self._limit("quantity", low=1)

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

    def clean_make(self):
        return self.cleaned_data["make"].strip()

    def clean_city(self):
        return self.cleaned_data["city"].strip().title()
