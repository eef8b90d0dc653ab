"""The orders app's error codes (orders.md): state machine, payments, documents, consignee."""

from django.utils.translation import gettext_lazy as _

from ex1000.core.errors import ErrorCode


class OrderError(ErrorCode):
    # acceptance
    ALREADY_ACCEPTED = "already_accepted", 409, _("This inquiry has already been accepted.")
    INQUIRY_CLOSED = "inquiry_closed", 409, _("This inquiry is no longer open.")
    SUPERSEDED = (
        "superseded",
        409,
        _("A newer version exists (version %(version)s); accept that one."),
    )
    EXPIRED = (
        "expired",
        409,
        _("This quotation expired on %(date)s; ask the supplier for a new version."),
    )
    NOT_ELIGIBLE = "not_eligible", 409, _("This quotation cannot be accepted: %(reasons)s")
    # state machine
    UNKNOWN_ACTION = "unknown_action", 404, _("There is no order action “%(action)s”.")
    NOT_ALLOWED = "not_allowed", 403, _("You may not %(action)s.")
    INVALID_TRANSITION = (
        "invalid_transition",
        409,
        _("You cannot %(action)s while the order is “%(status)s”."),
    )
    ALREADY_SIGNED = "already_signed", 409, _("You have already signed this contract.")
    REASON_REQUIRED = "reason_required", 422, _("Give a reason.")
    NOTE_REQUIRED = "note_required", 422, _("Add a note that explains the decision.")
    INVALID_OUTCOME = "invalid_outcome", 422, _("The outcome is “release” or “refund”.")
    CLAIM_PERIOD_OVER = (
        "claim_period_over",
        409,
        _("Claims are possible for %(days)s days after arrival; that period is over."),
    )
    SHIPMENT_REQUIRED = (
        "shipment_required",
        409,
        _("Create a shipment with its B/L or waybill number first."),
    )
    CONSIGNEE_REQUIRED = "consignee_required", 409, _("The buyer has not named the consignee yet.")
    # payments
    PAYMENT_REQUIRED = "payment_required", 422, _("Name the payment (its id).")
    PAYMENT_NOT_FOUND = "payment_not_found", 422, _("This order has no payment %(payment)s.")
    PAYMENT_NOT_SUBMITTED = (
        "payment_not_submitted",
        409,
        _("Payment %(payment)s is already %(status)s."),
    )
    PAYMENT_KIND_MISMATCH = (
        "payment_kind_mismatch",
        422,
        _("Payment %(payment)s is not a %(kind)s."),
    )
    DEPOSIT_SHORT = (
        "deposit_short",
        422,
        _("The payment (%(amount)s) is less than the deposit due (%(due)s)."),
    )
    BALANCE_SHORT = (
        "balance_short",
        422,
        _("Paid in total %(paid)s of %(total)s; the order is not fully paid."),
    )
    PAYMENT_NOT_EXPECTED = (
        "payment_not_expected",
        409,
        _("No %(kind)s payment is expected while the order is %(status)s."),
    )
    CURRENCY_MISMATCH = "currency_mismatch", 422, _("Pay in the order's currency, %(currency)s.")
    INVALID_AMOUNT = (
        "invalid_amount",
        422,
        _("A positive amount with at most %(places)s decimal places."),
    )
    AMOUNT_TOO_HIGH = "amount_too_high", 422, _("More than is outstanding (%(outstanding)s).")
    # documents
    DOCUMENT_NOT_AVAILABLE = (
        "document_not_available",
        409,
        _("This document is not available while the order is %(state)s."),
    )
    INVALID_DOCUMENT_KIND = "invalid_document_kind", 422, _("Choose one of: %(choices)s.")
    # consignee
    CONSIGNEE_LOCKED = (
        "consignee_locked",
        409,
        _("The cars have been shipped; the consignee can no longer change."),
    )
    # the proforma invoice is the order's (issue 6): no order, no proforma
