"""The privacy app's error codes: the policy a user must accept, consents."""

from django.utils.translation import gettext_lazy as _

from ex1000.core.errors import ErrorCode


class PrivacyError(ErrorCode):
    NO_POLICY = "no_policy", 404, _("No privacy policy has been published yet.")
    CURRENT_POLICY_REQUIRED = (
        "current_policy_required",
        422,
        _("You must accept the current privacy policy (version %(version)s)."),
    )
    UNKNOWN_CONSENT_PURPOSE = (
        "unknown_consent_purpose",
        422,
        _("There is no consent purpose “%(purpose)s”; the purposes are: %(choices)s."),
    )
    POLICY_ACCEPTANCE_REQUIRED = (
        "policy_acceptance_required",
        428,
        _(
            "The privacy policy has changed (version %(version)s): read and accept it "
            "before you go on."
        ),
    )
    POLICY_VERSION_EXISTS = (
        "policy_version_exists",
        409,
        _("Policy version %(version)s has already been published; versions are never edited."),
    )
    # requests and complaints (tickets)
    REASON_REQUIRED = "reason_required", 422, _("A refusal must give its reason.")
    REQUEST_CLOSED = (
        "request_closed",
        409,
        _("This request has already been answered (%(status)s)."),
    )
    CONFIRMATION_INVALID = (
        "confirmation_invalid",
        422,
        _("This confirmation code is not valid. Use the code from the latest email."),
    )
    CONFIRMATION_EXPIRED = (
        "confirmation_expired",
        422,
        _("This confirmation code has expired. Ask for the deletion again to get a new one."),
    )
    NOT_AWAITING_CONFIRMATION = (
        "not_awaiting_confirmation",
        409,
        _("This request is not waiting for a confirmation."),
    )
    DELETION_ALREADY_SCHEDULED = (
        "deletion_already_scheduled",
        409,
        _("The deletion of this account is already scheduled."),
    )
    FIELD_NOT_CORRECTABLE = (
        "field_not_correctable",
        422,
        _("This field cannot be corrected by a request. Choose one of: %(choices)s."),
    )
    CORRECTION_INVALID = (
        "correction_invalid",
        422,
        _("The corrected value is not valid: %(message)s"),
    )
    DECIDED_BY_ERASURE = (
        "decided_by_erasure",
        409,
        _("A confirmed deletion is completed by the erasure itself, not by an operator."),
    )
    CONTACT_EMAIL_REQUIRED = (
        "contact_email_required",
        422,
        _("Give an email address so that we can answer you."),
    )
    REAUTHENTICATION_REQUIRED = (
        "reauthentication_required",
        403,
        _("Enter your password again to download your data."),
    )
    WRONG_PASSWORD = "wrong_password", 403, _("The password is not correct.")
    EXPORT_LOCKED_OUT = (
        "export_locked_out",
        429,
        _("Too many wrong passwords: try again later."),
    )
    EXPORT_NOT_READY = "export_not_ready", 409, _("The export is not ready yet.")
    EXPORT_EXPIRED = (
        "export_expired",
        410,
        _("This download link has expired; prepare a new export."),
    )
    # disclosures
    DISCLOSURE_USER_UNKNOWN = (
        "disclosure_user_unknown",
        422,
        _("There is no user %(user)s whose data could have been disclosed."),
    )
    DISCLOSURE_DATA_REQUIRED = (
        "disclosure_data_required",
        422,
        _("Say which data was released."),
    )
    DISCLOSURE_RECIPIENT_REQUIRED = (
        "disclosure_recipient_required",
        422,
        _("Name the recipient of the data (the company or the authority)."),
    )
