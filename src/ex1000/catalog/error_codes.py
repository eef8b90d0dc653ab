"""The catalogue's error codes."""

from django.utils.translation import gettext_lazy as _

from ex1000.core.errors import ErrorCode


class CatalogError(ErrorCode):
    VEHICLE_UNAVAILABLE = (
        "vehicle_unavailable",
        409,
        _("Vehicle %(vehicle)s is not available in that quantity (%(available)s left)."),
    )
    QUANTITY_BELOW_COMMITTED = (
        "quantity_below_committed",
        409,
        _("%(committed)s units are reserved or sold; the quantity cannot be lower."),
    )
