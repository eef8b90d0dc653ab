"""Frozen quote versions stored the engine's reasons and warnings as English sentences;
they are now codes with parameters ({"code", "params"}), rendered in the reader's language.

The patterns below are the engine's old sentences, matched once here and nowhere else; a
sentence that matches none is kept as {"code": "legacy", "params": {"text": …}}.
"""

import re

from django.db import migrations

_SIDE = {"left-hand drive": "LHD", "right-hand drive": "RHD"}
_SIDE_TEXT = {v: k for k, v in _SIDE.items()}
_VEHICLE = r"^vehicle (?P<vehicle_id>\S+) \((?P<vehicle>.+)\) is "

PATTERNS = (
    (
        "too_old",
        re.compile(
            _VEHICLE + r"(?P<age>\d+) years old; (?P<country>\w+) admits vehicles "
            r"up to (?P<max_age>\d+) years old\.$"
        ),
    ),
    (
        "steering_not_admitted",
        re.compile(
            _VEHICLE + r"(?P<steering>left-hand drive|right-hand drive); (?P<country>\w+) "
            r"admits only (?P<allowed>.+)\.$"
        ),
    ),
    ("exw_export_clearance", re.compile(r"^Under EXW the buyer must arrange export clearance\.$")),
    (
        "rate_book_not_in_force",
        re.compile(
            r"^Rate book (?P<version>.+) is not in force on (?P<date>[\d-]+) "
            r"\(valid (?P<valid_from>[\d-]+) to (?P<valid_to>[\d-]+)\)\.$"
        ),
    ),
    (
        "onward_not_included",
        re.compile(
            r"^Carriage beyond (?P<place>\S+) to (?P<named_place>.+) is the buyer's under "
            r"(?P<incoterm>\w+)\.$"
        ),
    ),
    (
        "cover_not_applied",
        re.compile(r"^(?P<incoterm>\w+) includes (?P<cover>\S+) cover; (?P<asked>.+) was not applied\.$"),
    ),
    (
        "insurance_not_included",
        re.compile(r"^Insurance is the buyer's under (?P<incoterm>\w+); it is not included\.$"),
    ),
)
_NUMBERS = ("age", "max_age")

ENGLISH = {
    "too_old": "vehicle {vehicle_id} ({vehicle}) is {age} years old; {country} admits vehicles "
    "up to {max_age} years old.",
    "steering_not_admitted": "vehicle {vehicle_id} ({vehicle}) is {steering}; {country} admits "
    "only {allowed}.",
    "exw_export_clearance": "Under EXW the buyer must arrange export clearance.",
    "rate_book_not_in_force": "Rate book {version} is not in force on {date} "
    "(valid {valid_from} to {valid_to}).",
    "onward_not_included": "Carriage beyond {place} to {named_place} is the buyer's under "
    "{incoterm}.",
    "cover_not_applied": "{incoterm} includes {cover} cover; {asked} was not applied.",
    "insurance_not_included": "Insurance is the buyer's under {incoterm}; it is not included.",
}


def notice(text):
    if not isinstance(text, str):
        return text  # converted already
    for code, pattern in PATTERNS:
        match = pattern.match(text.strip())
        if match:
            params = match.groupdict()
            for name in _NUMBERS:
                if name in params:
                    params[name] = int(params[name])
            if code == "steering_not_admitted":
                params["steering"] = _SIDE[params["steering"]]
                params["allowed"] = ",".join(
                    _SIDE.get(s.strip(), s.strip()) for s in params["allowed"].split(" or ")
                )
            return {"code": code, "params": params}
    return {"code": "legacy", "params": {"text": text}}


def sentence(stored):
    if isinstance(stored, str):
        return stored
    code, params = stored.get("code"), dict(stored.get("params") or {})
    if code == "legacy":
        return params.get("text", "")
    if code == "steering_not_admitted":
        params["steering"] = _SIDE_TEXT.get(params.get("steering"), params.get("steering"))
        params["allowed"] = " or ".join(
            _SIDE_TEXT.get(s, s) for s in str(params.get("allowed", "")).split(",")
        )
    try:
        return ENGLISH[code].format(**params)
    except (KeyError, IndexError):
        return code


def _convert(apps, convert):
    QuoteVersion = apps.get_model("quotes", "QuoteVersion")
    for quote in QuoteVersion.objects.only("pk", "reasons", "warnings").iterator():
        reasons = [convert(r) for r in quote.reasons or []]
        warnings = [convert(w) for w in quote.warnings or []]
        if reasons != quote.reasons or warnings != quote.warnings:
            QuoteVersion.objects.filter(pk=quote.pk).update(reasons=reasons, warnings=warnings)


def forwards(apps, schema_editor):
    _convert(apps, notice)


def backwards(apps, schema_editor):
    _convert(apps, sentence)


class Migration(migrations.Migration):
    dependencies = [("quotes", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
