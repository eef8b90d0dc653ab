"""The engine's notices (pricing.Notice: eligibility reasons, warnings, refusal details) as
people read them: one translatable template per code, rendered in the active language.

Frozen quote versions store notices as ``{"code": …, "params": {…}}``; they are rendered
when shown (API, pages, PDF), so a Russian reader never sees the engine's English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from ex1000 import pricing
from ex1000.pricing import notices as nc

from .error_codes import QuoteError

LEGACY = "legacy"  # a sentence stored before notices had codes: {"text": the sentence}

TEMPLATES = {
    # eligibility reasons
    nc.TOO_OLD: _(
        "Vehicle %(vehicle_id)s (%(vehicle)s) is %(age)s years old; %(country)s admits "
        "vehicles up to %(max_age)s years old."
    ),
    nc.STEERING_NOT_ADMITTED: _(
        "Vehicle %(vehicle_id)s (%(vehicle)s) is %(steering)s; %(country)s admits only %(allowed)s."
    ),
    # warnings
    nc.EXW_EXPORT_CLEARANCE: _("Under EXW the buyer must arrange export clearance."),
    nc.RATE_BOOK_NOT_IN_FORCE: _(
        "Rate book %(version)s is not in force on %(date)s (valid %(valid_from)s to %(valid_to)s)."
    ),
    nc.ONWARD_NOT_INCLUDED: _(
        "Carriage beyond %(place)s to %(named_place)s is the buyer's under %(incoterm)s."
    ),
    nc.COVER_NOT_APPLIED: _("%(incoterm)s includes %(cover)s cover; %(asked)s was not applied."),
    nc.INSURANCE_NOT_INCLUDED: _(
        "Insurance is the buyer's under %(incoterm)s; it is not included."
    ),
    # what a refusal is about
    nc.MISSING_ORIGIN_RATE: _("there is no origin rate at %(place)s for %(mode)s."),
    nc.MISSING_INLAND_RATE: _("there is no inland rate %(city)s → %(place)s for %(mode)s."),
    nc.MISSING_MAIN_RATE: _(
        "there is no main carriage rate %(origin)s → %(destination)s for %(mode)s."
    ),
    nc.MISSING_MAIN_BASIS: _("the rate %(row)s has no %(basis)s for %(mode)s."),
    nc.MISSING_INSPECTION_RATE: _("there is no %(inspection)s inspection rate for %(country)s."),
    nc.MISSING_ONWARD_RATE: _(
        "there is no rate for onward carriage from %(place)s to %(named_place)s."
    ),
    nc.MISSING_DESTINATION_RATE: _("there is no destination rate at %(place)s for %(mode)s."),
    nc.MISSING_DUTY_RATE: _("there is no duty rate for %(country)s."),
    nc.MISSING_INSURANCE_RATE: _("there is no insurance rate for the %(cover)s cover."),
    nc.NO_ORIGIN_FOR_MODE: _("no place has origin rates for %(mode)s."),
    nc.NO_ITEMS: _("a quote needs at least one vehicle."),
    nc.DUPLICATE_VEHICLE: _("vehicle %(vehicle_id)s is listed twice."),
    nc.INVALID_QUANTITY: _("vehicle %(vehicle_id)s (%(vehicle)s): the quantity starts at 1."),
    nc.INVALID_DIMENSIONS: _(
        "vehicle %(vehicle_id)s (%(vehicle)s): the dimensions must be positive."
    ),
    nc.NEGATIVE_PRICE: _("vehicle %(vehicle_id)s (%(vehicle)s): the price must not be negative."),
}

STEERING = {"LHD": _("left-hand drive"), "RHD": _("right-hand drive")}


def _value(name: str, value: Any) -> Any:
    if name == "mode":
        from .presentation import MODE_LABELS

        return str(MODE_LABELS.get(value, value))
    if name == "steering":
        return str(STEERING.get(value, value))
    if name == "allowed":
        return " / ".join(str(STEERING.get(s, s)) for s in str(value).split(","))
    return value


def render(notice: pricing.Notice | Mapping[str, Any] | str) -> str:
    """A notice in the active language: a pricing.Notice, its stored form, or (text from
    before codes, or already rendered) a plain string, shown as it is."""
    if isinstance(notice, str):
        return notice
    if isinstance(notice, pricing.Notice):
        code, params = notice.code, dict(notice.params)
    else:
        code, params = str(notice.get("code", "")), dict(notice.get("params") or {})
    if code == LEGACY:
        return str(params.get("text", ""))
    template = TEMPLATES.get(code)
    if template is None:  # a refusal's own code
        try:
            return QuoteError(code).render(params)
        except ValueError:
            return code
    values = {k: _value(k, v) for k, v in params.items()}
    try:
        return str(template) % values
    except (KeyError, ValueError, TypeError):
        return str(template)


def render_all(notices: Iterable[pricing.Notice | Mapping[str, Any] | str]) -> list[str]:
    return [render(n) for n in notices]


def stored(notice: pricing.Notice | Mapping[str, Any] | str) -> dict[str, Any]:
    """The stored and API form ({code, params}) of a notice."""
    if isinstance(notice, pricing.Notice):
        return notice.as_dict()
    if isinstance(notice, str):
        return {"code": LEGACY, "params": {"text": notice}}
    return {"code": str(notice.get("code", "")), "params": dict(notice.get("params") or {})}


def _capitalised(notice: pricing.Notice) -> str:
    text = render(notice)
    return text[:1].upper() + text[1:]


lazy_render = lazy(_capitalised, str)


def refusal_detail(exc: pricing.QuoteError) -> Any:
    """What a refusal names, rendered lazily (when the message is shown, in its language)."""
    if exc.failures:
        return lazy(lambda: " ".join(_capitalised(f.notice) for f in exc.failures), str)()
    return lazy_render(exc.notice)
