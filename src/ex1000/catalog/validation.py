"""VIN rules: ISO 3779 shape everywhere, the check digit where the standard requires it."""

from vininfo import Vin
from vininfo.exceptions import ValidationError as VinError

# North America (1–5) and China (L, GB 16735) make position 9 a check digit.
CHECK_DIGIT_REGIONS = tuple("12345L")


def vin_problem(vin: str) -> str | None:
    """None when the VIN is acceptable, otherwise a message for the user."""
    try:
        vin = Vin.validate(vin or "")
    except VinError as exc:
        return str(exc)
    if vin.startswith(CHECK_DIGIT_REGIONS) and not Vin(vin).verify_checksum(check_year=False):
        return "VIN check digit (9th character) does not match."
    return None


def with_check_digit(vin: str) -> str:
    """The VIN with position 9 set so its check digit is right (demo data, tests)."""
    vin = vin.upper()
    for digit in "0123456789X":
        candidate = vin[:8] + digit + vin[9:]
        if Vin(candidate).verify_checksum(check_year=False):
            return candidate
    raise ValueError(f"no check digit makes {vin} valid")
