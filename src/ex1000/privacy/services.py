from django.db import transaction
from django.utils import timezone

from ex1000.core.errors import AppError

from .error_codes import PrivacyError
from .models import PolicyAcceptance, PolicyVersion
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
