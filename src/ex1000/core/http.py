import ipaddress
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def client_ip(request: HttpRequest) -> str | None:
    """The client address as the trusted proxy reports it, else the socket peer.

    Each proxy appends the address it saw to X-Forwarded-For, so only the right-most
    TRUSTED_PROXY_COUNT entries (1 for one TLS proxy in front) were written by our
    own proxies; anything left of them is whatever the client chose to send. Taking the
    left-most entry would let anybody write a made-up IP into the consent ledger.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if proxies > 0 and forwarded:
        candidate = forwarded[-min(proxies, len(forwarded))]
        if _is_ip(candidate):  # a garbage header must not reach an inet column (500)
            return candidate
    peer = request.META.get("REMOTE_ADDR") or None
    return peer if peer and _is_ip(peer) else None


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def safe_next(request: HttpRequest, default: str = "/", target: str | None = None) -> str:
    """``next`` (posted, else in the query) when it is a page of this site, else ``default``:
    a login or a gate never sends anyone to another site."""
    if target is None:
        target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def gate_redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A gate in front of the pages (two-factor, policy re-consent) sends the user to ``url``
    and back to where they were going; an htmx partial must not swap that page in, so it
    gets HX-Redirect instead."""
    target = f"{url}?{urlencode({'next': request.get_full_path()})}"
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return HttpResponseRedirect(target)
