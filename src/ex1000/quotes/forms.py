"""Forms of the quote pages: what to price, the quotation request, the supplier's revision."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ex1000.core.errors import AppError

from . import presentation
from .models import RateBook
from .options import QuoteOptions, parse_quote_options

OPTION_FIELDS = ("destination", "incoterm", "mode", "currency")


class CodeField(forms.ChoiceField):
    """A picker of codes whose value quotes.options checks: a bad value gets the message
    the API gives for it (``unknown_incoterm`` …), not Django's "Select a valid choice"."""

    def valid_value(self, value):
        return True


def add_app_error(form: forms.Form, exc: AppError) -> None:
    """An AppError on a form: each message on its field when the form has it, else on top."""
    placed = False
    for field, messages in exc.rendered_errors().items():
        target = field if field in form.fields else None
        for message in messages:
            if message not in form.errors.get(target or forms.forms.NON_FIELD_ERRORS, []):
                form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, exc.detail)


book_places = presentation.book_places
place_label = presentation.place_label


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

    destination = CodeField(label=_("Destination"))
    incoterm = CodeField(label=_("Trade term (Incoterms® 2020)"))
    mode = CodeField(label=_("Transport mode"))
    currency = CodeField(label=_("Currency"))
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
        self.book = book
        self.quote_options: QuoteOptions | None = None
        self.fields["destination"].choices = destination_choices(book)
        self.fields["incoterm"].choices = presentation.incoterm_choices()
        self.fields["mode"].choices = presentation.mode_choices()
        self.fields["currency"].choices = currency_choices(book)
        if max_quantity:
            quantity = self.fields["quantity"]
            quantity.max_value = max_quantity
            quantity.validators.append(MaxValueValidator(max_quantity))
            quantity.widget.attrs["max"] = str(max_quantity)

    def clean(self):
        data = super().clean()
        raw = {
            name: data.get(name)
            for name in ("incoterm", "destination", "mode", "currency", "named_place")
        }
        raw.update(insurance=data.get("insurance", False), inspection=data.get("inspection", False))
        try:
            self.quote_options = parse_quote_options(raw, book=self.book)
        except AppError as exc:
            add_app_error(self, exc)
        else:
            data.update(
                incoterm=self.quote_options.incoterm,
                destination=self.quote_options.destination,
                mode=self.quote_options.mode,
                currency=self.quote_options.currency,
                named_place=self.quote_options.named_place or "",
            )
        return data

    def options(self) -> QuoteOptions:
        """The options as quotes.options parsed them (the form is valid)."""
        assert self.quote_options is not None
        return self.quote_options

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
    incoterm = CodeField(label=_("Trade term"), required=False)
    mode = CodeField(label=_("Transport mode"), required=False)
    currency = CodeField(label=_("Currency"), required=False)

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
