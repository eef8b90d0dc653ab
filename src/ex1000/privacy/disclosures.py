"""The disclosure log (privacy.md: "sharing only necessary data with logistics
partners", "disclosure under legal orders"; product.md: "every hand-over of personal data
to a third party or an authority is recorded — what, to whom, why, when").

``record_disclosure`` is the one way a row is written: the logistics app calls it for
every hand-over of consignee data to a partner (system-written, no operator), an
operator's legal disclosure goes through ``record_legal_disclosure`` (the ops API), which
also leaves an event. Privacy imports none of its callers.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError, FieldError
from ex1000.core.events import record_event

from .error_codes import PrivacyError
from .models import Disclosure, RecipientKind

LEGAL_PURPOSE = gettext_noop("compliance with a legal order")  # stored English, shown translated


def _data_list(fields: Iterable[str] | str) -> list[str]:
    """Field names (``["consignee.name", "vin"]``) or one text description, as a list."""
    items = [fields] if isinstance(fields, str) else list(fields)
    return [str(item).strip() for item in items if str(item).strip()]


def _limit(value: str, field: str, max_length: int) -> str:
    value = (value or "").strip()
    if len(value) > max_length:
        raise AppError(
            CoreError.VALIDATION,
            errors={field: [FieldError(CoreError.TOO_LONG, count=max_length)]},
        )
    return value


def record_disclosure(
    *,
    user,
    recipient_kind: str,
    recipient: str,
    fields: Iterable[str] | str,
    purpose: str,
    reference: str = "",
    recorded_by=None,
    withheld: bool = False,
    at=None,
) -> Disclosure:
    """Log one hand-over of ``user``'s data: ``fields`` (names, or a description) to
    ``recipient`` (a company or an authority) of ``recipient_kind`` for ``purpose``."""
    if recipient_kind not in RecipientKind.values:
        raise AppError(
            CoreError.INVALID_CHOICE,
            errors={"recipient_kind": [CoreError.INVALID_CHOICE]},
            choices=", ".join(RecipientKind.values),
        )
    recipient = _limit(recipient, "recipient", 200)
    if not recipient:
        raise AppError(
            PrivacyError.DISCLOSURE_RECIPIENT_REQUIRED,
            errors={"recipient": [PrivacyError.DISCLOSURE_RECIPIENT_REQUIRED]},
        )
    data = _data_list(fields)
    if not data:
        raise AppError(
            PrivacyError.DISCLOSURE_DATA_REQUIRED,
            errors={"data": [PrivacyError.DISCLOSURE_DATA_REQUIRED]},
        )
    return Disclosure.objects.create(
        user=user,
        recipient_kind=recipient_kind,
        recipient=recipient,
        reference=_limit(reference, "reference", 200),
        data=data,
        purpose=_limit(purpose, "purpose", 500) or LEGAL_PURPOSE,
        at=at or timezone.now(),
        recorded_by=recorded_by,
        withheld_from_user=bool(withheld),
    )


@transaction.atomic
def record_legal_disclosure(
    *,
    operator,
    user_id: int,
    authority: str,
    reference: str,
    data: Iterable[str] | str,
    withheld_from_user: bool = False,
    purpose: str = "",
    ip: str | None = None,
    user_agent: str = "",
) -> Disclosure:
    """An operator records data released to an authority under a legal order."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise AppError(
            PrivacyError.DISCLOSURE_USER_UNKNOWN,
            errors={"user": [PrivacyError.DISCLOSURE_USER_UNKNOWN]},
            user=user_id,
        )
    try:
        disclosure = record_disclosure(
            user=user,
            recipient_kind=RecipientKind.AUTHORITY,
            recipient=authority,
            fields=data,
            purpose=purpose or LEGAL_PURPOSE,
            reference=reference,
            recorded_by=operator,
            withheld=withheld_from_user,
        )
    except AppError as exc:  # the API names the recipient "authority"
        if exc.errors and "recipient" in exc.errors:
            exc.errors["authority"] = exc.errors.pop("recipient")
        raise
    record_event(
        disclosure,
        "legal_disclosure_recorded",
        actor=operator,
        ip=ip,
        user_agent=user_agent,
        user=user.pk,
        authority=disclosure.recipient,
        reference=disclosure.reference,
        withheld_from_user=disclosure.withheld_from_user,
    )
    return disclosure


def disclosures_of(user):
    """What the user may see of the log: every row about them but the withheld ones."""
    return Disclosure.objects.filter(user=user).exclude(Disclosure.export_exclude)
