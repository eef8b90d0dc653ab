"""Requests and complaints: every change of a privacy ticket, and the reads of the queue.

A ticket is opened by its user (access, correction, deletion, complaint) or by anyone
through the feedback form; operators answer it within ``PRIVACY_REQUEST_DUE_DAYS`` and a
refusal always gives its reason. A deletion is confirmed twice: the request, then the
one-time code from the email; the confirmation locks the account at once and schedules the
erasure after the grace period (privacy.md, "How operators and scripts drive it").
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import get_language

from ex1000.core import ratelimit
from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError, FieldError
from ex1000.core.events import SYSTEM, record_event
from ex1000.core.personal_data import declaration

from . import erasure, hooks
from . import ticket_tasks as tasks
from .error_codes import PrivacyError
from .models import CLOSED_STATUSES, PrivacyRequest, RequestStatus, RequestType

logger = logging.getLogger(__name__)

USER_TYPES = (
    RequestType.ACCESS,
    RequestType.CORRECTION,
    RequestType.DELETION,
    RequestType.COMPLAINT,
    RequestType.FEEDBACK,
)
FEEDBACK_TYPES = (RequestType.FEEDBACK, RequestType.COMPLAINT)
DECISIONS = ("start", "complete", "refuse")
TEXT_MAX = 5000
TOKEN_SALT = "ex1000.privacy.deletion-confirmation"

# ---------------------------------------------------------------- correctable fields

_TEXT_TYPES = {"CharField", "TextField", "EmailField"}


def _user_model():
    return apps.get_model(settings.AUTH_USER_MODEL)


def _generic_user_fields() -> dict[str, models.Field]:
    """Fields of the user model a correction may change without help from its app: the
    declared, exported, editable text fields (not the password, not timestamps)."""
    model = _user_model()
    declared = declaration(model)
    found = {}
    for name, personal in declared.fields.items() if declared else ():
        try:
            field = model._meta.get_field(name)
        except Exception:  # a declaration the system check reports
            continue
        if (
            personal.exported
            and field.editable
            and not field.is_relation
            and field.get_internal_type() in _TEXT_TYPES
        ):
            found[name] = field
    return found


def correctable_fields() -> dict[str, str]:
    """field name → label, for the correction form and the API's error message."""
    labels = {name: str(f.verbose_name) for name, f in _generic_user_fields().items()}
    labels.update({name: str(target.label) for name, target in hooks.correction_targets.items()})
    return labels


def _check_correction(field: str, value: str) -> tuple[str, str]:
    field = (field or "").strip()
    if not field:
        return "", ""
    choices = correctable_fields()
    if field not in choices:
        raise AppError(
            PrivacyError.FIELD_NOT_CORRECTABLE,
            errors={"field": [PrivacyError.FIELD_NOT_CORRECTABLE]},
            choices=sorted(choices),
        )
    value = (value or "").strip()
    if not value:
        raise AppError(CoreError.VALIDATION, errors={"value": [CoreError.REQUIRED]})
    generic = _generic_user_fields()
    if field in generic and field not in hooks.correction_targets:
        try:
            generic[field].clean(value, None)
        except ValidationError as exc:
            raise _invalid_correction(exc) from exc
    return field, value


def _invalid_correction(exc: ValidationError) -> AppError:
    message = " ".join(str(m) for m in exc.messages)
    return AppError(
        PrivacyError.CORRECTION_INVALID,
        errors={"value": [PrivacyError.CORRECTION_INVALID]},
        message=message,
    )


def _apply_correction(user, field: str, value: str) -> tuple[str, str]:
    """Change the field (the app's own hook for its locked fields, else the user model);
    returns the old and the new value for the audit record."""
    try:
        if field in hooks.correction_targets:
            return hooks.correction_targets[field].apply(user, value)
        model_field = _generic_user_fields().get(field)
        if model_field is None:
            raise AppError(
                PrivacyError.FIELD_NOT_CORRECTABLE,
                errors={"field": [PrivacyError.FIELD_NOT_CORRECTABLE]},
                choices=sorted(correctable_fields()),
            )
        old = getattr(user, field)
        new = model_field.clean(value, user)
        setattr(user, field, new)
        others = [f.name for f in user._meta.concrete_fields if f.name != field]
        user.validate_unique(exclude=others)
        user.validate_constraints(exclude=others)  # e.g. the e-mail, case-insensitively
        user.save(update_fields=[field])
        return str(old or ""), str(new or "")
    except ValidationError as exc:
        raise _invalid_correction(exc) from exc


