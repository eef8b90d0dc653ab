"""Telling users what happened: an in-app notification plus an email, in their language.

The email is sent by a task (``tasks.send_notification_email``) enqueued when the transaction
commits: never inside the request, and never for a change that was rolled back.

Callers pass translatable text (``gettext_lazy``) and the values to put into it; ``notify``
renders both under ``translation.override(user.language)`` and the recipient's time zone
(``core.timezones.zone_of``), so one call site serves recipients of every language and
place. Values that depend on them (money, dates, times) are passed as ``localized_money`` /
``localized_date`` / ``localized_datetime`` and are formatted for the recipient too.

Every sender goes through ``notify``, which honours the recipient's preferences: per event
type (``events.Event``; each ``kind`` maps to one), in the app and by email, all on unless
the user turned one off (``set_preferences``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.functional import Promise, lazy

from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError
from ex1000.core.money import display
from ex1000.core.timezones import zone_label, zone_of

from . import selectors, tasks
from .error_codes import NotificationError
from .events import Event, event_of
from .models import Notification, NotificationPreference

TITLE_MAX = 200


def _money(amount: Decimal, currency: str) -> str:
    return display(amount, currency, locale=translation.get_language() or settings.LANGUAGE_CODE)


def _date(value: date) -> str:
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)  # the day it is where the recipient is
    return formats.date_format(value, "DATE_FORMAT")


def _datetime(value: datetime) -> str:
    """ "Dec. 3, 2026, 13:00 (Almaty time)": in the recipient's zone, which is named."""
    local = timezone.localtime(value)
    return "{date}, {time} ({zone})".format(
        date=formats.date_format(local, "DATE_FORMAT"),
        time=formats.time_format(local, "H:i"),
        zone=zone_label(timezone.get_current_timezone()),
    )


# Formatted when the text is rendered, i.e. in the recipient's language and zone.
localized_money = lazy(_money, str)
localized_date = lazy(_date, str)
localized_datetime = lazy(_datetime, str)


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
) -> Notification | None:
    """Tell the user, as their preferences for the kind's event type say.

    In the app on: a Notification row (returned). Email on: a task mails it once the
    transaction commits. In the app off: no row at all (``None``); both off: nothing.
    A kind with no event type (``events.KINDS``) raises ``LookupError``.
    """
    in_app, by_email = selectors.channels_for(user, event_of(kind))
    by_email = by_email and user.is_active and bool(user.email)
    if not (in_app or by_email):
        return None
    with (
        translation.override(user.language or settings.LANGUAGE_CODE),
        timezone.override(zone_of(user)),
    ):
        title_text = _render(title, params or {})[:TITLE_MAX]
        body_text = _render(body, params or {}).strip() if body else ""
    link = link[:300]
    notification = None
    if in_app:
        notification = Notification.objects.create(
            user=user, kind=kind, title=title_text, body=body_text, link=link
        )
    if by_email:
        if notification is not None:
            notification_id = notification.pk
            send = lambda: tasks.send_notification_email.enqueue(notification_id)  # noqa: E731
        else:
            user_id, email_body = user.pk, tasks.with_link(body_text, link)
            send = lambda: tasks.send_email_only.enqueue(user_id, title_text, email_body)  # noqa: E731
        # robust: a queue hiccup must not undo the change the notice is about.
        transaction.on_commit(send, robust=True)
    return notification


def notify_all(users: Iterable, **notice: Any) -> list[Notification]:
    """The same notice to several users, each in their own language and preferences; the
    list holds the in-app notifications created."""
    created = (notify(user=user, **notice) for user in users)
    return [n for n in created if n is not None]


@transaction.atomic
def set_preferences(*, user, changes: Iterable[Mapping[str, Any]]) -> list[dict]:
    """Save the user's choices, each ``{"event", "in_app", "email"}`` (a channel left out
    keeps its setting); events not named keep theirs. All are checked before any is saved.
    Returns every event type's preference."""
    changes = list(changes)
    keys = [str(change.get("event", "")) for change in changes]
    for key in keys:
        if key not in Event._value2member_map_:
            raise AppError(
                NotificationError.UNKNOWN_EVENT,
                errors={"event": [NotificationError.UNKNOWN_EVENT]},
                event=key,
                choices=[e.value for e in Event],
            )
        if keys.count(key) > 1:
            raise AppError(
                NotificationError.DUPLICATE_EVENT,
                errors={"event": [NotificationError.DUPLICATE_EVENT]},
                event=key,
            )
        for channel in ("in_app", "email"):
            value = changes[keys.index(key)].get(channel)
            if value is not None and not isinstance(value, bool):
                raise AppError(CoreError.VALIDATION, errors={channel: [CoreError.INVALID_BOOLEAN]})
    for key, change in zip(keys, changes, strict=True):
        given = {c: change[c] for c in ("in_app", "email") if change.get(c) is not None}
        NotificationPreference.objects.update_or_create(
            user=user, event=key, defaults={**given, "updated_at": timezone.now()}
        )
    return selectors.preferences_of(user)


@transaction.atomic
def mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's unread notifications (all, or those of ``ids``) read; others' are
    untouched. Returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
