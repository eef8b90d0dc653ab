"""The catalogue's error codes: listings, photos, the bulk import, reservations."""

from django.utils.translation import gettext_lazy as _

from ex1000.core.errors import ErrorCode


class CatalogError(ErrorCode):
    # listings
    NOT_SUPPLIER = "not_supplier", 403, _("Only suppliers manage listings.")
    VIN_TAKEN = "vin_taken", 422, _("A live listing with this VIN already exists.")
    LISTING_LOCKED = (
        "listing_locked",
        409,
        _("This listing is reserved or sold by an order; it can no longer be edited or withdrawn."),
    )
    PRICE_NOT_CNY = (
        "price_not_cny",
        422,
        _("Asking prices are ex-works in CNY; convert the price first."),
    )
    # photos
    PHOTO_UNREADABLE = (
        "photo_unreadable",
        422,
        _("Not an image we can read: upload a JPEG, PNG or WebP photo."),
    )
    PHOTO_TOO_SMALL = "photo_too_small", 422, _("A photo needs at least %(px)s px a side.")
    PHOTO_TOO_MANY_PIXELS = (
        "photo_too_many_pixels",
        422,
        _("A photo has at most %(megapixels)s megapixels."),
    )
    ELIGIBLE_NEEDS_DESTINATION = (
        "eligible_needs_destination",
        422,
        _("Choose a destination to see only the cars it admits."),
    )
    LANDED_SORT_NEEDS_DESTINATION = (
        "landed_sort_needs_destination",
        422,
        _("Choose a destination to sort by landed price."),
    )
    # bulk import
    UNSUPPORTED_SPREADSHEET = (
        "unsupported_spreadsheet",
        422,
        _("Upload a .csv or .xlsx file."),
    )
    IMPORT_WRONG_COLUMNS = (
        "import_wrong_columns",
        422,
        _(
            "These columns don't match the template: missing %(missing)s; not in the "
            "template: %(unknown)s. Download the template and use its column names."
        ),
    )
    IMPORT_TOO_MANY_ROWS = "import_too_many_rows", 422, _("At most %(count)s rows per file.")
    IMPORT_BAD_ENCODING = (
        "import_bad_encoding",
        422,
        _("The CSV is not UTF-8 or GB18030 text."),
    )
    IMPORT_UNREADABLE_CSV = "import_unreadable_csv", 422, _("The CSV cannot be read: %(reason)s.")
    IMPORT_UNREADABLE_XLSX = (
        "import_unreadable_xlsx",
        422,
        _("The file is not a readable XLSX workbook."),
    )
    IMPORT_FAILED = (
        "import_failed",
        500,
        _("The import stopped unexpectedly; rows before this point were imported."),
    )
    # reservation (orders.md)
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
    RESERVED = (
        "reserved",
        409,
        _("This listing is reserved by an order; it takes no new quotation requests."),
    )
