"""Check digits of the numbers a shipment names: ISO 6346 container numbers and IMO ship
numbers. Pure functions: a typo caught here is a container nobody can find later."""

from __future__ import annotations

import re
import string

_CONTAINER = re.compile(r"^[A-Z]{3}[UJZ]\d{7}$")
_IMO = re.compile(r"^\d{7}$")
_PLACE = re.compile(r"^[A-Z]{2}[A-Z2-9]{3}$")


def _letter_values() -> dict[str, int]:
    """A=10, B=12 … Z=38: counting from 10 and skipping the multiples of 11."""
    values, n = {}, 10
    for letter in string.ascii_uppercase:
        if n % 11 == 0:
            n += 1
        values[letter] = n
        n += 1
    return values


_LETTERS = _letter_values()


def container_check_digit(first_ten: str) -> int:
    """ISO 6346: each of the first ten characters × 2^position, summed, mod 11 (10 → 0)."""
    total = sum((_LETTERS[c] if c.isalpha() else int(c)) * 2**i for i, c in enumerate(first_ten))
    return total % 11 % 10


def normalise_container(value: str) -> str:
    return re.sub(r"[\s\-/]", "", value or "").upper()


def valid_container_number(value: str) -> bool:
    """Owner code (3 letters), category (U, J or Z), serial (6 digits), check digit."""
    value = normalise_container(value)
    return bool(_CONTAINER.match(value)) and container_check_digit(value[:10]) == int(value[10])


def normalise_imo(value: str) -> str:
    value = re.sub(r"\s", "", value or "").upper()
    return value[3:] if value.startswith("IMO") else value


def valid_imo(value: str) -> bool:
    """Seven digits; the last is Σ digit × (7 − position) over the first six, mod 10."""
    value = normalise_imo(value)
    if not _IMO.match(value):
        return False
    return sum(int(d) * (7 - i) for i, d in enumerate(value[:6])) % 10 == int(value[6])


def valid_place_code(value: str) -> bool:
    """UN/LOCODE style: a country code and three letters or digits 2–9 (CNSHA, AEJEA)."""
    return bool(_PLACE.match(value or ""))
