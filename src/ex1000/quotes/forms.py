"""Forms of the quote pages: what to price, the quotation request, the supplier's revision."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from urllib.parse import urlencode

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import adapter, presentation
from .models import Place, RateBook

OPTION_FIELDS = ("destination", "incoterm", "mode", "currency")


@lru_cache(maxsize=16)
def _places(
    book_id: int, version: str, imported_at: datetime
) -> tuple[tuple[str, str, str, bool], ...]:
    """(code, name, country, is_destination) of a book: an import never changes them."""
    rows = Place.objects.filter(book_id=book_id).values_list(
        "code", "name", "country", "is_destination"
    )
    return tuple(rows)


def book_places(book: RateBook) -> tuple[tuple[str, str, str, bool], ...]:
    places = _places(book.pk, book.version, book.imported_at)
    if any(is_destination for *_rest, is_destination in places):
        return places
    # A book stored without flagged place rows: read its tables; destinations are abroad.
    return tuple(
        (p["code"], p["name"], p["country"], p.get("country") != "CN")
        for p in book.document.get("places", [])
    )


def place_label(book: RateBook, code: str | None) -> str:
    """ "Jebel Ali (AEJEA)", or the bare code of a place the book does not name."""
    if not code:
        return ""
    names = {place[0]: place[1] for place in book_places(book)}
    return f"{names[code]} ({code})" if code in names else code


def destination_choices(book: RateBook) -> list[tuple[str, str]]:
    """The book's destinations, e.g. ("AEJEA", "Jebel Ali (AEJEA) — United Arab Emirates")."""
    choices = [
        (code, f"{name} ({code}) — {countries.name(country) or country}")
        for code, name, country, is_destination in book_places(book)
        if is_destination
    ]
    return sorted(choices, key=lambda choice: choice[1])


def currency_choices(book: RateBook) -> list[tuple[str, str]]:
    """The currencies the book can price in: the usual ones first, then the rest of its fx."""
    known = {book.document.get("currency", "CNY"), *book.document.get("fx", {})}
    codes = [c for c in presentation.CURRENCIES if c in known]
    codes += sorted(known - set(codes))
    return [(code, code) for code in codes]


