"""Background work of the privacy app: announcing a new policy version to every user."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from ex1000.notifications.services import notify_all

from .models import PolicyVersion

CHUNK = 500
NOTICE_KIND = "policy_published"


@task()
def announce_policy(policy_id: int) -> int:
    """One notice per active user (in-app, and by email through notifications' own task),
    each in the user's language. Returns how many users were told."""
    policy = PolicyVersion.objects.filter(pk=policy_id).first()
    if policy is None:
        return 0
    if policy.material:
        body = _(
            "This is a material change: you will be asked to read and accept it the next "
            "time you use EX1000. %(summary)s"
        )
    else:
        body = _("What changed: %(summary)s")
    users = get_user_model().objects.filter(is_active=True).order_by("pk")
    told = 0
    last = 0
    while True:  # in chunks by key: memory stays flat however many users there are
        chunk = list(users.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            break
        notify_all(
            chunk,
            kind=NOTICE_KIND,
            title=_("Our privacy policy has changed (version %(version)s)"),
            body=body,
            link=reverse("privacy:policy"),
            params={"version": policy.version, "summary": policy.summary},
        )
        told += len(chunk)
        last = chunk[-1].pk
    return told
