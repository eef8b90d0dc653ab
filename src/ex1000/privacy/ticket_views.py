"""The privacy centre's "My requests": open a request or complaint, follow it, and confirm
a deletion with the emailed code. Every change goes through ``privacy.tickets``."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ex1000.core.errors import AppError
from ex1000.core.http import client_ip
from ex1000.web import add_service_errors

from . import tickets
from .models import RequestStatus, RequestType

PAGE_SIZE = 20


class RequestForm(forms.Form):
    type = forms.ChoiceField(
        label=gettext_lazy("What do you need?"),
        choices=[(t.value, t.label) for t in tickets.USER_TYPES],
    )
    text = forms.CharField(
        label=gettext_lazy("Your message"),
        required=False,
        max_length=tickets.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    field = forms.ChoiceField(
        label=gettext_lazy("Field to correct"),
        required=False,
        help_text=gettext_lazy("Only for a correction of data you cannot edit yourself."),
    )
    value = forms.CharField(label=gettext_lazy("Corrected value"), required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = sorted(tickets.correctable_fields().items(), key=lambda item: item[1])
        self.fields["field"].choices = [("", "—"), *fields]


class ConfirmForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Confirmation code from the email"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


def _origin(request) -> dict:
    return {"ip": client_ip(request), "user_agent": request.headers.get("User-Agent", "")}


@login_required
def my_requests(request):
    initial = {}
    if request.GET.get("type") in RequestType.values:
        initial["type"] = request.GET["type"]
    if request.GET.get("field"):
        initial["field"] = request.GET["field"]
    form = RequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = tickets.open_request(
                user=request.user, **form.cleaned_data, **_origin(request)
            )
        except AppError as exc:
            add_service_errors(form, exc)
        else:
            if ticket.status == RequestStatus.AWAITING_CONFIRMATION:
                messages.info(
                    request,
                    _("We have emailed you a confirmation code. Enter it to confirm the deletion."),
                )
                return redirect("privacy:confirm_deletion", ticket.pk)
            messages.success(
                request,
                _("Request #%(number)s is open. We answer within %(days)s days.")
                % {"number": ticket.pk, "days": settings.PRIVACY_REQUEST_DUE_DAYS},
            )
            return redirect("privacy:requests")
    page = Paginator(tickets.requests_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/requests.html",
        {
            "form": form,
            "page": page,
            "due_days": settings.PRIVACY_REQUEST_DUE_DAYS,
            "privacy_email": settings.PRIVACY_CONTACT_EMAIL,
        },
    )


@login_required
def confirm_deletion(request, request_id: int):
    """Second step of a deletion: the code from the email. The account is locked at once,
    so the visitor is logged out and sent to the home page."""
    try:
        ticket = tickets.request_of(request.user, request_id)
    except AppError as exc:
        raise Http404 from exc
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = tickets.confirm_deletion(
                user=request.user,
                request_id=ticket.pk,
                token=form.cleaned_data["token"],
                **_origin(request),
            )
        except AppError as exc:
            add_service_errors(form, exc)
        else:
            waiting = tickets.waiting_for(ticket)
            logout(request)
            if waiting:
                message = _(
                    "Your account is locked. It will be erased once your open orders "
                    "(%(orders)s) are completed. To change your mind, log in again before "
                    "then: that cancels the deletion."
                ) % {"orders": ", ".join(waiting)}
            else:
                message = _(
                    "Your account is locked and will be erased on %(date)s. "
                    "To change your mind, log in again before then: that cancels the deletion."
                ) % {"date": formats.date_format(ticket.scheduled_for, "DATE_FORMAT")}
            messages.success(request, message)
            return redirect("catalog:home")
    return render(
        request,
        "privacy/confirm_deletion.html",
        {
            "ticket": ticket,
            "form": form,
            "grace_days": settings.PRIVACY_DELETION_GRACE_DAYS,
            "hours": settings.PRIVACY_DELETION_TOKEN_HOURS,
        },
    )
