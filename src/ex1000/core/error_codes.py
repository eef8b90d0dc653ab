"""Codes every app shares: the request's shape, authentication, access, idempotency."""

from django.utils.translation import gettext_lazy as _

from .errors import ErrorCode


class CoreError(ErrorCode):
    VALIDATION = "validation", 422, _("The request has invalid fields.")
    MALFORMED = "malformed", 400, _("The request body cannot be read.")
    NOT_AUTHENTICATED = "not_authenticated", 401, _("Authentication required.")
    FORBIDDEN = "forbidden", 403, _("You are not allowed to do this.")
    OPERATORS_ONLY = "operators_only", 403, _("Operators only.")
    NOT_FOUND = "not_found", 404, _("Not found.")
    METHOD_NOT_ALLOWED = (
        "method_not_allowed",
        405,
        _("%(method)s is not allowed here; allowed: %(allowed)s."),
    )
    CONFLICT = "conflict", 409, _("The change conflicts with the current state; reload and retry.")
    TOO_LARGE = "too_large", 413, _("The request is too large.")
    RATE_LIMITED = "rate_limited", 429, _("Too many requests; try again later.")
    SERVER_ERROR = "server_error", 500, _("Something went wrong on our side; nothing was changed.")
    UNAVAILABLE = (
        "service_unavailable",
        503,
        _("The service is briefly unavailable; try again in a few seconds."),
    )
    # field messages
    REQUIRED = "required", 422, _("This field is required.")
    TOO_LONG = "too_long", 422, _("At most %(count)s characters.")
    INVALID_CHOICE = "invalid_choice", 422, _("Choose one of: %(choices)s.")
    FILE_REQUIRED = "file_required", 422, _("A file is required.")
    FILE_TOO_LARGE = "file_too_large", 422, _("The file is larger than %(mb)s MB.")
    UNSUPPORTED_FILE = "unsupported_file", 422, _("Upload a PDF, JPEG or PNG file.")
    INVALID_VALUE = "invalid_value", 422, _("This value is not valid.")
    INVALID_NUMBER = "invalid_number", 422, _("Enter a number.")
    INVALID_BOOLEAN = "invalid_boolean", 422, _("Enter true or false.")
    INVALID_DATETIME = (
        "invalid_datetime",
        422,
        _("Enter a date and time in ISO 8601, e.g. 2026-12-01T09:30:00Z."),
    )
    INVALID_DATE = "invalid_date", 422, _("Enter a date in ISO 8601, e.g. 2026-12-01.")
    INVALID_FORMAT = "invalid_format", 422, _("This value is not in the expected format.")
    WRONG_TYPE = "wrong_type", 422, _("This value has the wrong type.")
    AT_LEAST = "at_least", 422, _("At least %(limit)s.")
    AT_MOST = "at_most", 422, _("At most %(limit)s.")
    TOO_SHORT = "too_short", 422, _("At least %(count)s characters.")
    TOO_FEW_ITEMS = "too_few_items", 422, _("At least %(count)s items.")
    TOO_MANY_ITEMS = "too_many_items", 422, _("At most %(count)s items.")
    # idempotency
    IDEMPOTENCY_KEY_INVALID = (
        "idempotency_key_invalid",
        422,
        _("The Idempotency-Key header must be 1 to 255 printable characters."),
    )
    IDEMPOTENCY_KEY_REUSED = (
        "idempotency_key_reused",
        422,
        _("This Idempotency-Key was used for a different request."),
    )
