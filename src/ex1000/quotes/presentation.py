"""Quotes as people read them: labels, trade terms and engine messages in their language.

The pricing engine is pure Python and speaks English (line labels, eligibility reasons,
warnings, refusals). The pages and the PDF translate here: fixed texts by lookup, the
engine's messages with a value inside by pattern — an unknown message is shown as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import (
    get_language,
    gettext,
    gettext_lazy,
    gettext_noop,
    pgettext_lazy,
)

from ex1000 import pricing
from ex1000.core.money import display

LINE_LABELS = {
    "vehicle_price": gettext_lazy("Vehicle price"),
    "platform_fee": gettext_lazy("Platform service fee"),
    "inspection": gettext_lazy("Inspection"),
    "inland": gettext_lazy("Inland transport to origin"),
    "export": gettext_lazy("Export clearance and documents"),
    "handling": gettext_lazy("Origin handling and loading"),
    "main_carriage": gettext_lazy("Main carriage"),
    "insurance": gettext_lazy("Cargo insurance"),
    "onward": gettext_lazy("Onward carriage to named place"),
    "unloading": gettext_lazy("Destination unloading"),
    "import_clearance": gettext_lazy("Import clearance"),
    "duty": gettext_lazy("Import duty"),
    "vat": gettext_lazy("Import VAT"),
    "adjustment": gettext_lazy("Adjustment"),
}

INCOTERM_NAMES = {
    "EXW": gettext_lazy("Ex Works"),
    "FCA": gettext_lazy("Free Carrier"),
    "FAS": gettext_lazy("Free Alongside Ship"),
    "FOB": gettext_lazy("Free On Board"),
    "CFR": gettext_lazy("Cost and Freight"),
    "CIF": gettext_lazy("Cost, Insurance and Freight"),
    "CPT": gettext_lazy("Carriage Paid To"),
    "CIP": gettext_lazy("Carriage and Insurance Paid To"),
    "DAP": gettext_lazy("Delivered at Place"),
    "DPU": gettext_lazy("Delivered at Place Unloaded"),
    "DDP": gettext_lazy("Delivered Duty Paid"),
}

MODE_LABELS = {
    "roro": gettext_lazy("RoRo"),
    "container": gettext_lazy("Container"),
    "rail": gettext_lazy("Rail"),
    "truck": gettext_lazy("Truck"),
}

# "Open" alone is a verb elsewhere (open a document): the status gets its own context.
INQUIRY_STATUS_LABELS = {
    "open": pgettext_lazy("inquiry status", "Open"),
    "accepted": pgettext_lazy("inquiry status", "Accepted"),
    "closed": pgettext_lazy("inquiry status", "Closed"),
}

# Offered in the pickers; the engine prices any currency the rate book has an fx rate for.
CURRENCIES = ("USD", "EUR", "CNY", "RUB", "KZT", "UZS", "AED", "SAR", "KES", "NGN", "JPY")

DEFAULT_OPTIONS = {"incoterm": "CIF", "destination": "AEJEA", "mode": "roro", "currency": "USD"}


def inquiry_status(status: str) -> str:
    return str(INQUIRY_STATUS_LABELS.get(status, status))


def line_label(line: dict) -> str:
    """A frozen line's label in the active language; a supplier's own wording stays as is."""
    code = line.get("code", "")
    label = line.get("label") or ""
    if code == "adjustment" and label and label != pricing.LINE_LABELS["adjustment"]:
        return label
    return str(LINE_LABELS.get(code, label))


def incoterm_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} — {INCOTERM_NAMES[code]}") for code in pricing.INCOTERMS]


def mode_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in MODE_LABELS.items()]


def term_label(incoterm: str) -> str:
    name = INCOTERM_NAMES.get(incoterm)
    return f"{incoterm} — {name}" if name else incoterm


def money(amount, currency: str) -> str:
    """An amount with every digit of the currency's minor unit, the way the language writes it."""
    if amount in (None, ""):
        return ""
    return display(Decimal(str(amount)), currency, get_language() or "en")


# --- who pays what -----------------------------------------------------------------------


@dataclass(frozen=True)
class BuyerSideLine:
    code: str
    label: str
    hint: str = ""


def buyer_side_lines(incoterm: str, *, insured: bool) -> list[BuyerSideLine]:
    """The costs the trade term leaves to the buyer: not in the quoted total."""
    term = pricing.INCOTERMS.get(incoterm)
    if term is None:
        return []
    out = []
    for code in pricing.LINE_CODES:
        if code == "adjustment":
            continue
        if code == "insurance":
            if term.insurance is pricing.Insurance.NONE:
                out.append(BuyerSideLine(code, str(LINE_LABELS[code])))
            elif term.insurance is pricing.Insurance.OPTIONAL and not insured:
                hint = gettext("Optional under %(term)s: tick “Cargo insurance” to include it.")
                out.append(BuyerSideLine(code, str(LINE_LABELS[code]), hint % {"term": incoterm}))
            continue
        if not term.includes(code):
            out.append(BuyerSideLine(code, str(LINE_LABELS[code])))
    return out


