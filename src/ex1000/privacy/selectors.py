from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache

from .consents import PURPOSES, Purpose
from .models import Consent, ExportJob, PolicyAcceptance, PolicyVersion

# The policy that must have been accepted, cached: the re-consent middleware asks on every
# request. publish_policy deletes the key; the timeout bounds staleness on a per-process cache.
BLOCKING_POLICY_KEY = "privacy:blocking-policy:v1"
BLOCKING_POLICY_TIMEOUT = 60
_NONE = "none"


def current_policy() -> PolicyVersion | None:
    return PolicyVersion.objects.order_by("-published_at").first()


def policy_versions():
    return PolicyVersion.objects.order_by("-published_at")


@dataclass(frozen=True)
class BlockingPolicy:
    """The latest material version; accepting it or any later version satisfies it."""

    version: str
    published_at: datetime
    satisfying_ids: tuple[int, ...]


def blocking_policy() -> BlockingPolicy | None:
    cached = cache.get(BLOCKING_POLICY_KEY)
    if cached is None:
        cached = _load_blocking_policy() or _NONE
        cache.set(BLOCKING_POLICY_KEY, cached, BLOCKING_POLICY_TIMEOUT)
    return None if cached == _NONE else cached


def _load_blocking_policy() -> BlockingPolicy | None:
    material = PolicyVersion.objects.filter(material=True).order_by("-published_at").first()
    if material is None:
        return None
    ids = PolicyVersion.objects.filter(published_at__gte=material.published_at).values_list(
        "pk", flat=True
    )
    return BlockingPolicy(material.version, material.published_at, tuple(ids))


def acceptance_pending(user) -> BlockingPolicy | None:
    """The material version the user must accept before going on, or None.

    A material version published after the user joined and not accepted (nor any later
    version) blocks; users who joined later accepted the version in force at registration.
    At most one indexed query, and none for users who joined after the last material change.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    blocking = blocking_policy()
    if blocking is None:
        return None
    joined = getattr(user, "date_joined", None)
    if joined is not None and joined >= blocking.published_at:
        return None
    accepted = PolicyAcceptance.objects.filter(
        user_id=user.pk, policy_id__in=blocking.satisfying_ids
    ).exists()
    return None if accepted else blocking


def has_accepted(user, policy: PolicyVersion) -> bool:
    return PolicyAcceptance.objects.filter(user_id=user.pk, policy=policy).exists()


@dataclass(frozen=True)
class ConsentState:
    purpose: Purpose
    granted: bool
    updated_at: datetime | None  # None: the default, no ledger row yet

    @property
    def info(self):
        return PURPOSES[self.purpose]


CACHE_ATTR = "_privacy_consents"


def consent_states(user) -> dict[Purpose, ConsentState]:
    """Every purpose's current state: the latest ledger row, else its default. One query,
    remembered on the user object (i.e. for the request); set_consent keeps it current."""
    cached = getattr(user, CACHE_ATTR, None)
    if cached is not None:
        return cached
    states = {p: ConsentState(p, info.default, None) for p, info in PURPOSES.items()}
    seen: set[str] = set()
    rows = Consent.objects.filter(user_id=user.pk).order_by("-at", "-id")
    for purpose, granted, at in rows.values_list("purpose", "granted", "at"):
        if purpose in seen or purpose not in states:
            continue
        seen.add(purpose)
        states[Purpose(purpose)] = ConsentState(Purpose(purpose), granted, at)
        if len(seen) == len(states):
            break
    setattr(user, CACHE_ATTR, states)
    return states


def consent_ledger(user):
    return Consent.objects.filter(user_id=user.pk).select_related("policy").order_by("-at", "-id")


def export_jobs_of(user):
    return ExportJob.objects.filter(user=user)
