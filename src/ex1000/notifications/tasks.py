"""The email copy of a notification, sent by a worker once the change has committed."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django_tasks import task

from .models import Notification


def with_link(body: str, link: str) -> str:
    """The email body: the notice's text, then the page it is about as a full address."""
    if not link:
        return body
    return f"{body}\n\n{settings.SITE_URL.rstrip('/')}{link}".strip()


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
        body = with_link(body, notification.link)
    send_mail(notification.title, body, None, [user.email])


@task()
def send_email_only(user_id: int, subject: str, body: str) -> None:
    """Mail a notice the user wants by email but not in the app, so no Notification row
    exists to carry it: the rendered text travels in the task, the address never does."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not (user.is_active and user.email):
        return
    send_mail(subject, body, None, [user.email])
