from base64 import b32encode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ex1000.core.timezones import zone_of

from .models import (
    Company,
    QualificationDocument,
    Role,
    User,
    VerificationRequest,
    VerificationStatus,
)


def verification_requests(*, status: str | None = None) -> QuerySet[VerificationRequest]:
    queryset = VerificationRequest.objects.select_related("user", "company").prefetch_related(
        Prefetch("documents", queryset=QualificationDocument.objects.order_by("uploaded_at"))
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("submitted_at")


def latest_verification(user: User) -> VerificationRequest | None:
    if user.company_id is None:
        return None
    return (
        VerificationRequest.objects.filter(company_id=user.company_id)
        .order_by("-submitted_at", "-pk")
        .first()
    )


def verification_status(user: User) -> tuple[str, str]:
    latest = latest_verification(user)
    if latest is None:
        return VerificationStatus.UNVERIFIED, ""
    return latest.status, latest.reason


def documents_visible_to(user: User) -> QuerySet[QualificationDocument]:
    """Operators see every document; everybody else only their own."""
    if not user.is_authenticated:
        return QualificationDocument.objects.none()
    if user.is_staff:
        return QualificationDocument.objects.all()
    return QualificationDocument.objects.filter(user=user)


def supplier_users(company_id: int) -> QuerySet[User]:
    """The active users of a supplier company: who hears of its inquiries and orders."""
    return User.objects.filter(company_id=company_id, role=Role.SUPPLIER, is_active=True)


def time_zone_of(user) -> ZoneInfo:
    """The zone the user's times are shown in: the one they chose, else their country's
    main zone (KZ → Asia/Almaty), else UTC (also for anonymous visitors)."""
    if not getattr(user, "is_authenticated", False):
        return ZoneInfo("UTC")
    return zone_of(user)


def verified_partner_companies() -> QuerySet[Company]:
    """Verified companies of logistics partners: who a shipment may be assigned to."""
    return (
        Company.objects.filter(
            verification_status=VerificationStatus.APPROVED, members__role=Role.LOGISTICS
        )
        .distinct()
        .order_by("name")
    )


# Two-factor authentication (django-otp): one TOTP device, confirmed once the user typed a
# code from it, and a static device holding the unused recovery codes.


def two_factor_required(user) -> bool:
    """settings.TWO_FACTOR_REQUIRED_ROLES names roles; "staff" stands for operators and
    superusers (every account that reaches the admin or the ops pages)."""
    roles = set(settings.TWO_FACTOR_REQUIRED_ROLES)
    return user.role in roles or ("staff" in roles and (user.is_staff or user.is_superuser))


def two_factor_enabled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_two_factor(user) -> TOTPDevice | None:
    """The device of a set-up begun and not yet confirmed with a code."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def two_factor_since(user):
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device.created_at if device else None


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_missing(user, *, session_verified: bool | None) -> str | None:
    """What stands between a logged-in user and the site: "enrol" (their role needs
    two-factor and they have none), "verify" (they have it and this session has not given
    a code yet), or None. ``session_verified``: django-otp's is_verified() for a session
    (true only while its device exists, so nothing more to check); None for an API token,
    which is issued with the code whenever two-factor is on."""
    if not user.is_authenticated or session_verified:
        return None
    required = two_factor_required(user)
    if session_verified is None and not required:
        return None
    if two_factor_enabled(user):
        return "verify" if session_verified is False else None
    return "enrol" if required else None


def b32_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps ask it typed: base32, no padding."""
    return b32encode(device.bin_key).decode().rstrip("=")
