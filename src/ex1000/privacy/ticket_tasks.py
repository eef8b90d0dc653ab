"""Emails about privacy requests, sent by a worker once the change has committed.

Each task carries only the ticket's id: no address, text or code waits in the queue. The
confirmation code is derived again from the ticket, so a newer request voids an older mail.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import PrivacyRequest, RequestStatus


def _recipient(request: PrivacyRequest) -> tuple[str, str]:
    """(address, language) of whoever opened the ticket; nobody once the account is gone."""
    user = request.user
    if user is not None:
        if not (user.is_active and user.email):
            return "", ""
        return user.email, user.language or request.language
    return request.contact_email, request.language


@task()
def email_deletion_confirmation(request_id: int) -> None:
    from .tickets import deletion_token

    request = (
        PrivacyRequest.objects.select_related("user")
        .filter(pk=request_id, status=RequestStatus.AWAITING_CONFIRMATION)
        .exclude(confirmation_nonce="")
        .first()
    )
    if request is None:
        return
    address, language = _recipient(request)
    if not address:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("privacy:confirm_deletion", args=[request.pk])
    with translation.override(language or settings.LANGUAGE_CODE):
        body = _(
            "You asked us to delete your EX1000 account. To confirm, open\n\n%(link)s\n\n"
            "and enter this confirmation code. It works once, until %(until)s (UTC):\n\n"
            "    %(code)s\n\n"
            "After the confirmation your account is locked at once and erased after "
            "%(days)s days. If you did not ask for this, ignore this email: nothing happens."
        )
        body += "\n\n" + _(
            "Until the erasure you can still keep your account: log in again and choose "
            "to cancel the deletion."
        )
        body = body % {
            "link": link,
            "until": formats.date_format(request.confirmation_expires_at, "DATETIME_FORMAT"),
            "code": deletion_token(request),
            "days": settings.PRIVACY_DELETION_GRACE_DAYS,
        }
        send_mail(_("Confirm the deletion of your EX1000 account"), body, None, [address])


@task()
def email_request_answer(request_id: int) -> None:
    request = PrivacyRequest.objects.select_related("user").filter(pk=request_id).first()
    if request is None or request.status not in (RequestStatus.COMPLETED, RequestStatus.REFUSED):
        return
    address, language = _recipient(request)
    if not address:
        return
    with translation.override(language or settings.LANGUAGE_CODE):
        params = {
            "number": request.pk,
            "type": request.get_type_display(),
            "date": formats.date_format(request.created_at, "DATE_FORMAT"),
        }
        if request.status == RequestStatus.COMPLETED:
            subject = _("Your privacy request #%(number)s is answered") % params
            body = _("We have completed your request (%(type)s) of %(date)s.") % params
        else:
            subject = _("Your privacy request #%(number)s was refused") % params
            body = _("We cannot grant your request (%(type)s) of %(date)s.") % params
            body += "\n\n" + _("Reason: %(reason)s") % {"reason": request.reason}
        if request.reply:
            body += "\n\n" + request.reply
        if request.user is not None:
            body += "\n\n" + settings.SITE_URL.rstrip("/") + reverse("privacy:requests")
        body += "\n\n" + _("Questions: %(email)s") % {"email": settings.PRIVACY_CONTACT_EMAIL}
        send_mail(subject, body, None, [address])
