from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client address as the (trusted) proxy reports it, else the socket peer."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None