# --- the engine's messages ---------------------------------------------------------------

_SIDES = {
    "left-hand drive": gettext_noop("left-hand drive"),
    "right-hand drive": gettext_noop("right-hand drive"),
}

FIXED_MESSAGES = (
    gettext_noop("Under EXW the buyer must arrange export clearance."),
    gettext_noop("a quote needs at least one vehicle"),
)

PATTERNS = (
    (
        re.compile(
            r"^(?P<vehicle>.+) is (?P<age>\d+) years old; (?P<country>\w+) admits vehicles "
            r"up to (?P<max>\d+) years old\.$"
        ),
        gettext_noop(
            "%(vehicle)s is %(age)s years old; %(country)s admits vehicles up to %(max)s years old."
        ),
    ),
    (
        re.compile(
            r"^(?P<vehicle>.+) is (?P<side>left-hand drive|right-hand drive); (?P<country>\w+) "
            r"admits only (?P<allowed>.+)\.$"
        ),
        gettext_noop("%(vehicle)s is %(side)s; %(country)s admits only %(allowed)s."),
    ),
    (
        re.compile(
            r"^Rate book (?P<version>.+) is not in force on (?P<date>[\d-]+) "
            r"\(valid (?P<start>[\d-]+) to (?P<end>[\d-]+)\)\.$"
        ),
        gettext_noop(
            "Rate book %(version)s is not in force on %(date)s (valid %(start)s to %(end)s)."
        ),
    ),
    (
        re.compile(
            r"^Carriage beyond (?P<place>\w+) to (?P<named>.+) is the buyer's under "
            r"(?P<term>\w+)\.$"
        ),
        gettext_noop("Carriage beyond %(place)s to %(named)s is the buyer's under %(term)s."),
    ),
    (
        re.compile(
            r"^(?P<term>\w+) includes (?P<cover>[\w-]+) cover; (?P<asked>.+) was not "
            r"applied\.$"
        ),
        gettext_noop("%(term)s includes %(cover)s cover; %(asked)s was not applied."),
    ),
    (
        re.compile(r"^Insurance is the buyer's under (?P<term>\w+); it is not included\.$"),
        gettext_noop("Insurance is the buyer's under %(term)s; it is not included."),
    ),
    (
        re.compile(
            r"^(?P<term>\w+) is for sea transport only \(roro, container\); for (?P<mode>\w+) "
            r"use FCA, CPT or CIP\.$"
        ),
        gettext_noop(
            "%(term)s is for sea transport only (RoRo or container); for %(mode)s use FCA, "
            "CPT or CIP."
        ),
    ),
    (
        re.compile(r"^no fx rate for (?P<currency>\w+) in rate book (?P<version>.+)$"),
        gettext_noop("The rate book %(version)s has no exchange rate for %(currency)s."),
    ),
    (
        re.compile(r"^unknown destination '(?P<place>.*)'$"),
        gettext_noop("Unknown destination %(place)s."),
    ),
    (
        re.compile(r"^unknown origin '(?P<place>.*)'$"),
        gettext_noop("Unknown origin %(place)s."),
    ),
    (
        re.compile(r"^no onward rate (?P<place>\w+) → (?P<named>.+)$"),
        gettext_noop("There is no rate for onward carriage from %(place)s to %(named)s."),
    ),
    (
        re.compile(r"^no destination rate at (?P<place>\w+) for (?P<mode>\w+)$"),
        gettext_noop("There is no destination rate at %(place)s for %(mode)s."),
    ),
    (
        re.compile(r"^no duty rate for (?P<country>\w+)$"),
        gettext_noop("There is no duty rate for %(country)s."),
    ),
    (
        re.compile(r"^no origin has rates for the whole route to (?P<place>\w+) by (?P<mode>\w+):"),
        gettext_noop("No origin has rates for the whole route to %(place)s by %(mode)s."),
    ),
)


def engine_message(message: str) -> str:
    """An engine reason, warning or refusal in the active language when we know its shape."""
    text = str(message).strip()
    translated = gettext(text)
    if translated != text:
        return translated
    for pattern, template in PATTERNS:
        if match := pattern.match(text):
            values = match.groupdict()
            if "side" in values:
                values["side"] = gettext(_SIDES.get(values["side"], values["side"]))
                values["allowed"] = " / ".join(
                    gettext(_SIDES.get(s, s)) for s in values["allowed"].split(" or ")
                )
            if "mode" in values:
                values["mode"] = str(MODE_LABELS.get(values["mode"], values["mode"]))
            translated = gettext(template) % values
            # A refusal with details after the colon keeps them (the rate that is missing).
            rest = text[match.end() :].strip()
            return f"{translated} {rest}" if rest else translated
    return text
