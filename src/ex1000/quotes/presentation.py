"""Quotes as people read them: labels, trade terms, places and the engine's notices in
their language.

The pricing engine returns codes (line codes, notice codes with parameters), never text
to translate back: labels are looked up by code, notices rendered by quotes.notices.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from django.utils.translation import get_language, gettext, gettext_lazy, pgettext_lazy

from ex1000 import pricing
from ex1000.core.money import display

from .models import Place, RateBook

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


# --- the engine's notices and the named place ---------------------------------------------


@lru_cache(maxsize=16)
def _places(
    book_id: int, version: str, imported_at: datetime
) -> tuple[tuple[str, str, str, bool], ...]:
    """(code, name, country, is_destination) of a book: an import never changes them."""
    rows = Place.objects.filter(book_id=book_id).values_list(
        "code", "name", "country", "is_destination"
    )
    return tuple(rows)


def book_places(book: RateBook) -> tuple[tuple[str, str, str, bool], ...]:
    places = _places(book.pk, book.version, book.imported_at)
    if any(is_destination for *_rest, is_destination in places):
        return places
    # A book stored without flagged place rows: read its tables; destinations are abroad.
    return tuple(
        (p["code"], p["name"], p["country"], p.get("country") != "CN")
        for p in book.document.get("places", [])
    )


def place_label(book: RateBook | None, code: str | None) -> str:
    """ "Jebel Ali (AEJEA)", or the bare code of a place the book does not name."""
    if not code:
        return ""
    if book is None:
        return code
    names = {place[0]: place[1] for place in book_places(book)}
    return f"{names[code]} ({code})" if code in names else code


def term_place(
    incoterm: str,
    *,
    origin: str | None,
    destination: str | None,
    named_place: str | None = None,
    book: RateBook | None = None,
) -> str:
    """The place a trade term names (pricing.named_place), as people write it:
    "Shanghai (CNSHA)" for FOB, "Jebel Ali (AEJEA)" for CIF, the named place for DAP."""
    place = pricing.named_place(
        incoterm, origin=origin, destination=destination, named_place=named_place
    )
    if place is None:
        return gettext("seller’s premises")
    if named_place and place == named_place.strip():
        return place
    return place_label(book, place)


def incoterm_place(
    incoterm: str,
    *,
    origin: str | None,
    destination: str | None,
    named_place: str | None = None,
    book: RateBook | None = None,
) -> str:
    """The trade term with the place it names, as pages, PDFs, the API and contracts write
    it: "FOB Shanghai (CNSHA)", "CIF Jebel Ali (AEJEA)", "DAP Dubai"."""
    place = term_place(
        incoterm, origin=origin, destination=destination, named_place=named_place, book=book
    )
    return f"{incoterm} {place}"


def quote_place(quote) -> str:
    """incoterm_place of a frozen QuoteVersion (or an Inquiry with a rate book)."""
    return incoterm_place(
        quote.incoterm,
        origin=quote.origin or None,
        destination=quote.destination,
        named_place=quote.named_place,
        book=getattr(quote, "rate_book", None),
    )
