"""The visitor's remembered quoting choice: destination, trade term, mode and currency.

Kept in the session and in a long-lived cookie (so it survives logging out and a new
session), read back on the next visit by the search picker and the vehicle calculator.
Nothing personal: four public codes and whether landed prices are switched on.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace

from django.conf import settings

from ex1000 import pricing

from .presentation import DEFAULT_OPTIONS

SESSION_KEY = "quote_preferences"
COOKIE_NAME = "ex1000_quoting"
COOKIE_AGE = 365 * 24 * 3600
_CODE = re.compile(r"^[A-Z0-9]{2,10}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Preferences:
    incoterm: str = DEFAULT_OPTIONS["incoterm"]
    destination: str = DEFAULT_OPTIONS["destination"]
    mode: str = DEFAULT_OPTIONS["mode"]
    currency: str = DEFAULT_OPTIONS["currency"]
    show_landed: bool = False  # the search page shows landed prices

    def options(self) -> dict[str, str]:
        """The four quoting options, as an estimate, a search and a vehicle link take them."""
        return {
            "destination": self.destination,
            "incoterm": self.incoterm,
            "mode": self.mode,
            "currency": self.currency,
        }

    def as_cookie(self) -> str:
        flag = "1" if self.show_landed else "0"
        return ".".join((self.incoterm, self.destination, self.mode, self.currency, flag))


def clean(
    *, incoterm: str, destination: str, mode: str, currency: str, show_landed: bool = False
) -> Preferences | None:
    """Preferences from untrusted text, or None when any part is not a plausible code."""
    incoterm, destination = incoterm.strip().upper(), destination.strip().upper()
    mode, currency = mode.strip().lower(), currency.strip().upper()
    if (
        incoterm not in pricing.INCOTERMS
        or mode not in pricing.MODE_LABELS
        or not _CODE.match(destination)
        or not _CURRENCY.match(currency)
    ):
        return None
    return Preferences(incoterm, destination, mode, currency, bool(show_landed))


def _from_cookie(value: str) -> Preferences | None:
    parts = value.split(".")
    if len(parts) != 5:
        return None
    incoterm, destination, mode, currency, flag = parts
    return clean(
        incoterm=incoterm,
        destination=destination,
        mode=mode,
        currency=currency,
        show_landed=flag == "1",
    )


def remembered(request) -> Preferences | None:
    """The choice stored for this visitor (session first, then the cookie), or None."""
    stored = request.session.get(SESSION_KEY)
    if isinstance(stored, dict):
        try:
            prefs = clean(**stored)
        except TypeError:
            prefs = None
        if prefs is not None:
            return prefs
    return _from_cookie(request.COOKIES.get(COOKIE_NAME, ""))


def current(request) -> Preferences:
    return remembered(request) or Preferences()


def remember(request, response, prefs: Preferences) -> None:
    request.session[SESSION_KEY] = asdict(prefs)
    response.set_cookie(
        COOKIE_NAME,
        prefs.as_cookie(),
        max_age=COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )


def with_options(prefs: Preferences, **changes) -> Preferences:
    return replace(prefs, **changes)
