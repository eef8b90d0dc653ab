from django.db import transaction
from django.utils import timezone

from ex1000.core.errors import ValidationFailed

from .models import PolicyAcceptance, PolicyVersion
from .selectors import current_policy


def require_current_policy(version: str | None) -> PolicyVersion:
    """Registration and re-acceptance must name the version in force, not an old one."""
    policy = current_policy()
    if policy is None:
        raise ValidationFailed("No privacy policy has been published yet.", status=409)
    if version != policy.version:
        raise ValidationFailed(
            f"You must accept the current privacy policy (version {policy.version}).",
            errors={"accepted_policy_version": [f"must be {policy.version}"]},
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
