"""The privacy app's error codes: the policy a user must accept."""

from django.utils.translation import gettext_lazy as _

from ex1000.core.errors import ErrorCode


class PrivacyError(ErrorCode):
    NO_POLICY = "no_policy", 404, _("No privacy policy has been published yet.")
    CURRENT_POLICY_REQUIRED = (
        "current_policy_required",
        422,
        _("You must accept the current privacy policy (version %(version)s)."),
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
