"""Thread pages: the thread on the inquiry and order pages (htmx: new messages appear
without a reload, sending does not reload), and the inbox with unread counts. Without
JavaScript the form posts and the page comes back at the thread."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ex1000.core.errors import AppError
from ex1000.web import error_messages

from . import selectors, services

PAGE_MESSAGES = 50  # the latest ones on the page; earlier ones load on request
STOP_POLLING = 286  # htmx stops an "every 4s" trigger on this status


def party_view(view):
    """login_required, except for htmx requests of a page whose session has ended: a poll
    stops quietly, and a message being sent is kept in the form with the reason."""

    protected = login_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.htmx and not request.user.is_authenticated:
            if request.method == "GET":
                return HttpResponse(status=STOP_POLLING)
            message = _(
                "Your session has ended. Log in again in another tab, then send: your text is kept."
            )
            return _refused(request, kwargs.get("thread_id", 0), [message], status=401)
        return protected(request, *args, **kwargs)

    return wrapper


def _refused(request: HttpRequest, thread_id: int, errors: list, *, status: int):
    """A message that was not sent: the reasons go above the form, whose text stays."""
    response = render(
        request, "messaging/_errors.html", {"thread_id": thread_id, "errors": errors}, status=status
    )
    response["HX-Retarget"] = f"#thread-{thread_id}-errors"
    response["HX-Reswap"] = "outerHTML"
    return response


def _message_id(value: str) -> int:
    """A message id from a query or form field; nonsense (or past 64 bits) is 0."""
    return int(value) if value.isdigit() and len(value) <= 18 else 0


def _after(request: HttpRequest, source) -> int:
    return _message_id(source.get("after", ""))


def _new_messages(request: HttpRequest, thread, after: int):
    """The fragment both polling and sending answer with: messages newer than ``after``
    (appended out of band) and the poller that will ask for what comes next."""
    rows = [
        selectors.message_json(m, request.user) for m in selectors.messages_after(thread, after)
    ]
    last = rows[-1]["id"] if rows else after
    services.mark_read(thread, request.user, last)
    return render(
        request,
        "messaging/_new_messages.html",
        {"thread": thread, "rows": rows, "last_id": last},
    )


@party_view
@require_GET
def poll(request: HttpRequest, thread_id: int):
    thread = selectors.thread_for(request.user, thread_id)
    return _new_messages(request, thread, _after(request, request.GET))


@party_view
@require_GET
def earlier(request: HttpRequest, thread_id: int):
    """Messages before ``before``, a page at a time, for "Show earlier messages"."""
    thread = selectors.thread_for(request.user, thread_id)
    before = _message_id(request.GET.get("before", ""))
    page, more = selectors.messages_before(thread, before, PAGE_MESSAGES)
    return render(
        request,
        "messaging/_earlier.html",
        {
            "thread": thread,
            "rows": [selectors.message_json(m, request.user) for m in page],
            "more": more,
            "first_id": page[0].pk if page else 0,
        },
    )


@party_view
@require_POST
def post(request: HttpRequest, thread_id: int):
    thread = selectors.thread_for(request.user, thread_id)
    try:
        services.post_message(
            thread,
            request.user,
            request.POST.get("text", ""),
            request.FILES.getlist("attachments"),
        )
    except AppError as exc:
        if request.htmx:
            return _refused(request, thread.pk, error_messages(exc), status=exc.status)
        for text in error_messages(exc):
            messages.error(request, text)
        return redirect(services.thread_link(thread) + "#thread")
    if request.htmx:
        return _new_messages(request, thread, _after(request, request.POST))
    messages.success(request, _("Message sent."))
    return redirect(services.thread_link(thread) + "#thread")


@login_required
@require_GET
def open_thread(request: HttpRequest, thread_id: int):
    """From the inbox to the page that holds the thread, at the thread."""
    thread = selectors.thread_for(request.user, thread_id)
    return redirect(services.thread_link(thread) + "#thread")


@login_required
def inbox(request: HttpRequest):
    """Every thread of the user's inquiries and orders, latest activity first, with what is
    unread."""
    page = Paginator(selectors.inbox(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "messaging/inbox.html", {"page": page, "threads": page.object_list})
