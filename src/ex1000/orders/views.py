"""Order pages: acceptance from the inquiry page (the order pages come with them)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ex1000.core.errors import AppError
from ex1000.core.http import client_ip
from ex1000.quotes import selectors as quote_selectors

from . import services


@login_required
@require_POST
def accept(request, pk: int):
    """The buyer accepts a version: the order is created and its number shown."""
    quote = quote_selectors.quote_for(request.user, pk)
    try:
        order = services.accept_quote(
            quote=quote,
            buyer=request.user,
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", "")[:300],
        )
    except AppError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request,
            _("You accepted version %(version)s. Your order number is %(order)s.")
            % {"version": quote.version, "order": order.number},
        )
    return redirect("quotes:inquiry_detail", pk=quote.inquiry_id)