class OptionsForm(forms.Form):
    """What to price: the calculator on the vehicle page and a quotation request share it."""

    destination = forms.ChoiceField(label=_("Destination"))
    incoterm = forms.ChoiceField(label=_("Trade term (Incoterms® 2020)"))
    mode = forms.ChoiceField(label=_("Transport mode"))
    currency = forms.ChoiceField(label=_("Currency"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1)
    named_place = forms.CharField(
        label=_("Named place"),
        required=False,
        max_length=100,
        help_text=_("Optional: a city beyond the port (DAP, DPU, DDP deliver there)."),
    )
    insurance = forms.BooleanField(
        label=_("Cargo insurance"),
        required=False,
        help_text=_("CIF and CIP always include it."),
    )
    inspection = forms.BooleanField(label=_("Pre-shipment inspection"), required=False)

    def __init__(self, data=None, *args, book: RateBook, max_quantity: int | None = None, **kwargs):
        if data is not None and not data.get("quantity"):  # a link without one: one car
            data = data.copy()
            data["quantity"] = "1"
        super().__init__(data, *args, **kwargs)
        self.fields["destination"].choices = destination_choices(book)
        self.fields["incoterm"].choices = presentation.incoterm_choices()
        self.fields["mode"].choices = presentation.mode_choices()
        self.fields["currency"].choices = currency_choices(book)
        if max_quantity:
            quantity = self.fields["quantity"]
            quantity.max_value = max_quantity
            quantity.validators.append(MaxValueValidator(max_quantity))
            quantity.widget.attrs["max"] = str(max_quantity)

    def options(self) -> adapter.Options:
        data = self.cleaned_data
        return adapter.Options(
            incoterm=data["incoterm"],
            destination=data["destination"],
            mode=data["mode"],
            currency=data["currency"],
            named_place=data["named_place"] or None,
            insurance=data["insurance"],
            inspection=data["inspection"],
        )

    def query(self) -> str:
        """The options as a query string: the calculator prefilled, e.g. from a search card."""
        data = {name: self.cleaned_data[name] for name in (*OPTION_FIELDS, "quantity")}
        for name in ("named_place", "insurance", "inspection"):
            if self.cleaned_data.get(name):
                data[name] = "1" if self.cleaned_data[name] is True else self.cleaned_data[name]
        return urlencode(data)


class PickerForm(forms.Form):
    """The search page's "show landed prices" choice; an empty destination switches off."""

    lp_destination = forms.ChoiceField(label=_("Destination"), required=False)
    lp_incoterm = forms.ChoiceField(label=_("Trade term"))
    lp_mode = forms.ChoiceField(label=_("Mode"))
    lp_currency = forms.ChoiceField(label=_("Currency"))

    def __init__(self, *args, book: RateBook, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lp_destination"].choices = [
            ("", _("— don't show —")),
            *destination_choices(book),
        ]
        self.fields["lp_incoterm"].choices = presentation.incoterm_choices()
        self.fields["lp_mode"].choices = presentation.mode_choices()
        self.fields["lp_currency"].choices = currency_choices(book)


class InquiryForm(OptionsForm):
    """A buyer's quotation request from a vehicle page: the calculator's options (sent as
    hidden fields, kept in step with the calculator), payment terms and a message."""

    payment_terms = forms.CharField(
        label=_("Payment terms you prefer"),
        required=False,
        max_length=200,
        help_text=_("For example: 30 % deposit, 70 % before shipment."),
    )
    message = forms.CharField(
        label=_("Message to the supplier"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


ADJUSTMENT_ROWS = 3


class RevisionForm(forms.Form):
    """The supplier's revision: up to three adjustment rows (blank rows are ignored), a
    note, and the options to change (empty: keep the latest version's)."""

    note = forms.CharField(
        label=_("Note to the buyer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    incoterm = forms.ChoiceField(label=_("Trade term"), required=False)
    mode = forms.ChoiceField(label=_("Transport mode"), required=False)
    currency = forms.ChoiceField(label=_("Currency"), required=False)

    def __init__(self, *args, book: RateBook, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        keep = [("", _("— keep —"))]
        self.fields["incoterm"].choices = keep + presentation.incoterm_choices()
        self.fields["mode"].choices = keep + presentation.mode_choices()
        self.fields["currency"].choices = keep + currency_choices(book)
        self.rows = []
        for n in range(ADJUSTMENT_ROWS):
            label = forms.CharField(
                label=_("Adjustment %(n)s: label") % {"n": n + 1},
                required=False,
                max_length=100,
                widget=forms.TextInput(attrs={"placeholder": _("e.g. Loyalty discount")}),
            )
            amount = forms.DecimalField(
                label=_("Amount (%(currency)s)") % {"currency": currency},
                required=False,
                max_digits=15,
                decimal_places=3,
                help_text=_("Negative for a discount."),
            )
            self.fields[f"adjustment_{n}_label"] = label
            self.fields[f"adjustment_{n}_amount"] = amount
            self.rows.append((f"adjustment_{n}_label", f"adjustment_{n}_amount"))

    def clean(self):
        data = super().clean()
        for label_name, amount_name in self.rows:
            label, amount = data.get(label_name), data.get(amount_name)
            if label and amount is None and amount_name not in self.errors:
                self.add_error(amount_name, _("Give the amount of this adjustment."))
        return data

    def adjustments(self) -> list[dict]:
        """The filled-in rows; a row with an amount and no label is a plain "Adjustment"."""
        out = []
        for label_name, amount_name in self.rows:
            amount = self.cleaned_data.get(amount_name)
            if amount is None:
                continue
            label = self.cleaned_data.get(label_name) or str(presentation.LINE_LABELS["adjustment"])
            out.append({"label": label, "amount": str(amount)})
        return out

    def option_changes(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("incoterm", "mode", "currency")
            if self.cleaned_data.get(name)
        }
