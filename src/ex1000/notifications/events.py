"""The notification event types users choose about (docs/orders.md, Notifications), and the
``kind`` of every notice a sender passes to ``notify`` mapped to its event type.

An event type is what the preferences are kept by: a stable snake_case key (the API contract)
and a translatable label. A kind is finer (``quote_ready``, ``order_ship``…); every kind a
sender uses must be in ``KINDS`` — ``notify`` refuses one that is not, and
tests/notifications/test_events.py scans the senders for kinds missing here.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Event(StrEnum):
    label: object

    def __new__(cls, key: str, label):
        member = str.__new__(cls, key)
        member._value_ = key
        member.label = label
        return member

    QUOTE = "quote", _("Quotation issued or revised")
    ORDER_ACTION = "order_action", _("Order actions")
    PAYMENT = "payment", _("Payment confirmed or rejected")
    SHIPMENT_CREATED = "shipment_created", _("Shipment created")
    TRACKING_EVENT = "tracking_event", _("Tracking events")
    NEW_MESSAGE = "new_message", _("New messages")
    VERIFICATION_RESULT = "verification_result", _("Verification results")
    POLICY_CHANGE = "policy_change", _("Privacy policy changes")


def _order(action: str) -> str:
    return f"order_{action}"


# Every kind a sender passes to notify(), and the event type whose preference governs it.
KINDS: dict[str, Event] = {
    # quotes
    "inquiry_received": Event.QUOTE,
    "quote_ready": Event.QUOTE,
    "quote_revised": Event.QUOTE,
    "quote_accepted": Event.QUOTE,
    # orders: "order_<action>" for each state-machine action (orders.state_machine.Action)
    "order_created": Event.ORDER_ACTION,
    "order_document": Event.ORDER_ACTION,
    **{
        _order(action): Event.ORDER_ACTION
        for action in (
            "sign",
            "cancel",
            "start_export",
            "ship",
            "arrive",
            "complete",
            "dispute",
            "resolve",
            "settle",
        )
    },
    # payments
    "payment_submitted": Event.PAYMENT,
    "payment_rejected": Event.PAYMENT,
    _order("confirm_deposit"): Event.PAYMENT,
    _order("confirm_balance"): Event.PAYMENT,
    _order("reject_payment"): Event.PAYMENT,
    # logistics
    "shipment_created": Event.SHIPMENT_CREATED,
    "tracking_event": Event.TRACKING_EVENT,
    # messaging
    "new_message": Event.NEW_MESSAGE,
    # privacy
    "policy_published": Event.POLICY_CHANGE,
}


def event_of(kind: str) -> Event:
    """The event type of a notice's kind; a kind nobody mapped is a programming error."""
    try:
        return KINDS[kind]
    except KeyError:
        raise LookupError(
            f"notification kind {kind!r} has no event type: add it to notifications.events.KINDS"
        ) from None
