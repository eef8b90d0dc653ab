"""The order state machine of orders.md as one table: (state, action) → (next, who).

``services.perform`` is the only code that changes an order's state; it reads this
table, so no ``if status == …`` is scattered around. A rule that needs more than the
table (both signatures, the deposit amount, the claim period) is the action's own
function in ``services``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from .models import OrderStatus as S


class Action(StrEnum):
    SIGN = "sign"
    CANCEL = "cancel"
    CONFIRM_DEPOSIT = "confirm_deposit"
    REJECT_PAYMENT = "reject_payment"
    START_EXPORT = "start_export"
    CONFIRM_BALANCE = "confirm_balance"
    SHIP = "ship"
    ARRIVE = "arrive"
    COMPLETE = "complete"
    DISPUTE = "dispute"
    RESOLVE = "resolve"
    SETTLE = "settle"


class Party(StrEnum):
    """Who the caller is to an order."""

    BUYER = "buyer"
    SUPPLIER = "supplier"
    OPERATOR = "operator"
    PARTNER = "logistics"  # the logistics partner assigned to one of its shipments
    SYSTEM = "system"  # scheduled jobs, carrier events


@dataclass(frozen=True)
class Transition:
    to: S | None  # None: the state does not change (or the action's rule decides)
    who: frozenset[Party]


def _t(to: S | None, *who: Party) -> Transition:
    return Transition(to, frozenset(who))


B, SU, OP, LP, SY = Party.BUYER, Party.SUPPLIER, Party.OPERATOR, Party.PARTNER, Party.SYSTEM
A = Action


TABLE: dict[tuple[S, Action], Transition] = {
    # sign: each party once; awaiting_deposit once both have signed (services.sign)
    (S.PENDING_CONTRACT, A.SIGN): _t(S.AWAITING_DEPOSIT, B, SU),
    (S.PENDING_CONTRACT, A.CANCEL): _t(S.CANCELLED, B, SU, OP),
    (S.AWAITING_DEPOSIT, A.CANCEL): _t(S.CANCELLED, B, SU, OP),
    (S.AWAITING_DEPOSIT, A.CONFIRM_DEPOSIT): _t(S.DEPOSIT_PAID, OP),
    # "any state with a submitted payment": a transfer declared before a cancellation
    # still needs its decision (the rule checks that one is waiting)
    **{(state, A.REJECT_PAYMENT): _t(None, OP) for state in S},
    (S.DEPOSIT_PAID, A.START_EXPORT): _t(S.EXPORT_PROCESSING, SU),
    (S.EXPORT_PROCESSING, A.CONFIRM_BALANCE): _t(S.BALANCE_PAID, OP),
    (S.BALANCE_PAID, A.SHIP): _t(S.SHIPPED, SU, OP),
    (S.SHIPPED, A.ARRIVE): _t(S.ARRIVED, SU, OP, LP, SY),
    (S.ARRIVED, A.COMPLETE): _t(S.COMPLETED, B, SY),
    (S.SHIPPED, A.DISPUTE): _t(S.DISPUTED, B),
    (S.ARRIVED, A.DISPUTE): _t(S.DISPUTED, B),
    # resolve: completed on "release", cancelled on "refund" (services.resolve)
    (S.DISPUTED, A.RESOLVE): _t(None, OP),
    (S.DEPOSIT_PAID, A.CANCEL): _t(S.CANCELLED, OP),
    (S.EXPORT_PROCESSING, A.CANCEL): _t(S.CANCELLED, OP),
    (S.BALANCE_PAID, A.CANCEL): _t(S.CANCELLED, OP),
    (S.COMPLETED, A.SETTLE): _t(S.SETTLED, OP),
}


def transition(state: str, action: Action) -> Transition | None:
    return TABLE.get((S(state), action))


def actions_in(state: str) -> list[Action]:
    """The actions the table allows in a state, whoever may perform them."""
    return [action for (s, action) in TABLE if s == state]


def who_may(action: Action) -> frozenset[Party]:
    """Everybody who may perform the action in some state."""
    return frozenset().union(*(rule.who for (_, a), rule in TABLE.items() if a == action))


# What each action is called in a message ("You may not confirm the deposit on this
# order"), and the other things done to an order that only its parties may do.
ACTION_NAMES = {
    Action.SIGN: _("sign the contract"),
    Action.CANCEL: _("cancel the order"),
    Action.CONFIRM_DEPOSIT: _("confirm the deposit"),
    Action.REJECT_PAYMENT: _("reject a payment"),
    Action.START_EXPORT: _("start export processing"),
    Action.CONFIRM_BALANCE: _("confirm the balance"),
    Action.SHIP: _("ship the cars"),
    Action.ARRIVE: _("record the arrival"),
    Action.COMPLETE: _("complete the order"),
    Action.DISPUTE: _("open a dispute"),
    Action.RESOLVE: _("resolve the dispute"),
    Action.SETTLE: _("pay the supplier out"),
    "accept": _("accept this quotation"),
    "pay": _("declare a payment"),
    "consignee": _("name the consignee"),
    "upload_document": _("upload export documents"),
    "book_shipment": _("book a shipment"),
    "add_tracking_event": _("add a tracking event"),
}
