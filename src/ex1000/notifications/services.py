"""Telling users what happened: an in-app notification plus an email, in their language.

The email is sent by a task (``tasks.send_notification_email``) enqueued when the transaction
commits: never inside the request, and never for a change that was rolled back.

Callers pass translatable text (``gettext_lazy``) and the values to put into it; ``notify``
renders both under ``translation.override(user.language)``, so one call site serves
recipients of every language. Values that depend on the language (money, dates) are passed
as ``localized_money`` / ``localized_date`` and are formatted for the recipient too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.functional import Promise, lazy

from ex1000.core.money import display

from . import tasks
from .models import Notification

TITLE_MAX = 200


def _money(amount: Decimal, currency: str) -> str:
    return display(amount, currency, locale=translation.get_language() or settings.LANGUAGE_CODE)


def _date(value: date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


# Formatted when the text is rendered, i.e. in the recipient's language.
localized_money = lazy(_money, str)
localized_date = lazy(_date, str)


def _render(text: Any, params: Mapping[str, Any]) -> str:
    rendered = str(text)
    if params:
        rendered = rendered % {
            k: str(v) if isinstance(v, Promise) else v for k, v in params.items()
        }
    return rendered


@transaction.atomic
def notify(
    *,
    user,
    kind: str,
    title: Any,
    body: Any = "",
    link: str = "",
    params: Mapping[str, Any] | None = None,
) -> Notification:
    """Create the user's notification; a task emails it once the transaction commits."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        title_text = _render(title, params or {})[:TITLE_MAX]
        body_text = _render(body, params or {}).strip() if body else ""
    notification = Notification.objects.create(
        user=user, kind=kind, title=title_text, body=body_text, link=link[:300]
    )
    if user.is_active and user.email:
        notification_id = notification.pk
        # robust: a queue hiccup must not undo the change the notice is about.
        transaction.on_commit(
            lambda: tasks.send_notification_email.enqueue(notification_id), robust=True
        )
    return notification


def notify_all(users: Iterable, **notice: Any) -> list[Notification]:
    """The same notice to several users, each in their own language."""
    return [notify(user=user, **notice) for user in users]


@transaction.atomic
def mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's unread notifications (all, or those of ``ids``) read; others' are
    untouched. Returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
