"""The quotation app's error codes: quote options, the rate book, the engine's refusals.

The same cause gives the same code on every endpoint (estimate, inquiries, revisions,
search with a destination, the page forms): every option goes through
``quotes.options.parse_quote_options`` and every engine refusal through
``quotes.adapter``.
"""

from django.utils.translation import gettext_lazy as _

from ex1000.core.errors import ErrorCode


class QuoteError(ErrorCode):
    # options (quotes.options)
    UNKNOWN_INCOTERM = (
        "unknown_incoterm",
        422,
        _("Unknown Incoterm “%(incoterm)s”; one of %(choices)s."),
    )
    UNKNOWN_MODE = (
        "unknown_mode",
        422,
        _("Unknown transport mode “%(mode)s”; one of roro, container, rail, truck."),
    )
    TERM_NOT_FOR_MODE = (
        "term_not_for_mode",
        422,
        _(
            "%(incoterm)s is for sea transport only (RoRo or container); for %(mode)s use "
            "FCA, CPT or CIP."
        ),
    )
    UNKNOWN_PLACE = (
        "unknown_place",
        422,
        _("Unknown place “%(place)s” in rate book %(version)s."),
    )
    UNKNOWN_CURRENCY = (
        "unknown_currency",
        422,
        _("Rate book %(version)s has no exchange rate for “%(currency)s”; one of %(choices)s."),
    )
    UNKNOWN_INSURANCE_COVER = (
        "unknown_insurance_cover",
        422,
        _("Unknown insurance cover “%(cover)s”; true, false or one of %(choices)s."),
    )
    INVALID_OPTION = "invalid_option", 422, _("Give true or false.")
    # items
    NO_ITEMS = "no_items", 422, _("Name at least one vehicle.")
    TOO_MANY_ITEMS = "too_many_items", 422, _("At most %(count)s vehicles at once.")
    INVALID_VEHICLE = "invalid_vehicle", 422, _("A listing id is a positive whole number.")
    DUPLICATE_VEHICLE = (
        "duplicate_vehicle",
        422,
        _("Vehicle %(vehicle)s is listed twice; give it one quantity."),
    )
    INVALID_QUANTITY = "invalid_quantity", 422, _("The quantity is a whole number from 1.")
    # Bad input (an unknown, unpublished or short listing named in a request), 422; the
    # catalogue's vehicle_unavailable (409) is the race at acceptance.
    VEHICLE_NOT_OFFERED = (
        "vehicle_not_offered",
        422,
        _("Some vehicles cannot be quoted: %(detail)s"),
    )
    NOT_PUBLISHED = "not_published", 422, _("Vehicle %(vehicle)s is not available.")
    NOT_ENOUGH_UNITS = (
        "not_enough_units",
        422,
        _("Vehicle %(vehicle)s: only %(available)s available."),
    )
    SEVERAL_SUPPLIERS = (
        "several_suppliers",
        422,
        _("These vehicles come from %(count)s different suppliers; send one inquiry per supplier."),
    )
    # the engine's refusals (pricing.QuoteErrorCode), with the detail it gives
    INVALID_REQUEST = "invalid_request", 422, _("This request cannot be priced: %(detail)s")
    MISSING_RATE = "missing_rate", 422, _("The rate book cannot price this request: %(detail)s")
    NO_CONTAINER_FIT = (
        "no_container_fit",
        422,
        _(
            "No container type on %(origin)s → %(destination)s (%(containers)s) takes every "
            "vehicle (size classes: %(size_classes)s); ship by RoRo instead."
        ),
    )
    NO_ORIGIN = (
        "no_origin",
        422,
        _("No origin has rates for the whole route to %(destination)s by %(mode)s: %(detail)s"),
    )
    # the rate book
    NO_RATE_BOOK = "no_rate_book", 503, _("No rate book has been imported yet.")
    INVALID_RATE_BOOK = (
        "invalid_rate_book",
        422,
        _("The rate book has %(count)s error(s): %(errors_text)s"),
    )
    NOT_JSON = "not_json", 422, _("Not a JSON document: %(error)s")
    RATE_BOOK_EXISTS = (
        "rate_book_exists",
        409,
        _(
            "Rate book version “%(version)s” exists already; import the changed tables under "
            "a new version."
        ),
    )
    # inquiries and revisions
    NOT_BUYER = "not_buyer", 403, _("Only buyers send inquiries.")
    NOT_SUPPLIER = "not_supplier", 403, _("Only the supplier revises its quotations.")
    INQUIRY_ACCEPTED = (
        "inquiry_accepted",
        409,
        _("This inquiry has been accepted; it can no longer be revised."),
    )
    INQUIRY_CLOSED = (
        "inquiry_closed",
        409,
        _("This inquiry is closed; it can no longer be revised."),
    )
    TOO_MANY_ADJUSTMENTS = "too_many_adjustments", 422, _("At most %(count)s adjustments.")
    INVALID_ADJUSTMENT = (
        "invalid_adjustment",
        422,
        _("A decimal amount in the quote currency."),
    )
    TOTAL_TOO_LARGE = (
        "total_too_large",
        422,
        _("The total is too large to quote; ask for fewer vehicles at once."),
    )
    TOTAL_NOT_POSITIVE = (
        "total_not_positive",
        422,
        _("The adjustments would bring the total to zero or below."),
    )
    PROFORMA_NEEDS_ORDER = (
        "proforma_needs_order",
        409,
        _("A proforma invoice is issued only for an order: accept the quotation first."),
    )
    ADJUSTMENT_CURRENCY = (
        "adjustment_currency",
        422,
        _("Adjust in the quote's currency, %(currency)s."),
    )
