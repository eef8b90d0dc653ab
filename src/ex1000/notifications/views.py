"""The notifications page: the user's own, newest first; marking them read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors, services

PAGE_SIZE = 30


@login_required
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    notifications = selectors.notifications_of(request.user, unread=True if unread_only else None)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread_only": unread_only},
    )


@login_required
@require_POST
def mark_read(request):
    """Mark one (``id``) or all of the user's notifications read."""
    raw = request.POST.get("id", "")
    ids = [int(raw)] if raw.isdigit() and int(raw) < 2**63 else None
    services.mark_read(user=request.user, ids=ids)
    if request.htmx and ids:
        notification = get_object_or_404(selectors.notifications_of(request.user), pk=ids[0])
        return render(
            request, "notifications/_item.html", {"notification": notification, "oob": True}
        )
    return redirect("notifications:list")


@login_required
@require_POST
def open_notification(request, pk: int):
    """Follow a notification's link, marking it read on the way."""
    notification = get_object_or_404(selectors.notifications_of(request.user), pk=pk)
    services.mark_read(user=request.user, ids=[notification.pk])
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications:list")
