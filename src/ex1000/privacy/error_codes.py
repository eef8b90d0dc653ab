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
