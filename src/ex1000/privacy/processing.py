"""The record of processing (docs/privacy.md), built from the personal-data registry.

What each category holds (models, fields, purposes, erasure, legal hold, retention,
sensitivity, export) comes from the fields' ``Personal`` declarations — never from a list
kept here. What the registry does not say — the legal basis, the storage region and who
receives the data — is declared once, per category, in ``CATEGORY_PROCESSING`` below. A
category added to ``core.personal_data.Category`` without an entry here makes
``record()`` fail (and tests/privacy/test_processing.py), so it cannot be forgotten.

The ops page (/ops/privacy/processing/), its PDF/JSON/CSV downloads and
GET /api/v1/ops/privacy/processing all show ``record()``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ex1000.core.personal_data import Category, Erasure, declaration, user_linked_models


@dataclass(frozen=True)
class Processing:
    """What the registry cannot say about a category (PIPL art. 13, 17, 23, 38)."""

    label: Promise | str
    legal_basis: tuple[Promise | str, ...]
    recipients: tuple[Promise | str, ...]
    # None: settings.PRIVACY_STORAGE_REGION, where everything is stored today.
    storage_region: Promise | str | None = None


CONTRACT = _("Necessary to conclude or perform a contract the person is party to (PIPL art. 13(2))")
LEGAL_OBLIGATION = _("Necessary to fulfil a legal duty or obligation (PIPL art. 13(3))")
CONSENT = _("The person's consent (PIPL art. 13(1)), which they can withdraw at any time")
AUTHORITIES = _("Competent authorities, only on a legal order")
COUNTERPARTY = _("The other party of an inquiry or order (buyer or supplier)")
LOGISTICS = _("Logistics partners of a shipment (freight forwarder, shipping line, customs broker)")
ESCROW_BANK = _("The escrow bank holding the payment")
NOBODY_ELSE = _("Nobody outside EX1000 (operators, as needed)")

CATEGORY_PROCESSING: dict[Category, Processing] = {
    Category.IDENTITY: Processing(
        label=_("Identity and account"),
        legal_basis=(CONTRACT,),
        recipients=(COUNTERPARTY, AUTHORITIES),
    ),
    Category.CONTACT: Processing(
        label=_("Contact details"),
        legal_basis=(CONTRACT, LEGAL_OBLIGATION),
        recipients=(COUNTERPARTY, LOGISTICS, AUTHORITIES),
    ),
    Category.COMPANY: Processing(
        label=_("Company"),
        legal_basis=(CONTRACT,),
        recipients=(COUNTERPARTY, LOGISTICS, AUTHORITIES),
    ),
    Category.QUALIFICATION_DOCUMENT: Processing(
        label=_("Qualification documents"),
        legal_basis=(CONTRACT, LEGAL_OBLIGATION),
        recipients=(NOBODY_ELSE, AUTHORITIES),
    ),
    Category.DEVICE_ACCESS: Processing(
        label=_("Devices and access"),
        legal_basis=(
            LEGAL_OBLIGATION,
            _("Network security logs (Cybersecurity Law art. 21)"),
            CONTRACT,
        ),
        recipients=(NOBODY_ELSE, AUTHORITIES),
    ),
    Category.INQUIRY: Processing(
        label=_("Inquiries and browsing"),
        legal_basis=(CONTRACT, _("Consent, for analytics of browsing behaviour")),
        recipients=(COUNTERPARTY, AUTHORITIES),
    ),
    Category.ORDER: Processing(
        label=_("Orders"),
        legal_basis=(
            CONTRACT,
            _("Legal obligation to keep trade and accounting records (the legal hold)"),
        ),
        recipients=(COUNTERPARTY, LOGISTICS, ESCROW_BANK, AUTHORITIES),
    ),
    Category.MESSAGE: Processing(
        label=_("Messages and notices"),
        legal_basis=(CONTRACT, _("Legal obligation to answer privacy requests (PIPL art. 50)")),
        recipients=(NOBODY_ELSE, AUTHORITIES),
    ),
    Category.PAYMENT_PROOF: Processing(
        label=_("Payment proofs"),
        legal_basis=(
            CONTRACT,
            _("Legal obligation to keep accounting and anti-money-laundering records"),
        ),
        recipients=(ESCROW_BANK, AUTHORITIES),
    ),
    Category.CONSENT: Processing(
        label=_("Consents and policy acceptances"),
        legal_basis=(_("Legal obligation to prove consent (PIPL art. 14)"),),
        recipients=(NOBODY_ELSE, AUTHORITIES),
    ),
}

ERASURE_LABELS = {
    Erasure.DELETE: _("deleted"),
    Erasure.ANONYMISE: _("anonymised"),
    Erasure.LEGAL_HOLD: _("kept under legal hold, then purged"),
}

# A field without a retention of its own is kept while the account lives, erased with it.
ACCOUNT_LIFE = _("life of the account, then erased with it")

CSV_COLUMNS = (
    "category",
    "model",
    "field",
    "purpose",
    "erasure",
    "hold_years",
    "retention",
    "sensitive",
    "exported",
    "legal_basis",
    "storage_region",
    "recipients",
)


def incomplete(
    mapping: dict[Category, Processing] | None = None,
) -> list[str]:
    """The categories whose legal basis, storage region or recipients are not declared."""
    mapping = CATEGORY_PROCESSING if mapping is None else mapping
    missing = []
    for category in Category:
        entry = mapping.get(category)
        if (
            entry is None
            or not entry.legal_basis
            or not entry.recipients
            or not str(_region(entry)).strip()
        ):
            missing.append(category.value)
    return missing


def _region(entry: Processing) -> str:
    region = entry.storage_region
    return str(region if region is not None else settings.PRIVACY_STORAGE_REGION)


def record(mapping: dict[Category, Processing] | None = None) -> dict:
    """The record of processing as plain data (JSON-ready, in the active language)."""
    mapping = CATEGORY_PROCESSING if mapping is None else mapping
    if missing := incomplete(mapping):
        raise ImproperlyConfigured(
            "Record of processing: no legal basis, storage region or recipients for "
            f"categor{'y' if len(missing) == 1 else 'ies'} {', '.join(missing)} "
            "(privacy.processing.CATEGORY_PROCESSING)"
        )
    fields_by_category: dict[Category, list[dict]] = {c: [] for c in Category}
    undeclared, without_personal_fields = [], []
    for model in user_linked_models():
        declared = declaration(model)
        if declared is None:
            undeclared.append(model._meta.label)
            continue
        if not declared.fields:
            without_personal_fields.append(model._meta.label)
        for name, personal in declared.fields.items():
            fields_by_category[personal.category].append(
                {
                    "model": model._meta.label,
                    "model_name": str(model._meta.verbose_name),
                    "field": name,
                    "purpose": str(personal.purpose),
                    "erasure": personal.erasure.value,
                    "erasure_label": str(ERASURE_LABELS[personal.erasure]),
                    "hold_years": personal.hold_years,
                    "retention": str(personal.retention or ACCOUNT_LIFE),
                    "retention_declared": bool(personal.retention),
                    "sensitive": personal.sensitive,
                    "exported": personal.exported,
                }
            )
    categories = []
    for category in Category:
        entry, fields = mapping[category], fields_by_category[category]
        holds = [f["hold_years"] for f in fields if f["hold_years"] is not None]
        categories.append(
            {
                "category": category.value,
                "label": str(entry.label),
                "legal_basis": [str(b) for b in entry.legal_basis],
                "storage_region": _region(entry),
                "recipients": [str(r) for r in entry.recipients],
                "models": list(dict.fromkeys(f["model"] for f in fields)),
                "purposes": list(dict.fromkeys(f["purpose"] for f in fields)),
                "erasure": list(dict.fromkeys(f["erasure"] for f in fields)),
                "erasure_labels": list(dict.fromkeys(f["erasure_label"] for f in fields)),
                "legal_hold_years": max(holds) if holds else None,
                "retention": list(dict.fromkeys(f["retention"] for f in fields)),
                "sensitive": any(f["sensitive"] for f in fields),
                "exported": any(f["exported"] for f in fields),
                "fields": fields,
            }
        )
    return {
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "controller": "EX1000",
        "contact": settings.PRIVACY_CONTACT_EMAIL,
        "storage_region": str(settings.PRIVACY_STORAGE_REGION),
        "categories": categories,
        # Linked to a user, but every column declared not personal (kept for completeness).
        "models_without_personal_fields": without_personal_fields,
        # Linked to a user with no declaration at all: the system check fails on these.
        "undeclared_models": undeclared,
    }


def as_csv(data: dict) -> str:
    """One row per declared field, with its category's basis, region and recipients."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for category in data["categories"]:
        for f in category["fields"]:
            writer.writerow(
                [
                    category["category"],
                    f["model"],
                    f["field"],
                    f["purpose"],
                    f["erasure"],
                    "" if f["hold_years"] is None else f["hold_years"],
                    f["retention"],
                    "yes" if f["sensitive"] else "no",
                    "yes" if f["exported"] else "no",
                    "; ".join(category["legal_basis"]),
                    category["storage_region"],
                    "; ".join(category["recipients"]),
                ]
            )
    return out.getvalue()
