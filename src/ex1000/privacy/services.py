from datetime import timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY, authenticate
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError
from ex1000.core.events import record_event
from ex1000.core.http import client_ip

from .error_codes import PrivacyError
from .models import ExportJob, ExportStatus, PolicyAcceptance, PolicyVersion
from .selectors import current_policy


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
    acceptance, _ = PolicyAcceptance.objects.get_or_create(
        user=user,
        policy=policy,
        defaults={"accepted_at": timezone.now(), "ip": ip, "user_agent": user_agent[:300]},
    )
    return acceptance


@transaction.atomic
def publish_policy(*, version: str, text: str, material: bool = False, summary: str = ""):
    return PolicyVersion.objects.create(
        version=version, text=text, material=material, summary=summary
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
    from .tasks import build_export

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
    from .tasks import link_hours

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
