"""Retention (privacy.md, "storage for a reasonable period"): each category's period,
applied by ``enforce_retention`` — the daily schedule job and ``manage.py
enforce_retention [--as-of] [--dry-run]``.

Periods come from ``settings.PRIVACY_RETENTION_DAYS`` (merged over the defaults below).
What privacy holds itself (access records, behaviour events) it purges here; IP
addresses are truncated generically: every ``GenericIPAddressField`` that the registry
declares as ``device_access`` data, on any model, is cut to its /24 (IPv4) or /48 (IPv6)
network once the row is older than ``ip_truncation`` days. A row's age is read from

1. the field named like the address with ``_at`` (``accepted_ip`` → ``accepted_at``),
2. else the row's time of creation: a field named ``at`` or ``created_at``, or the first
   ``DateTimeField`` with ``auto_now_add`` or ``default=timezone.now``;

a model with neither is reported as skipped, never guessed. Data that only its own app
can judge (inquiries, quotes and messages with no order, two years after their last
activity) is purged by hooks those apps register with ``register_retention`` from their
AppConfig.ready(); privacy imports none of them.
"""

from __future__ import annotations

import ipaddress
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from ex1000.core.events import record_event
from ex1000.core.models import Event
from ex1000.core.personal_data import Category, Erasure, registry

from .erasure import purge_expired_holds
from .models import AccessRecord, BehaviourEvent

logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS: dict[str, int] = {
    "access_records": 180,
    "ip_truncation": 30,
    "behaviour_events": 365,
    "inquiries": 730,  # inquiries, quotes and messages with no order, after last activity
}

REMOVED = "removed"
TRUNCATED = "truncated"
SKIPPED = "skipped"
FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    """One line of the retention report."""

    category: str
    action: str  # removed, truncated, skipped, failed
    count: int
    model: str = ""  # "privacy.AccessRecord"
    detail: str = ""

    def __str__(self) -> str:
        where = f" in {self.model}" if self.model else ""
        extra = f" ({self.detail})" if self.detail else ""
        return f"{self.category}: {self.count} {self.action}{where}{extra}"


# A hook: (as_of, days, dry_run) -> the outcomes of what it removed (or would remove).
RetentionHook = Callable[[datetime, dict[str, int], bool], Iterable[Outcome]]
RETENTION_HOOKS: list[RetentionHook] = []


def register_retention(hook: RetentionHook) -> None:
    if hook not in RETENTION_HOOKS:
        RETENTION_HOOKS.append(hook)


def retention_days() -> dict[str, int]:
    return {**DEFAULT_RETENTION_DAYS, **getattr(settings, "PRIVACY_RETENTION_DAYS", {})}


def enforce_retention(*, as_of: datetime | None = None, dry_run: bool = False) -> list[Outcome]:
    """Apply every period as of ``as_of`` (default now); with ``dry_run`` only count."""
    as_of = as_of or timezone.now()
    days = retention_days()
    purged = {  # model: (category, its timestamp, the cutoff)
        AccessRecord: ("access_records", "at", as_of - timedelta(days=days["access_records"])),
        BehaviourEvent: (
            "behaviour_events",
            "at",
            as_of - timedelta(days=days["behaviour_events"]),
        ),
    }
    report = [
        _purge(category, model, field, cutoff, dry_run)
        for model, (category, field, cutoff) in purged.items()
    ]
    ip_cutoff = as_of - timedelta(days=days["ip_truncation"])
    for model, ip_field, age_field in ip_columns():
        if age_field is None:
            report.append(
                Outcome("ip_truncation", SKIPPED, 0, model._meta.label, f"{ip_field}: no timestamp")
            )
            continue
        # Rows the purge removes (or, in a dry run, would remove) are not counted again.
        _, field, purge_cutoff = purged.get(model, ("", "", None))
        since = purge_cutoff if field == age_field else None
        count = truncate_ips(model, ip_field, age_field, ip_cutoff, since=since, dry_run=dry_run)
        report.append(Outcome("ip_truncation", TRUNCATED, count, model._meta.label, ip_field))
    # Orders and invoices of erased accounts: their legal hold is over (privacy.erasure).
    report.append(
        Outcome(
            "legal_hold",
            REMOVED,
            purge_expired_holds(as_of=as_of, dry_run=dry_run),
            "privacy.ErasureRecord",
            "held fields of erased accounts",
        )
    )
    for hook in list(RETENTION_HOOKS):
        try:
            report.extend(hook(as_of, days, dry_run))
        except Exception:  # one app's failure does not stop the others' retention
            logger.exception("retention hook %r failed", hook)
            report.append(Outcome(getattr(hook, "__name__", "hook"), FAILED, 0))
    if not dry_run:
        record_event(
            ("retention", as_of.date().isoformat()),
            "retention_enforced",
            report=[
                {"category": o.category, "action": o.action, "count": o.count, "model": o.model}
                for o in report
            ],
        )
    return report


