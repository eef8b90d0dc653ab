from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY, authenticate
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError
from ex1000.core.events import record_event
from ex1000.core.http import client_ip

from . import selectors, tasks
from .consents import PURPOSES, Purpose, parse_purpose
from .error_codes import PrivacyError
from .models import Consent, ExportJob, ExportStatus, PolicyAcceptance, PolicyVersion
from .selectors import CACHE_ATTR, ConsentState, consent_states, current_policy


def require_current_policy(version: str | None) -> PolicyVersion:
    """Registration and re-acceptance must name the version in force, not an old one."""
    policy = current_policy()
    if policy is None:
        raise AppError(PrivacyError.NO_POLICY)
    if version != policy.version:
        raise AppError(
            PrivacyError.CURRENT_POLICY_REQUIRED,
            errors={"accepted_policy_version": [PrivacyError.CURRENT_POLICY_REQUIRED]},
            version=policy.version,
        )
    return policy


@transaction.atomic
def accept_policy(*, user, policy: PolicyVersion, ip: str | None, user_agent: str = ""):
    """Record the acceptance; the first one (registration) also records the consents that
    accepting the policy grants (privacy.consents: logistics sharing, overseas storage)."""
    acceptance, created = PolicyAcceptance.objects.get_or_create(
        user=user,
        policy=policy,
        defaults={"accepted_at": timezone.now(), "ip": ip, "user_agent": user_agent[:300]},
    )
    if created:
        record_event(
            user,
            "policy_accepted",
            actor=user,
            ip=ip,
            user_agent=user_agent,
            version=policy.version,
        )
        recorded = set(Consent.objects.filter(user=user).values_list("purpose", flat=True))
        for purpose, info in PURPOSES.items():
            if info.default and purpose not in recorded:
                _append_consent(
                    user=user,
                    purpose=purpose,
                    granted=True,
                    ip=ip,
                    user_agent=user_agent,
                    policy=policy,
                    source=Consent.Source.POLICY,
                )
    return acceptance


def publish_policy(
    *,
    version: str,
    text: str,
    material: bool = False,
    summary: str = "",
    translations: dict[str, str] | None = None,
    notify: bool = True,
) -> PolicyVersion:
    """Publish a version (never edited afterwards) and announce it to every active user.

    The announcement runs as a task after commit (one notice per user, in their language,
    in-app and by email), never inside the request. A material version must then be
    accepted again (privacy.middleware)."""
    with transaction.atomic():
        if PolicyVersion.objects.filter(version=version).exists():
            raise AppError(PrivacyError.POLICY_VERSION_EXISTS, version=version)
        try:
            with transaction.atomic():
                policy = PolicyVersion.objects.create(
                    version=version,
                    text=text,
                    material=material,
                    summary=summary,
                    translations=dict(translations or {}),
                )
        except IntegrityError:  # published concurrently under the same number
            raise AppError(PrivacyError.POLICY_VERSION_EXISTS, version=version) from None
        record_event(policy, "policy_published", version=version, material=material)
        forget_blocking_policy()
        transaction.on_commit(forget_blocking_policy)
        if notify:
            policy_id = policy.pk
            transaction.on_commit(lambda: tasks.announce_policy.enqueue(policy_id), robust=True)
    return policy


def forget_blocking_policy() -> None:
    cache.delete(selectors.BLOCKING_POLICY_KEY)


def has_consent(user, purpose: Purpose | str) -> bool:
    """Whether the user currently consents to ``purpose``: the one check every feature
    makes (one query, remembered for the request)."""
    return consent_states(user)[Purpose(purpose)].granted


def _append_consent(*, user, purpose: Purpose, granted: bool, ip, user_agent, policy, source):
    row = Consent.objects.create(
        user=user,
        purpose=purpose,
        granted=granted,
        ip=ip or None,
        user_agent=(user_agent or "")[:300],
        policy=policy,
        source=source,
    )
    record_event(
        user,
        "consent_granted" if granted else "consent_withdrawn",
        actor=user,
        ip=ip,
        user_agent=user_agent,
        purpose=str(purpose),
        policy_version=policy.version if policy else None,
        source=str(source),
    )
    states = getattr(user, CACHE_ATTR, None)
    if states is not None:
        states[purpose] = ConsentState(purpose, granted, row.at)
    return row


@transaction.atomic
def set_consent(
    *, user, purpose: str, granted: bool, ip: str | None = None, user_agent: str = ""
) -> Consent | None:
    """Grant or withdraw a purpose: a new ledger row and an event, effective at once.

    Repeating the current state writes nothing (returns None) unless it was only the
    default, which is then recorded as the user's own choice."""
    parsed = parse_purpose(purpose)
    if parsed is None:
        raise AppError(
            PrivacyError.UNKNOWN_CONSENT_PURPOSE,
            errors={"purpose": [PrivacyError.UNKNOWN_CONSENT_PURPOSE]},
            purpose=purpose,
            choices=", ".join(Purpose),
        )
    state = consent_states(user)[parsed]
    if state.granted == granted and state.updated_at is not None:
        return None
    return _append_consent(
        user=user,
        purpose=parsed,
        granted=granted,
        ip=ip,
        user_agent=user_agent,
        policy=current_policy(),
        source=Consent.Source.USER,
    )