# ---------------------------------------------------------------- opening a request


def _due(now):
    return now + timedelta(days=settings.PRIVACY_REQUEST_DUE_DAYS)


def _text(text: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise AppError(CoreError.VALIDATION, errors={"text": [CoreError.REQUIRED]})
    if len(text) > TEXT_MAX:
        raise AppError(
            CoreError.VALIDATION, errors={"text": [FieldError(CoreError.TOO_LONG, count=TEXT_MAX)]}
        )
    return text


def _check_type(value: str, allowed) -> RequestType:
    if value not in allowed:
        raise AppError(
            CoreError.INVALID_CHOICE,
            errors={"type": [CoreError.INVALID_CHOICE]},
            choices=[str(t) for t in allowed],
        )
    return RequestType(value)


def deletion_token(request: PrivacyRequest) -> str:
    """The one-time code mailed for a deletion: derived from the ticket's current nonce, so
    neither the queue nor the database holds a usable code, and a new nonce voids the old."""
    return salted_hmac(
        TOKEN_SALT, f"{request.pk}:{request.confirmation_nonce}", algorithm="sha256"
    ).hexdigest()[:24]


def _issue_confirmation(request: PrivacyRequest, now) -> None:
    request.confirmation_nonce = secrets.token_hex(16)
    request.confirmation_expires_at = now + timedelta(hours=settings.PRIVACY_DELETION_TOKEN_HOURS)
    pk = request.pk

    def send():
        tasks.email_deletion_confirmation.enqueue(pk)

    # robust: the request is recorded; a mail hiccup must not turn the answer into a 500.
    transaction.on_commit(send, robust=True)


@transaction.atomic
def open_request(
    *,
    user,
    type: str,
    text: str = "",
    field: str = "",
    value: str = "",
    ip: str | None = None,
    user_agent: str = "",
) -> PrivacyRequest:
    """A user's ticket. A deletion waits for the emailed code; asking again sends a new one."""
    kind = _check_type(type, USER_TYPES)
    text = _text(text, required=kind in FEEDBACK_TYPES)
    if kind == RequestType.CORRECTION:
        field, value = _check_correction(field, value)
        if not field and not text:
            raise AppError(CoreError.VALIDATION, errors={"text": [CoreError.REQUIRED]})
    else:
        field, value = "", ""
    now = timezone.now()
    if kind == RequestType.DELETION:
        # Serialise with a concurrent request of the same user: lock their open deletions.
        existing = list(
            PrivacyRequest.objects.select_for_update()
            .filter(
                user=user,
                type=RequestType.DELETION,
                status__in=(RequestStatus.AWAITING_CONFIRMATION, RequestStatus.SCHEDULED),
            )
            .order_by("-created_at")
        )
        if any(r.status == RequestStatus.SCHEDULED for r in existing):
            raise AppError(PrivacyError.DELETION_ALREADY_SCHEDULED)
        if existing:
            request = existing[0]
            if text:
                request.text = text
            _issue_confirmation(request, now)
            request.save()
            record_event(
                request,
                "privacy_request.confirmation_resent",
                actor=user,
                ip=ip,
                user_agent=user_agent,
            )
            return request
    request = PrivacyRequest(
        user=user,
        language=user.language or settings.LANGUAGE_CODE,
        type=kind,
        status=(
            RequestStatus.AWAITING_CONFIRMATION
            if kind == RequestType.DELETION
            else RequestStatus.PENDING
        ),
        text=text,
        field=field,
        value=value,
        created_at=now,
        due_at=_due(now),
    )
    request.save()
    if kind == RequestType.DELETION:
        _issue_confirmation(request, now)
        request.save(update_fields=["confirmation_nonce", "confirmation_expires_at"])
    record_event(
        request,
        "privacy_request.opened",
        actor=user,
        ip=ip,
        user_agent=user_agent,
        to_state=request.status,
        request_type=str(kind),
        field=field,
    )
    return request


def feedback_allowed(key: str) -> bool:
    """At most PRIVACY_FEEDBACK_PER_HOUR tickets an hour per address or user: the form is
    open to anyone, so it must not be a way to flood the operators' queue."""
    limit = settings.PRIVACY_FEEDBACK_PER_HOUR
    return ratelimit.consume("privacy-feedback", key, limit=limit, window=3600) is None


@transaction.atomic
def submit_feedback(
    *,
    user=None,
    text: str,
    type: str = RequestType.FEEDBACK,
    email: str = "",
    ip: str | None = None,
    user_agent: str = "",
) -> PrivacyRequest:
    """Feedback or a complaint from anyone; a visitor leaves an email for the answer."""
    kind = _check_type(type or RequestType.FEEDBACK, FEEDBACK_TYPES)
    text = _text(text, required=True)
    signed_in = user is not None and user.is_authenticated
    email = (email or "").strip()
    if not signed_in:
        if not email:
            raise AppError(
                PrivacyError.CONTACT_EMAIL_REQUIRED,
                errors={"email": [PrivacyError.CONTACT_EMAIL_REQUIRED]},
            )
        try:
            validate_email(email)
        except ValidationError as exc:
            raise AppError(
                CoreError.VALIDATION, errors={"email": [CoreError.INVALID_FORMAT]}
            ) from exc
    now = timezone.now()
    language = (user.language if signed_in else "") or get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    request = PrivacyRequest.objects.create(
        user=user if signed_in else None,
        contact_email="" if signed_in else email[:254],
        language=language,
        type=kind,
        text=text,
        created_at=now,
        due_at=_due(now),
    )
    record_event(
        request,
        "privacy_request.opened",
        actor=user if signed_in else SYSTEM,
        ip=ip,
        user_agent=user_agent,
        to_state=request.status,
        request_type=str(kind),
        anonymous=not signed_in,
    )
    return request


# ---------------------------------------------------------------- confirming a deletion


def lock_account(user, *, request: PrivacyRequest | None = None, ip: str | None = None) -> None:
    """No more logins, sessions or API tokens, at once. Inactive users are refused by
    Django's authentication backends and session lookup; the hooks revoke the tokens."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    for hook in hooks.lock_account:
        hook(user)
    record_event(
        user,
        "account.locked",
        actor=user,
        ip=ip,
        reason="deletion_confirmed",
        request=request.pk if request else None,
    )


@transaction.atomic
def confirm_deletion(
    *, user, request_id: int, token: str, ip: str | None = None, user_agent: str = ""
) -> PrivacyRequest:
    request = PrivacyRequest.objects.select_for_update().filter(pk=request_id, user=user).first()
    if request is None:
        raise AppError(CoreError.NOT_FOUND)
    if request.type != RequestType.DELETION or request.status != (
        RequestStatus.AWAITING_CONFIRMATION
    ):
        raise AppError(PrivacyError.NOT_AWAITING_CONFIRMATION)
    given = (token or "").strip()
    if not (
        request.confirmation_nonce
        and given
        and constant_time_compare(given, deletion_token(request))
    ):
        raise AppError(
            PrivacyError.CONFIRMATION_INVALID,
            errors={"token": [PrivacyError.CONFIRMATION_INVALID]},
        )
    now = timezone.now()
    if request.confirmation_expires_at is None or request.confirmation_expires_at <= now:
        raise AppError(
            PrivacyError.CONFIRMATION_EXPIRED,
            errors={"token": [PrivacyError.CONFIRMATION_EXPIRED]},
        )
    request.status = RequestStatus.SCHEDULED
    request.confirmed_at = now
    request.scheduled_for = now + timedelta(days=settings.PRIVACY_DELETION_GRACE_DAYS)
    request.confirmation_nonce = ""  # one time: the code is void from now on
    request.confirmation_expires_at = None
    request.save()
    record_event(
        request,
        "privacy_request.confirmed",
        actor=user,
        ip=ip,
        user_agent=user_agent,
        from_state=RequestStatus.AWAITING_CONFIRMATION,
        to_state=RequestStatus.SCHEDULED,
        scheduled_for=request.scheduled_for.isoformat(),
    )
    lock_account(user, request=request, ip=ip)
    return request


def scheduled_deletion_for_login(*, email: str, password: str) -> PrivacyRequest | None:
    """The scheduled deletion that locks this account, when the right password is given
    (privacy.md: "the user can cancel during the grace period by logging in again");
    ``None`` for anything else: a wrong password, another lock, an erasure already done."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    user = user_model._base_manager.filter(email__iexact=(email or "").strip()).first()
    if user is None or user.is_active or not password or not user.check_password(password):
        return None
    if erasure.is_erased(user):
        return None
    return (
        PrivacyRequest.objects.select_related("user")
        .filter(user=user, type=RequestType.DELETION, status=RequestStatus.SCHEDULED)
        .first()
    )


@transaction.atomic
def cancel_deletion(request: PrivacyRequest, *, ip: str | None = None, user_agent: str = ""):
    """The owner logs in again during the grace period and asks to keep the account: it is
    reopened (the API tokens revoked at the lock stay revoked); returns the user."""
    request = (
        PrivacyRequest.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=request.pk)
    )
    if request.status != RequestStatus.SCHEDULED or request.user is None:
        raise AppError(PrivacyError.REQUEST_CLOSED, status=request.get_status_display())
    user = request.user
    request.status = RequestStatus.CANCELLED
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    user.is_active = True
    user.save(update_fields=["is_active"])
    record_event(
        request,
        "privacy_request.cancelled",
        actor=user,
        ip=ip,
        user_agent=user_agent,
        from_state=RequestStatus.SCHEDULED,
        to_state=RequestStatus.CANCELLED,
    )
    record_event(user, "account.reopened", actor=user, ip=ip, reason="deletion_cancelled")
    return user


