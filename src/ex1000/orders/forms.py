"""The order page's forms. They only shape the page: the rules (amounts, currency, proof
file, consignee fields) are checked by the services, whose errors land on these fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import UPLOADED_KINDS, DocumentKind, PaymentKind


class PaymentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Payment"), choices=PaymentKind.choices)
    amount = forms.CharField(label=_("Amount transferred"), max_length=30)
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        widget=forms.TextInput(attrs={"readonly": True, "size": 4}),
    )
    reference = forms.CharField(
        label=_("Your bank's transfer reference"),
        max_length=100,
        help_text=_("As it appears on your bank's confirmation."),
    )
    file = forms.FileField(
        label=_("Proof of transfer"),
        help_text=_("PDF, JPEG or PNG, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs.update(inputmode="decimal", autocomplete="off")


class ConsigneeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    company = forms.CharField(label=_("Company"), max_length=200, required=False)
    address = forms.CharField(
        label=_("Address"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    city = forms.CharField(label=_("City"), max_length=100)
    country = forms.ChoiceField(label=_("Country"))
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        help_text=_("With the country code, e.g. +971 4 334 5678."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Email"), max_length=254)
    notify_party = forms.CharField(
        label=_("Notify party"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *countries]


class DocumentForm(forms.Form):
    """The supplier's export papers (deregistration certificate, export licence…)."""

    kind = forms.ChoiceField(
        label=_("Document"), choices=[(k.value, DocumentKind(k).label) for k in UPLOADED_KINDS]
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
