"""The unread message count beside "Messages" in every page's header."""

from .selectors import unread_count


def unread_messages(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_staff:
        return {}
    return {"unread_messages": unread_count(user)}
