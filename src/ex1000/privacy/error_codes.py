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
