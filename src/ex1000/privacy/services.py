from __future__ import annotations

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from ex1000.core.errors import AppError
from ex1000.core.events import record_event

from . import selectors, tasks
from .consents import PURPOSES, Purpose, parse_purpose
from .error_codes import PrivacyError
from .models import Consent, PolicyAcceptance, PolicyVersion
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
