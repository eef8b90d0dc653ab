"""The accounts app's error codes: registration, log-in, profile, documents, verification."""

from django.utils.translation import gettext_lazy as _

from ex1000.core.errors import ErrorCode


class AccountError(ErrorCode):
    # registration and profile
    UNKNOWN_COUNTRY = "unknown_country", 422, _("Use an ISO 3166 alpha-2 code, e.g. KZ.")
    UNKNOWN_CURRENCY = "unknown_currency", 422, _("Use an ISO 4217 code, e.g. USD.")
    UNKNOWN_TIME_ZONE = (
        "unknown_time_zone",
        422,
        _("Use an IANA time zone name, e.g. Asia/Almaty, or leave it empty for your country's."),
    )
    INVALID_EMAIL = "invalid_email", 422, _("Enter a valid email address.")
    INVALID_PHONE = (
        "invalid_phone",
        422,
        _("Enter a valid number with its country code, e.g. +86 138 0013 8000."),
    )
    EMAIL_TAKEN = "email_taken", 409, _("An account with this email already exists.")
    WEAK_PASSWORD = "weak_password", 422, _("Password too weak.")
    NOT_EDITABLE = "not_editable", 422, _("Not an editable field.")
    NO_COMPANY = "no_company", 422, _("You have no company.")
    COMPANY_LOCKED = (
        "locked",
        403,
        _(
            "Verified company data is locked. To correct it, send a correction request "
            "to %(email)s."
        ),
    )
    EMAIL_UNCHANGED = "email_unchanged", 422, _("This is your address already.")
    # email confirmation
    LINK_EXPIRED = "link_expired", 422, _("This link has expired; ask for a new one.")
    LINK_INVALID = "link_invalid", 422, _("This link is not valid.")
    # log-in
    BAD_CREDENTIALS = "bad_credentials", 401, _("Invalid email or password.")
    CURRENT_PASSWORD_WRONG = "current_password_wrong", 422, _("The current password is not right.")
    RESET_LINK_INVALID = (
        "reset_link_invalid",
        422,
        _("This password reset link is not valid or was used already; ask for a new one."),
    )
    LOCKED_OUT = "locked_out", 429, _("Too many failed attempts; try again later.")
    LOCKOUT_WARNING = (
        "lockout_warning",
        401,
        _("Careful: one more wrong password locks this account for %(minutes)s minutes."),
    )
    DELETION_SCHEDULED = (
        "deletion_scheduled",
        403,
        _(
            "This account is locked: it will be erased on %(date)s, as you asked. To keep "
            "it, log in again and choose to cancel the deletion."
        ),
    )
    DELETION_WAITING = (
        "deletion_waiting_for_orders",
        403,
        _(
            "This account is locked for its deletion, as you asked; it will be erased once "
            "your open orders (%(orders)s) are completed. To keep it, log in again and "
            "choose to cancel the deletion."
        ),
    )
    # two-factor authentication
    OTP_REQUIRED = (
        "otp_required",
        401,
        _("Enter the 6-digit code from your authenticator app, or a recovery code."),
    )
    OTP_INVALID = "otp_invalid", 401, _("Invalid email, password or code.")
    OTP_WRONG = "otp_wrong", 422, _("This code is not right, or was used already.")
    OTP_THROTTLED = (
        "otp_throttled",
        429,
        _("Too many wrong codes; try again in %(retry_after)s seconds."),
    )
    TWO_FACTOR_REQUIRED = (
        "two_factor_required",
        403,
        _(
            "Your account needs two-factor authentication: set it up, or enter your code, "
            "before going on."
        ),
    )
    TWO_FACTOR_ALREADY_ON = (
        "two_factor_enabled",
        409,
        _("Two-factor authentication is on already."),
    )
    TWO_FACTOR_NOT_STARTED = (
        "two_factor_not_started",
        409,
        _("Start setting up two-factor authentication first."),
    )
    TWO_FACTOR_OFF = "two_factor_not_enabled", 409, _("Two-factor authentication is not on.")
    TWO_FACTOR_MANDATORY = (
        "two_factor_mandatory",
        403,
        _("Your role must use two-factor authentication; it cannot be turned off."),
    )
    # qualification documents and verification
    DOCUMENTS_NOT_FOR_ROLE = (
        "documents_not_for_role",
        403,
        _("Only buyers and suppliers submit qualification documents."),
    )
    REASON_REQUIRED = "reason_required", 422, _("A rejection needs a reason.")
    ALREADY_DECIDED = "already_decided", 409, _("This request was decided already.")
    # publishing
    NOT_SUPPLIER = "not_supplier", 403, _("Only suppliers manage listings.")
    SUPPLIER_NOT_VERIFIED = (
        "supplier_not_verified",
        403,
        _("Your company must be verified before you can publish listings."),
    )
    # field messages
    LOCKED_AFTER_VERIFICATION = (
        "locked_after_verification",
        403,
        _("Locked after verification."),
    )