def _purge(category: str, model, field: str, cutoff: datetime, dry_run: bool) -> Outcome:
    rows = model._base_manager.filter(**{f"{field}__lt": cutoff})
    if dry_run:
        count = rows.count()
    else:
        with transaction.atomic():
            count = rows.delete()[1].get(model._meta.label, 0)
    return Outcome(category, REMOVED, count, model._meta.label, f"before {cutoff:%Y-%m-%d}")


def ip_columns() -> Iterator[tuple[type[models.Model], str, str | None]]:
    """(model, IP field, timestamp field or None) for every device-access IP column.

    An address kept as evidence under legal hold (who accepted a contract, like the consent
    ledger's proof) is kept whole for its hold, not cut after 30 days."""
    for model, declaration in sorted(registry().items(), key=lambda item: item[0]._meta.label):
        for name, personal in declaration.fields.items():
            if (
                personal.category != Category.DEVICE_ACCESS
                or personal.erasure == Erasure.LEGAL_HOLD
            ):
                continue
            if isinstance(model._meta.get_field(name), models.GenericIPAddressField):
                yield model, name, age_field(model, name)


def age_field(model: type[models.Model], ip_field: str) -> str | None:
    """The timestamp a row's IP address is aged by (the rule in the module docstring)."""
    datetimes = {
        f.name: f for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)
    }
    if ip_field.endswith("_ip") and (sibling := f"{ip_field[:-3]}_at") in datetimes:
        return sibling
    for name in ("at", "created_at"):
        if name in datetimes:
            return name
    for name, f in datetimes.items():
        if f.auto_now_add or f.default is timezone.now:
            return name
    return None


# Already cut: an IPv4 (or IPv4-mapped) address ending in .0, or an IPv6 address whose
# groups after the third are all zero ("2001:db8:1::"). Only a pre-filter: each value
# is still checked in Python before it is changed.
_TRUNCATED = r"^(.*\.0|([0-9a-f]{1,4}:){1,3}:|::)$"


def truncate_ip(value: str) -> str:
    """1.2.3.4 → 1.2.3.0; 2001:db8:1:2::5 → 2001:db8:1::; ::ffff:1.2.3.4 → ::ffff:1.2.3.0."""
    address = ipaddress.ip_address(value)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        network = ipaddress.ip_network(f"{address.ipv4_mapped}/24", strict=False)
        return f"::ffff:{network.network_address}"
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def truncate_ips(
    model: type[models.Model],
    ip_field: str,
    age: str,
    cutoff: datetime,
    *,
    since: datetime | None = None,
    dry_run: bool,
) -> int:
    """Cut the addresses of rows older than ``cutoff`` (and not older than ``since``);
    returns how many rows changed (or would)."""
    rows = model._base_manager.filter(**{f"{age}__lt": cutoff, f"{ip_field}__isnull": False})
    if since is not None:
        rows = rows.filter(**{f"{age}__gte": since})
    rows = rows.exclude(**{f"{ip_field}__regex": _TRUNCATED}).order_by()
    changes: dict[str, list] = defaultdict(list)
    for pk, value in rows.values_list("pk", ip_field).iterator(chunk_size=2000):
        try:
            cut = truncate_ip(str(value))
        except ValueError:
            cut = None  # not an address at all: nothing identifying to keep
        if cut != str(value):
            changes[cut].append(pk)
    count = sum(len(pks) for pks in changes.values())
    if dry_run or not count:
        return count
    with transaction.atomic():
        for cut, pks in changes.items():
            for start in range(0, len(pks), 500):
                # QuerySet.update: append-only models (core.Event) refuse save(), and an
                # address cut for retention is not an edit of the record.
                model._base_manager.filter(pk__in=pks[start : start + 500]).update(
                    **{ip_field: cut}
                )
    return count


def run_scheduled() -> dict[str, int] | str:
    """The schedule job: enforce as of now, once a day (``run_schedules --every 60`` must
    not rescan old rows every minute); returns counts per category."""
    today = timezone.now().date().isoformat()
    if Event.objects.filter(
        subject_type="retention", subject_id=today, type="retention_enforced"
    ).exists():
        return "already done today"
    totals: dict[str, int] = defaultdict(int)
    for outcome in enforce_retention():
        totals[f"{outcome.category} {outcome.action}"] += outcome.count
    return dict(totals)
