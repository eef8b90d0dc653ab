from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet

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
