"""Reads of notifications and of the preferences about them: a user sees only their own."""

from django.db.models import QuerySet

from .events import Event
from .models import Notification, NotificationPreference


def notifications_of(user, *, unread: bool | None = None) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    notifications = Notification.objects.filter(user=user)
    if unread is not None:
        notifications = notifications.filter(read_at__isnull=unread)
    return notifications.order_by("-created_at", "-id")


def unread_count(user) -> int:
    """How many of the user's notifications are unread (the header's badge)."""
    return notifications_of(user, unread=True).count()


def preferences_of(user) -> list[dict]:
    """Every event type with the user's choice for it; an event never chosen is all on."""
    chosen = {}
    if user.is_authenticated:
        chosen = {p.event: p for p in NotificationPreference.objects.filter(user=user)}
    rows = []
    for event in Event:
        preference = chosen.get(event.value)
        rows.append(
            {
                "event": event.value,
                "label": event.label,
                "in_app": preference.in_app if preference else True,
                "email": preference.email if preference else True,
            }
        )
    return rows


def channels_for(user, event: Event) -> tuple[bool, bool]:
    """(in the app, by email) for one event type: both on unless the user said otherwise."""
    preference = (
        NotificationPreference.objects.filter(user=user, event=event.value)
        .values_list("in_app", "email")
        .first()
    )
    return preference if preference is not None else (True, True)
