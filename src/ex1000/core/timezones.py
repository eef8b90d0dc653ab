"""Time zones: which one a person's times are shown in, and how a zone is named to them.

A user may choose an IANA zone (``User.time_zone``); left blank, the zone is their
country's main one. The country → zones table is the tz database's own ``zone.tab``, as
shipped by the ``tzdata`` package (not the operating system's copy): its first zone for a
country is used, except for the few countries where that first row is not where most
people live (``MAIN_ZONE_OVERRIDES``). No country, or an unknown one: UTC.

Core knows nothing of the user model: ``zone_of`` reads ``time_zone`` and ``country`` from
whatever it is given, so notifications and privacy (which may not import accounts) format
a recipient's times with the same rule as the pages (``accounts.selectors.time_zone_of``).
"""

from __future__ import annotations

import importlib.resources
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import get_timezone_location
from django.utils import translation
from django.utils.translation import gettext

UTC_NAME = "UTC"

# zone.tab lists a country's zones roughly from west to east (Kaliningrad before Moscow,
# Samarkand before Tashkent); where its first one is not the country's main zone:
MAIN_ZONE_OVERRIDES = {
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "FM": "Pacific/Pohnpei",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "UZ": "Asia/Tashkent",
}


@cache
def _zone_table() -> dict[str, tuple[str, ...]]:
    """Country code → its zones, in zone.tab's order (empty if tzdata is missing)."""
    try:
        text = (
            importlib.resources.files("tzdata")
            .joinpath("zoneinfo", "zone.tab")
            .read_text(encoding="utf-8")
        )
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - tzdata is a dependency
        return {}
    table: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) >= 3:
            table.setdefault(columns[0], []).append(columns[2])
    return {country: tuple(zones) for country, zones in table.items()}


@cache
def known_zones() -> frozenset[str]:
    """Every IANA name a user may choose (aliases included)."""
    return frozenset(available_timezones())


def is_known_zone(name: str) -> bool:
    return name in known_zones()


def listed_zones() -> list[str]:
    """The zones offered in a picker: one per area of the tz database (zone.tab), plus UTC;
    not the legacy aliases (``US/Eastern``, ``Etc/GMT+5``) that ``known_zones`` accepts."""
    zones = {zone for zones in _zone_table().values() for zone in zones}
    zones &= known_zones()
    zones.add(UTC_NAME)
    return sorted(zones)


def main_zone(country: str) -> str | None:
    """The country's main zone (``KZ`` → ``Asia/Almaty``), or None when none is known."""
    country = (country or "").upper()
    override = MAIN_ZONE_OVERRIDES.get(country)
    if override:
        return override
    zones = _zone_table().get(country)
    return zones[0] if zones else None


def effective_zone(time_zone: str, country: str) -> ZoneInfo:
    """The chosen zone, else the country's main one, else UTC."""
    for name in (time_zone, main_zone(country)):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo(UTC_NAME)


def zone_of(person) -> ZoneInfo:
    """The zone a person's times are shown in (anything with ``time_zone`` and ``country``,
    e.g. a user; anonymous visitors and objects without them: UTC)."""
    country = getattr(person, "country", "") or ""
    country = getattr(country, "code", country) or ""  # a django-countries Country
    return effective_zone(getattr(person, "time_zone", "") or "", str(country))


def utc_offset(zone: ZoneInfo | str, at: datetime | None = None) -> str:
    """``UTC+05:00`` — the zone's offset now (or at ``at``)."""
    zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    offset = (at or datetime.now(UTC)).astimezone(zone).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "−"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def zone_label(zone: ZoneInfo | str) -> str:
    """How a zone is named beside a time, in the active language: "Almaty time"; "UTC"."""
    name = zone if isinstance(zone, str) else zone.key
    if not name or name == UTC_NAME or name.startswith("Etc/"):
        return UTC_NAME
    locale = translation.to_locale(translation.get_language() or "en")
    try:
        city = get_timezone_location(name, locale=locale, return_city=True)
    except (LookupError, ValueError):  # babel knows no such locale or zone
        city = get_timezone_location(name, locale="en", return_city=True)
    return gettext("%(city)s time") % {"city": city}
