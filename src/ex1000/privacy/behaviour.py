"""Inquiry-behaviour events for analytics, kept only with the user's ``analytics``
consent (privacy.md, "automatically collected information")."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from .models import BehaviourEvent, BehaviourKind

logger = logging.getLogger(__name__)

ANALYTICS = "analytics"


def analytics_consented(user) -> bool:
    """Whether ``user`` has the ``analytics`` consent (off unless turned on)."""
    from .consents import Purpose
    from .services import has_consent

    return has_consent(user, Purpose.ANALYTICS)


def record_behaviour(user, kind: str, **data: Any) -> BehaviourEvent | None:
    """Record one search / view / estimate / inquiry of a signed-in user who allows
    analytics; returns ``None`` (and records nothing) otherwise. Never raises: analytics
    must not break the feature that reports it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    kind = BehaviourKind(kind)  # a caller's typo is a bug, not data: raise
    try:
        if not analytics_consented(user):
            return None
        payload = json.loads(DjangoJSONEncoder().encode(data))  # Decimals, dates → JSON
        with transaction.atomic():  # a savepoint: a failure leaves the caller's work alone
            return BehaviourEvent.objects.create(user=user, kind=kind, data=payload)
    except Exception:
        logger.exception("behaviour event %s could not be recorded", kind)
        return None