# ---------------------------------------------------------------- the operator's decision


@transaction.atomic
def decide_request(
    *,
    request_id: int,
    operator,
    decision: str,
    reason: str = "",
    reply: str = "",
    ip: str | None = None,
    user_agent: str = "",
) -> PrivacyRequest:
    """Take a ticket (``start``), answer it (``complete``) or refuse it with a reason.

    Completing a correction that names a field applies it and records old and new value.
    The requester is emailed the answer in their language once the change commits.
    """
    if not operator.is_staff:
        raise AppError(CoreError.OPERATORS_ONLY)
    if decision not in DECISIONS:
        raise AppError(
            CoreError.INVALID_CHOICE,
            errors={"decision": [CoreError.INVALID_CHOICE]},
            choices=list(DECISIONS),
        )
    reason = _text(reason, required=False)
    reply = _text(reply, required=False)
    if decision == "refuse" and not reason:
        raise AppError(
            PrivacyError.REASON_REQUIRED, errors={"reason": [PrivacyError.REASON_REQUIRED]}
        )
    request = (
        PrivacyRequest.objects.select_for_update(of=("self",))  # user is nullable (feedback)
        .select_related("user")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise AppError(CoreError.NOT_FOUND)
    if request.status in CLOSED_STATUSES:
        raise AppError(PrivacyError.REQUEST_CLOSED, status=request.get_status_display())
    if request.type == RequestType.DELETION and (
        decision == "complete" or request.status == RequestStatus.SCHEDULED
    ):
        raise AppError(PrivacyError.DECIDED_BY_ERASURE)
    before = request.status
    now = timezone.now()
    if decision == "start":
        if request.status != RequestStatus.PENDING:
            raise AppError(CoreError.CONFLICT)
        request.status = RequestStatus.IN_PROGRESS
        request.handled_by = operator
        request.save(update_fields=["status", "handled_by"])
        record_event(
            request,
            "privacy_request.started",
            actor=operator,
            ip=ip,
            user_agent=user_agent,
            from_state=before,
            to_state=request.status,
        )
        return request
    if decision == "complete" and request.type == RequestType.CORRECTION and request.field:
        if request.user is None:
            raise AppError(CoreError.CONFLICT)
        old, new = _apply_correction(request.user, request.field, request.value)
        record_event(
            request.user,
            "personal_data.corrected",
            actor=operator,
            ip=ip,
            user_agent=user_agent,
            field=request.field,
            old=old,
            new=new,
            request=request.pk,
        )
    request.status = RequestStatus.COMPLETED if decision == "complete" else RequestStatus.REFUSED
    request.handled_by = operator
    request.decided_at = now
    request.reason = reason if decision == "refuse" else ""
    request.reply = reply
    request.confirmation_nonce = ""
    request.confirmation_expires_at = None
    request.save()
    record_event(
        request,
        "privacy_request.decided",
        actor=operator,
        ip=ip,
        user_agent=user_agent,
        note=request.reason,
        from_state=before,
        to_state=request.status,
    )
    pk = request.pk
    transaction.on_commit(lambda: tasks.email_request_answer.enqueue(pk), robust=True)
    return request


# ---------------------------------------------------------------- the scheduled erasures


def due_deletions(now=None):
    return PrivacyRequest.objects.filter(
        type=RequestType.DELETION,
        status=RequestStatus.SCHEDULED,
        scheduled_for__lte=now or timezone.now(),
    ).select_related("user")


def process_due_deletions(now=None) -> dict[str, int]:
    """Erase the accounts whose grace period is over (privacy.erasure). A user still party
    to an open order stays scheduled until the last one ends (``waiting``)."""
    due = list(due_deletions(now).values_list("pk", flat=True))
    result = {"due": len(due), "erased": 0, "waiting": 0, "failed": 0}
    for pk in due:
        request = PrivacyRequest.objects.select_related("user").filter(pk=pk).first()
        if request is None or request.status != RequestStatus.SCHEDULED:
            continue
        if request.user is None or erasure.is_erased(request.user):
            PrivacyRequest.objects.filter(pk=pk).update(
                status=RequestStatus.COMPLETED, decided_at=timezone.now()
            )
            continue
        if erasure.blocking(request.user):
            result["waiting"] += 1
            continue
        try:
            erasure.erase_user(request.user, request_id=pk)
        except Exception:  # one failing erasure does not stop the others; retried next run
            logger.exception("erasure of privacy request %s failed", pk)
            result["failed"] += 1
        else:
            result["erased"] += 1
    return result


# ---------------------------------------------------------------- reads


def waiting_for(request: PrivacyRequest) -> list[str]:
    """What a scheduled deletion waits for (the user's open orders), to tell the user."""
    if (
        request.type != RequestType.DELETION
        or request.status != RequestStatus.SCHEDULED
        or request.user is None
    ):
        return []
    return erasure.blocking(request.user)


def requests_of(user):
    return PrivacyRequest.objects.filter(user=user).order_by("-created_at", "-id")


def request_of(user, request_id: int) -> PrivacyRequest:
    request = requests_of(user).filter(pk=request_id).first()
    if request is None:
        raise AppError(CoreError.NOT_FOUND)
    return request


OPEN = "open"  # the operator's filter: pending and in progress


def request_queue(*, status: str | None = None, type: str | None = None):
    """Tickets for operators, the answer due soonest first."""
    queryset = PrivacyRequest.objects.select_related("user", "handled_by").order_by("due_at", "id")
    if status == OPEN:
        queryset = queryset.filter(status__in=(RequestStatus.PENDING, RequestStatus.IN_PROGRESS))
    elif status:
        if status not in RequestStatus.values:
            raise AppError(
                CoreError.INVALID_CHOICE,
                errors={"status": [CoreError.INVALID_CHOICE]},
                choices=[OPEN, *RequestStatus.values],
            )
        queryset = queryset.filter(status=status)
    if type:
        if type not in RequestType.values:
            raise AppError(
                CoreError.INVALID_CHOICE,
                errors={"type": [CoreError.INVALID_CHOICE]},
                choices=RequestType.values,
            )
        queryset = queryset.filter(type=type)
    return queryset
