"""The logistics app's error codes (orders.md, Shipments and tracking)."""

from django.utils.translation import gettext_lazy as _

from ex1000.core.errors import ErrorCode


class LogisticsError(ErrorCode):
    SHIPMENT_NOT_EXPECTED = (
        "shipment_not_expected",
        409,
        _("No shipment can be created while the order is %(state)s."),
    )
    INVALID_CONTAINER_NUMBER = (
        "invalid_container_number",
        422,
        _("Not an ISO 6346 container number (4 letters, 6 digits, a check digit): %(value)s."),
    )
    INVALID_IMO = (
        "invalid_imo",
        422,
        _("Not an IMO ship number (7 digits with a valid check digit): %(value)s."),
    )
    INVALID_PLACE = (
        "invalid_place_code",
        422,
        _("A place code has 5 characters: the country and 3 letters or digits, e.g. CNSHA."),
    )
    ETA_BEFORE_ETD = "eta_before_etd", 422, _("The ETA cannot be before the ETD.")
    INVALID_TRACKING_URL = (
        "invalid_tracking_url",
        422,
        _("The tracking link must be an http or https address."),
    )
    INVALID_PARTNER = (
        "invalid_partner",
        422,
        _("There is no verified logistics partner %(partner)s."),
    )
    VIN_NOT_IN_ORDER = (
        "vin_not_in_order",
        422,
        _("These VINs are not in the order: %(vins)s."),
    )
    # The same cause as a quotation's unknown mode, the same code (shipments may also fly).
    UNKNOWN_MODE = "unknown_mode", 422, _("Unknown transport mode “%(mode)s”; one of %(choices)s.")
    BL_NUMBER_TAKEN = (
        "bl_number_taken",
        422,
        _("This order already has a shipment with B/L %(bl_number)s."),
    )
    VIN_ALREADY_SHIPPED = (
        "vin_already_shipped",
        422,
        _("These VINs are on another shipment already: %(vins)s."),
    )
    UNKNOWN_EVENT_CODE = (
        "unknown_event_code",
        422,
        _("Unknown tracking event “%(event)s”; one of %(choices)s."),
    )
    UNKNOWN_CLASSIFIER = (
        "unknown_classifier",
        422,
        _(
            "Unknown classifier “%(classifier)s”; one of PLN (planned), EST (estimated), "
            "ACT (actual)."
        ),
    )
    EVENT_TIME_REQUIRED = (
        "occurred_at_required",
        422,
        _("Give the time of the event (ISO 8601 with its time zone)."),
    )
    EVENT_TIME_OUT_OF_RANGE = (
        "occurred_at_out_of_range",
        422,
        _("The time of the event must fall between %(first)s and %(last)s."),
    )
    ACTUAL_IN_FUTURE = (
        "actual_event_in_future",
        422,
        _("An actual event cannot be in the future; mark it EST or PLN."),
    )
    # the carriers' webhook
    BAD_SIGNATURE = (
        "invalid_signature",
        401,
        _("The webhook signature, its timestamp or the provider does not match."),
    )
    UNKNOWN_SHIPMENT = (
        "unknown_shipment",
        422,
        _("No shipment assigned to you has the B/L or container number %(reference)s."),
    )
    TOO_MANY_EVENTS = (
        "too_many_events",
        422,
        _("At most %(count)s events in one delivery."),
    )
    PARTNERS_ONLY = (
        "partners_only",
        403,
        _("Only a verified logistics partner has a webhook secret."),
    )
