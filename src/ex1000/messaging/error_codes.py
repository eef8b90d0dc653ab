"""The messaging app's error codes (orders.md, Messages)."""

from django.utils.translation import gettext_lazy as _

from ex1000.core.errors import ErrorCode


class MessagingError(ErrorCode):
    EMPTY_MESSAGE = "empty_message", 422, _("A message needs some text.")
    MESSAGE_TOO_LONG = (
        "message_too_long",
        422,
        _("A message has at most %(max)d characters."),
    )
    TOO_MANY_ATTACHMENTS = (
        "too_many_attachments",
        422,
        _("A message has at most %(max)d attachments."),
    )
