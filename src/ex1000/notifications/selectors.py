"""Reads of notifications: a user sees only their own."""

from django.db.models import QuerySet

from .models import Notification


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