# --- access and export ---------------------------------------------------------------

REAUTH_SESSION_KEY = "privacy_reauthenticated_at"
LOGIN_SESSION_KEY = "privacy_logged_in_at"
EXPORT_SALT = "ex1000.privacy.export"
STUCK_AFTER = timedelta(hours=1)


def reauth_minutes() -> int:
    return settings.PRIVACY_REAUTH_MINUTES


def remember_login(sender, request, user, **kwargs) -> None:
    """On a page login (user_logged_in), note the time in that session: a fresh login
    counts as re-authentication for a few minutes. A token login has no session of its own."""
    session = getattr(request, "session", None)
    if session is not None and session.get(SESSION_KEY) == str(user.pk):
        session[LOGIN_SESSION_KEY] = timezone.now().timestamp()


def confirm_password(*, request: HttpRequest, user, password: str) -> None:
    """Re-authentication: the user's password again, counted by django-axes like a login."""
    checked = authenticate(request, email=user.email, password=password or "")
    if getattr(request, "axes_locked_out", False):
        raise AppError(PrivacyError.EXPORT_LOCKED_OUT)
    if checked is None or checked.pk != user.pk:
        raise AppError(
            PrivacyError.WRONG_PASSWORD, errors={"password": [PrivacyError.WRONG_PASSWORD]}
        )
    session = getattr(request, "session", None)
    if session is not None and not getattr(request, "bearer_token", None):
        session[REAUTH_SESSION_KEY] = timezone.now().timestamp()


def recently_authenticated(request: HttpRequest) -> bool:
    """A bearer token was issued for a password; a session must have logged in or entered
    the password again within PRIVACY_REAUTH_MINUTES."""
    if getattr(request, "bearer_token", None):
        return True
    session = getattr(request, "session", None)
    if session is None:
        return False
    limit = timezone.now().timestamp() - reauth_minutes() * 60
    return any(session.get(key, 0) >= limit for key in (REAUTH_SESSION_KEY, LOGIN_SESSION_KEY))


def require_recent_authentication(request: HttpRequest) -> None:
    if not recently_authenticated(request):
        raise AppError(PrivacyError.REAUTHENTICATION_REQUIRED)


def request_export(*, request: HttpRequest, user, password: str) -> ExportJob:
    """Check the password, then prepare the ZIP in the background. While one export is
    being prepared, asking again returns it rather than starting a second."""
    # Outside the transaction: a wrong password must stay counted by django-axes.
    confirm_password(request=request, user=user, password=password)
    return _start_export(request=request, user=user)


@transaction.atomic
def _start_export(*, request: HttpRequest, user) -> ExportJob:
    from .export_tasks import build_export

    running = (
        ExportJob.objects.select_for_update()
        .filter(
            user=user,
            status__in=[ExportStatus.PENDING, ExportStatus.RUNNING],
            created_at__gte=timezone.now() - STUCK_AFTER,  # a lost task does not block
        )
        .first()
    )
    if running is not None:
        return running
    job = ExportJob.objects.create(user=user)
    record_event(
        job,
        "privacy.export_requested",
        actor=user,
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    transaction.on_commit(lambda: build_export.enqueue(job_id=job.pk))
    return job


def download_token(job: ExportJob) -> str:
    return signing.dumps({"job": job.pk, "user": job.user_id}, salt=EXPORT_SALT)


def export_for_download(*, user, job_id: int, token: str) -> ExportJob:
    """The user's ready export named by a link signed for them less than a day ago."""
    from .export_tasks import link_hours

    job = ExportJob.objects.filter(user=user, pk=job_id).first()
    if job is None:
        raise AppError(CoreError.NOT_FOUND)
    try:
        claims = signing.loads(token or "", salt=EXPORT_SALT, max_age=link_hours() * 3600)
    except signing.SignatureExpired as exc:
        raise AppError(PrivacyError.EXPORT_EXPIRED) from exc
    except signing.BadSignature as exc:
        raise AppError(CoreError.NOT_FOUND) from exc
    if claims != {"job": job.pk, "user": user.pk}:
        raise AppError(CoreError.NOT_FOUND)
    if job.status in (ExportStatus.PENDING, ExportStatus.RUNNING):
        raise AppError(PrivacyError.EXPORT_NOT_READY)
    if not job.downloadable:
        raise AppError(PrivacyError.EXPORT_EXPIRED)
    return job


def record_export_download(*, request: HttpRequest, user, job: ExportJob | None) -> None:
    record_event(
        job if job is not None else user,
        "privacy.export_downloaded",
        actor=user,
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )


def expire_exports(now=None) -> int:
    """Scheduled: remove the ZIPs whose link has expired (idempotent)."""
    now = now or timezone.now()
    expired = 0
    for job in ExportJob.objects.filter(status=ExportStatus.READY, expires_at__lte=now):
        if job.file:
            job.file.delete(save=False)
        job.status, job.size = ExportStatus.EXPIRED, 0
        job.save(update_fields=["status", "file", "size"])
        expired += 1
    return expired
