"""The notifications app's error codes: the preferences (docs/orders.md, Notifications)."""

from django.utils.translation import gettext_lazy as _

from ex1000.core.errors import ErrorCode


class NotificationError(ErrorCode):
    UNKNOWN_EVENT = (
        "unknown_notification_event",
        422,
        _("There is no notification event %(event)s; choose one of: %(choices)s."),
    )
    DUPLICATE_EVENT = (
        "duplicate_notification_event",
        422,
        _("The notification event %(event)s is given more than once."),
    )
