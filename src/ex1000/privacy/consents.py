"""The purposes a user consents to separately (PIPL Art. 14, 16, 23, 39), and what each is for.

Defaults (when the ledger holds no row for a purpose): sharing with logistics partners and
storage on overseas servers are what the service *is* — a car bought here is moved by a
partner and the platform's servers are not in the buyer's country — so they are granted
at registration by accepting the policy, and ``accept_policy`` writes that grant into the
ledger (``source="policy"``). Marketing and analytics are off until the user turns them on.
A withdrawal always wins: it is a ledger row, and the latest row per purpose is the state.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Purpose(StrEnum):
    LOGISTICS_SHARING = "logistics_sharing"
    OVERSEAS_STORAGE = "overseas_storage"
    MARKETING = "marketing"
    ANALYTICS = "analytics"


@dataclass(frozen=True)
class PurposeInfo:
    label: Promise
    description: Promise  # what it is for, who receives what (Art. 23)
    required_for: Promise  # what stops working without it
    default: bool  # the state when the ledger has no row


PURPOSES: dict[Purpose, PurposeInfo] = {
    Purpose.LOGISTICS_SHARING: PurposeInfo(
        label=_("Sharing with logistics partners"),
        description=_(
            "The logistics partner assigned to your shipment (named, with its contact, on the "
            "shipment) receives what it needs to deliver your cars: consignee name, company, "
            "contact, receiving address, vehicle and VIN. Nothing else is shared, and every "
            "hand-over is recorded in your disclosure log."
        ),
        required_for=_(
            "Shipping through our logistics partners: without it, shipment details are not "
            "handed to a partner and you arrange transport yourself."
        ),
        default=True,
    ),
    Purpose.OVERSEAS_STORAGE: PurposeInfo(
        label=_("Storage on servers outside your country"),
        description=_(
            "Your account, inquiries and orders are stored on EX1000's servers, which may be "
            "outside your country or region, with the protection described in the privacy "
            "policy."
        ),
        required_for=_(
            "Keeping an account: without it we cannot hold your data, and you can ask for "
            "your account to be deleted."
        ),
        default=True,
    ),
    Purpose.MARKETING: PurposeInfo(
        label=_("Marketing messages"),
        description=_(
            "Occasional emails about new stock, offers and features. Messages about your own "
            "inquiries and orders are sent either way."
        ),
        required_for=_("Marketing emails: without it you receive none."),
        default=False,
    ),
    Purpose.ANALYTICS: PurposeInfo(
        label=_("Analytics"),
        description=_(
            "Your searches, the cars you view and your inquiries are used, with those of other "
            "users, to improve the catalogue and prices."
        ),
        required_for=_(
            "Personalised analytics: without it your browsing is not used for analytics."
        ),
        default=False,
    ),
}


def parse_purpose(value: str) -> Purpose | None:
    try:
        return Purpose(value)
    except ValueError:
        return None
