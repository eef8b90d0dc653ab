"""Emails of accounts, sent by a worker after the change commits, never inside the request."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Role, User, VerificationRequest, VerificationStatus


@task()
def email_verification_link(user_id: int) -> None:
    from .services import email_verification_token

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.email_verified_at is not None:
        return
    link = settings.SITE_URL + reverse(
        "accounts:verify_email", args=[email_verification_token(user)]
    )
    with translation.override(user.language):
        send_mail(
            _("Confirm your email address for EX1000"),
            _("Welcome to EX1000. Open this link to confirm your email address:\n\n%(link)s\n")
            % {"link": link},
            None,
            [user.email],
        )


@task()
def email_verification_result(request_id: int) -> None:
    request = (
        VerificationRequest.objects.select_related("company", "user").filter(pk=request_id).first()
    )
    if request is None or not request.user.is_active:
        return
    user = request.user
    with translation.override(user.language):
        if request.status == VerificationStatus.APPROVED:
            subject = _("Your company is verified on EX1000")
            if user.role == Role.LOGISTICS:
                text = _(
                    "%(company)s has been verified. Suppliers and operators can now assign "
                    "shipments to it; you will find them under My shipments."
                )
            elif user.role == Role.SUPPLIER:
                text = _("%(company)s has been verified. You can now publish listings.")
            else:
                text = _("%(company)s has been verified.")
            body = text % {"company": request.company.name}
        else:
            subject = _("Your EX1000 verification was not approved")
            body = _(
                "%(company)s could not be verified.\n\nReason: %(reason)s\n\n"
                "You can upload corrected documents from your profile."
            ) % {"company": request.company.name, "reason": request.reason}
        send_mail(subject, body, None, [user.email])


@task()
def email_password_reset(user_id: int) -> None:
    from .services import password_reset_token

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    link = settings.SITE_URL + reverse("accounts:password_reset", args=[password_reset_token(user)])
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    with translation.override(user.language):
        send_mail(
            _("Reset your EX1000 password"),
            _(
                "Someone (we hope you) asked to reset the password of your EX1000 account. "
                "Open this link within %(hours)s hours to choose a new one; it works once:"
                "\n\n%(link)s\n\nIf it was not you, ignore this email: your password "
                "stays as it is."
            )
            % {"link": link, "hours": hours},
            None,
            [user.email],
        )


@task()
def email_change_link(user_id: int, address: str) -> None:
    """To the new address: the link that makes it the login address (none when a later
    request replaced it before the worker got here)."""
    from .services import email_change_token

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.pending_email != address:
        return
    link = settings.SITE_URL + reverse(
        "accounts:confirm_email_change", args=[email_change_token(user)]
    )
    with translation.override(user.language):
        send_mail(
            _("Confirm your new email address for EX1000"),
            _(
                "You asked to log in to EX1000 with this address from now on. Open this link "
                "within %(days)s days to confirm it:\n\n%(link)s\n\nIf it was not you, ignore "
                "this email: nothing changes."
            )
            % {"link": link, "days": settings.EMAIL_VERIFICATION_MAX_AGE_DAYS},
            None,
            [user.pending_email],
        )


@task()
def email_change_notice(user_id: int, address: str, new_address: str, done: bool) -> None:
    """To the old address: a change was asked for, or made — so a stolen password that
    tries to take the account away does not go unnoticed."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    with translation.override(user.language):
        if done:
            subject = _("Your EX1000 login address has changed")
            body = _(
                "Your EX1000 account now logs in with %(email)s; this address gets no more "
                "emails from it. If you did not do this, reset your password and write to us "
                "at once."
            )
        else:
            subject = _("A new login address was asked for your EX1000 account")
            body = _(
                "Someone logged in to your EX1000 account asked to log in with %(email)s from "
                "now on. Nothing changes until that address confirms it. If it was not you, "
                "change your password now."
            )
        send_mail(subject, body % {"email": new_address}, None, [address])
