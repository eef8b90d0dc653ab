"""The one event log: ``record_event`` writes every operation record (Saleor's
``OrderEvent``, without one function per type)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from .models import Event

SYSTEM = "system"


def actor_fields(actor) -> dict[str, Any]:
    """How an actor appears in a record: role, and the company (or the name when there is
    none) — never an email or a phone number. ``None`` is the system (scheduled jobs)."""
    if actor is None or actor == SYSTEM:
        return {"actor": None, "actor_role": SYSTEM, "actor_label": ""}
    role = "operator" if actor.is_staff else (getattr(actor, "role", "") or "user")
    company = getattr(actor, "company", None)
    label = company.name if company is not None else actor.name
    return {"actor": actor, "actor_role": role, "actor_label": label[:200]}


def subject_key(subject: models.Model | tuple[str, Any]) -> tuple[str, str]:
    if isinstance(subject, tuple):
        kind, pk = subject
        return kind, str(pk)
    return subject._meta.model_name, str(subject.pk)


def record_event(
    subject: models.Model | tuple[str, Any],
    type: str,
    *,
    actor=None,
    ip: str | None = None,
    user_agent: str = "",
    note: str = "",
    from_state: str = "",
    to_state: str = "",
    at=None,
    **parameters: Any,
) -> Event:
    """Append one record about ``subject``; call it inside the change's transaction."""
    kind, pk = subject_key(subject)
    return Event.objects.create(
        subject_type=kind,
        subject_id=pk,
        type=str(type),
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        at=at or timezone.now(),
        ip=ip or None,
        user_agent=(user_agent or "")[:300],
        note=note or "",
        parameters=parameters,
        **actor_fields(actor),
    )


def events_of(subject: models.Model | tuple[str, Any]):
    kind, pk = subject_key(subject)
    return Event.objects.filter(subject_type=kind, subject_id=pk).select_related("actor")
