"""Operator pages: the verification queue."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ex1000.accounts import selectors as account_selectors
from ex1000.accounts import services as account_services
from ex1000.accounts.models import VerificationStatus
from ex1000.core.errors import AppError
from ex1000.web import error_messages


def staff_only(view):
    """Visitors are sent to log in; logged-in non-staff see nothing here at all (404)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


TABS = (VerificationStatus.PENDING, VerificationStatus.APPROVED, VerificationStatus.REJECTED)


@staff_only
def verifications(request):
    status = request.GET.get("status", VerificationStatus.PENDING)
    if status not in TABS:
        status = VerificationStatus.PENDING
    queryset = account_selectors.verification_requests(status=status)
    if status != VerificationStatus.PENDING:
        queryset = queryset.select_related("decided_by").order_by("-decided_at")[:100]
    return render(
        request,
        "ops/verifications.html",
        {
            "requests": list(queryset),
            "status": status,
            "tabs": [
                (tab.value, tab.label, account_selectors.verification_requests(status=tab).count())
                for tab in TABS
            ],
        },
    )


@staff_only
@require_POST
def decide(request, request_id: int):
    decision = request.POST.get("decision", "")
    try:
        decided = account_services.decide_verification(
            request_id=request_id,
            operator=request.user,
            decision=decision,
            reason=request.POST.get("reason", ""),
        )
    except AppError as exc:
        messages.error(request, " ".join(error_messages(exc)))
    else:
        if decided.status == VerificationStatus.APPROVED:
            text = _("%(company)s is verified; the user has been told.")
        else:
            text = _("%(company)s was rejected; the user has been told why.")
        messages.success(request, text % {"company": decided.company.name})
    return redirect(reverse("ops:verifications") + "?status=pending")
