"""The email copy of a notification, sent by a worker once the change has committed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from .models import Notification


@task()
def send_notification_email(notification_id: int) -> None:
    """Mail the notification as it was rendered for its recipient (their language).

    The task carries only the id: no address or text waits in the queue, and a user made
    inactive (or erased) meanwhile is not mailed.
    """
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None:
        return
    user = notification.user
    if not (user.is_active and user.email):
        return
    body = notification.body
    if notification.link:
        body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{notification.link}".strip()
    send_mail(notification.title, body, None, [user.email])
