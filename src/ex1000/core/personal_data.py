"""The personal-data registry: each model that holds personal data declares it here.

Export, erasure, retention and the record of processing walk this registry,
never hand-written lists (docs/privacy.md). A model declares::

    class User(models.Model):
        personal_data = PersonalData(
            fields={"email": Personal(CONTACT, _("login and notices"), erasure=ANONYMISE)},
            not_personal=("id", "created_at"),
        )

``purpose`` and ``retention`` are marked for translation (``gettext_lazy as _``): what
shows them to a person (the export's "about", the record of processing) renders them in
the active language; what stores them (the erasure report) stores the English text.

A system check (core.checks) fails when a model linked to a user has a concrete
field that is in neither set, so no column ships without a decision about it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.functional import Promise


class Category(StrEnum):
    IDENTITY = "identity"
    CONTACT = "contact"
    COMPANY = "company"
    QUALIFICATION_DOCUMENT = "qualification_document"
    DEVICE_ACCESS = "device_access"
    INQUIRY = "inquiry"
    ORDER = "order"
    MESSAGE = "message"
    PAYMENT_PROOF = "payment_proof"
    CONSENT = "consent"


class Erasure(StrEnum):
    DELETE = "delete"  # the value (or file) is removed
    ANONYMISE = "anonymise"  # replaced by a neutral value ("deleted user 17")
    LEGAL_HOLD = "legal_hold"  # kept for the legal period, then purged


@dataclass(frozen=True)
class Personal:
    category: Category
    # Marked for translation (gettext_lazy): shown in the reader's language, stored and
    # fingerprinted in English (privacy.export, privacy.erasure).
    purpose: str | Promise
    erasure: Erasure = Erasure.DELETE
    exported: bool = True
    sensitive: bool = False  # encrypted at rest, staff reads logged
    hold_years: int | None = None  # with LEGAL_HOLD
    retention: str | Promise = ""  # human-readable, e.g. _("life of the account + 1 year")


@dataclass(frozen=True)
class PersonalData:
    fields: dict[str, Personal] = field(default_factory=dict)
    not_personal: tuple[str, ...] = ()
    # The path from this model to the user it is about, e.g. "user" or "company__owner";
    # a tuple of paths when rows reach their user more than one way.
    subject: str | tuple[str, ...] = "user"
    # Erasure removes the subject's rows (and their files) when nothing protects them,
    # instead of clearing their fields: rows that exist only because of the user.
    erase_rows: bool = False
    # Free-text fields that may quote *another* user's data (an operator's note naming the
    # buyer, a supplier's notice "new inquiry from …"): erasure scrubs those values there.
    mentions: tuple[str, ...] = ()

    def undeclared(self, model: type[models.Model]) -> list[str]:
        declared = set(self.fields) | set(self.not_personal)
        return [f.name for f in model._meta.concrete_fields if f.name not in declared]

    def unknown(self, model: type[models.Model]) -> list[str]:
        names = {f.name for f in model._meta.concrete_fields}
        declared = set(self.fields) | set(self.not_personal) | set(self.mentions)
        return sorted(declared - names)


def declaration(model: type[models.Model]) -> PersonalData | None:
    return getattr(model, "personal_data", None)


def _related_models(model: type[models.Model]) -> set[type[models.Model]]:
    related = set()
    for f in model._meta.get_fields():
        if not (f.is_relation and f.concrete):
            continue
        target = f.related_model
        if isinstance(target, str):  # a lazy reference its own registry never resolved
            try:
                target = apps.get_model(target)
            except (LookupError, ValueError):
                continue
        if target is not None:
            related.add(target)
    return related


def _own_app_labels() -> set[str]:
    return {c.label for c in apps.get_app_configs() if c.name.startswith("ex1000.")}


def user_linked_models(
    candidates: Iterable[type[models.Model]] | None = None,
) -> list[type[models.Model]]:
    """Our own models that hold data about a user.

    That is the user model, what the user record points at (their company), and every
    model pointing — directly or through others — at one of those. ``candidates`` are the
    models to consider (default: the app registry; the system check's tests pass their own).
    """
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    labels = _own_app_labels()
    pool = apps.get_models() if candidates is None else candidates
    own = [m for m in dict.fromkeys(pool) if m._meta.app_label in labels]
    linked: set[type[models.Model]] = {user_model}
    frontier = [user_model]
    while frontier:  # what the user belongs to: the company, and what that points at
        for target in _related_models(frontier.pop()):
            if target in own and target not in linked:
                linked.add(target)
                frontier.append(target)
    changed = True
    while changed:  # what points at any of those
        changed = False
        for model in own:
            if model not in linked and _related_models(model) & linked:
                linked.add(model)
                changed = True
    return sorted((m for m in linked if m in own), key=lambda m: m._meta.label)


def registry() -> dict[type[models.Model], PersonalData]:
    return {m: d for m in apps.get_models() if (d := declaration(m)) is not None}
