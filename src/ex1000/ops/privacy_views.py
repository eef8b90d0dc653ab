"""Operator pages for privacy requests and complaints: the queue (answer due soonest first,
with a countdown) and one ticket with the decision form. Decisions go through
``privacy.tickets``, like the API's."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ex1000.core.errors import AppError
from ex1000.core.events import events_of
from ex1000.core.http import client_ip
from ex1000.privacy import erasure, tickets
from ex1000.privacy.models import CLOSED_STATUSES, PrivacyRequest, RequestStatus, RequestType
from ex1000.privacy.staff_reads import record_staff_read, staff_reads
from ex1000.web import error_messages

from .views import staff_only

PAGE_SIZE = 30
TABS = (
    (tickets.OPEN, gettext_lazy("Open")),
    (RequestStatus.AWAITING_CONFIRMATION.value, RequestStatus.AWAITING_CONFIRMATION.label),
    (RequestStatus.SCHEDULED.value, RequestStatus.SCHEDULED.label),
    (RequestStatus.COMPLETED.value, RequestStatus.COMPLETED.label),
    (RequestStatus.REFUSED.value, RequestStatus.REFUSED.label),
    (RequestStatus.CANCELLED.value, RequestStatus.CANCELLED.label),
)


@staff_only
def privacy_requests(request):
    status = request.GET.get("status", tickets.OPEN)
    if status not in dict(TABS):
        status = tickets.OPEN
    kind = request.GET.get("type", "")
    if kind not in RequestType.values:
        kind = ""
    queue = tickets.request_queue(status=status, type=kind or None)
    if status in CLOSED_STATUSES:
        queue = queue.order_by("-decided_at", "-id")
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "ops/privacy/requests.html",
        {
            "page": page,
            "status": status,
            "type": kind,
            "types": RequestType.choices,
            "tabs": [
                (value, label, tickets.request_queue(status=value, type=kind or None).count())
                for value, label in TABS
            ],
        },
    )


@staff_only
def privacy_request(request, request_id: int):
    ticket = (
        PrivacyRequest.objects.select_related("user__company", "handled_by")
        .filter(pk=request_id)
        .first()
    )
    if ticket is None:
        raise Http404
    record_staff_read(request.user, ticket, request=request, view="privacy request")
    erasure_record = erasure.record_for_request(ticket)
    return render(
        request,
        "ops/privacy/request.html",
        {
            "ticket": ticket,
            "events": list(events_of(ticket)),
            "can_decide": not ticket.is_closed
            and not (
                ticket.type == RequestType.DELETION and ticket.status == RequestStatus.SCHEDULED
            ),
            "can_complete": ticket.type != RequestType.DELETION,
            "correctable": tickets.correctable_fields(),
            "waiting_for": tickets.waiting_for(ticket),
            "erasure": erasure_record,
            "erasure_report": erasure.report_lines(erasure_record) if erasure_record else None,
        },
    )


@staff_only
@require_POST
def decide_privacy_request(request, request_id: int):
    decision = request.POST.get("decision", "")
    try:
        ticket = tickets.decide_request(
            request_id=request_id,
            operator=request.user,
            decision=decision,
            reason=request.POST.get("reason", ""),
            reply=request.POST.get("reply", ""),
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except AppError as exc:
        messages.error(request, " ".join(error_messages(exc)))
        return redirect("ops:privacy_request", request_id)
    if ticket.status == RequestStatus.IN_PROGRESS:
        messages.success(request, _("Request #%(number)s is yours now.") % {"number": ticket.pk})
        return redirect("ops:privacy_request", ticket.pk)
    text = (
        _("Request #%(number)s completed; the requester has been emailed.")
        if ticket.status == RequestStatus.COMPLETED
        else _("Request #%(number)s refused; the requester has been told why.")
    )
    messages.success(request, text % {"number": ticket.pk})
    return redirect("ops:privacy_requests")


@staff_only
def staff_access(request):
    """Who of the staff looked at whose personal data, where and when (issue 9, staff
    access audit): every ops page, admin page and file download that shows personal data
    records a read."""
    page = Paginator(staff_reads(), 50).get_page(request.GET.get("page"))
    return render(
        request, "ops/privacy/staff_access.html", {"page": page, "reads": page.object_list}
    )
