"""The off-platform-payment detector: does a message ask to pay outside escrow?

Why: the scam every peer marketplace warns about is the supplier (or someone who took over the
supplier's mailbox) writing "our bank details have changed", "pay to my personal account to
save the fee" or "send the balance by WeChat Pay directly". Money paid that way never reaches
escrow, so neither the inspection nor the refund protects the buyer. Orders contract, section
"Messages": such a message is delivered with ``warnings: ["off_platform_payment"]``.

Pure Python (no Django): the phrase lists are data, in ``fraud_phrases.json`` next to this
module, per language (en, zh-hans, ru, ar, es, fr), loaded once. Besides the phrases, three
patterns are code because they need arithmetic or masking:

* an IBAN (spaces allowed) whose length fits its country and whose mod-97 check holds;
* a long bank account or card number: 12–20 digits, spaces or hyphens allowed between groups
  of 3+, once VINs, E.164 phone numbers, EX order numbers, ISO 6346 container numbers and
  numbers after a shipping or order label (B/L, booking, invoice…) are masked out, and amounts
  (``12,500.00``) never count;
* a SWIFT/BIC code after "SWIFT"/"BIC", or an upper-case one near a bank word.

A phrase or channel right after a negation of the same clause ("never pay to a personal
account", «请勿…», «не переводите…») does not count: honest dealers repeat the warning.

A warning is a hint for the recipient and the operators' fraud queue, not a block, so the rules
lean towards flagging; the false examples in tests/messaging/test_fraud.py are the ordinary
escrow, shipping and phone messages that must stay quiet.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

OFF_PLATFORM_PAYMENT = "off_platform_payment"
LANGUAGES = ("en", "zh-hans", "ru", "ar", "es", "fr")
PHRASES_FILE = Path(__file__).with_name("fraud_phrases.json")

# A letter or digit that is not CJK: Chinese characters are \w, but "用PayPal付款" has a word
# edge before "paypal" all the same.
_WORD = r"[^\W\u3000-\u9fff\uf900-\ufaff]"
_UPPER_ESCAPES = re.compile(r"\\[SWDB]")

_ARABIC = str.maketrans(
    {
        "ى": "ي",  # alef maksura
        "ة": "ه",  # ta marbuta
        "ـ": None,  # tatweel
        "’": "'",
        "‘": "'",
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
    }
)
_SPACES = re.compile(r"\s+")


@cache
def _folding() -> dict[int, str]:
    """Traditional Chinese characters → Simplified (the data file's ``traditional_chinese``)."""
    data = json.loads(PHRASES_FILE.read_text(encoding="utf-8"))
    return str.maketrans(data.get("traditional_chinese", {}))


def normalise(text: str) -> str:
    """NFKC, casefold, accents and Arabic diacritics stripped (ё→е, é→e, أ→ا), Traditional
    Chinese folded to Simplified (帳戶→帐户), one space."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_ARABIC)
    text = text.translate(_folding())
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


@dataclass(frozen=True)
class _Language:
    code: str
    phrases: re.Pattern[str]
    channels: re.Pattern[str]
    bank_words: re.Pattern[str]
    reference_labels: re.Pattern[str]
    negations: frozenset[str]


def _compile(patterns: list[str], boundaries: bool, where: str) -> re.Pattern[str]:
    parts = []
    for pattern in patterns:
        if _UPPER_ESCAPES.search(pattern):
            raise ValueError(f"{where}: {pattern!r} uses an upper-case escape (casefolded away)")
        pattern = normalise(pattern)
        parts.append(f"(?<!{_WORD})(?:{pattern})(?!{_WORD})" if boundaries else f"(?:{pattern})")
    return re.compile("|".join(parts) or r"(?!)")


def load_phrases(path: Path = PHRASES_FILE) -> dict[str, dict[str, Any]]:
    """The phrase data file's languages, as stored: ``{code: {"phrases": [...], ...}}``."""
    languages: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["languages"]
    return languages


@cache
def _languages() -> tuple[_Language, ...]:
    compiled = []
    for code, entry in load_phrases().items():
        boundaries = bool(entry["word_boundaries"])
        labels = [re.escape(normalise(label)) for label in entry["reference_labels"]]
        compiled.append(
            _Language(
                code=code,
                phrases=_compile(entry["phrases"], boundaries, f"{code} phrases"),
                channels=_compile(entry["channels"], True, f"{code} channels"),
                bank_words=_compile(
                    [re.escape(normalise(w)) for w in entry["bank_words"]],
                    boundaries,
                    f"{code} bank words",
                ),
                reference_labels=re.compile(
                    rf"(?<!{_WORD})(?:{'|'.join(labels)})"
                    r"(?: ?(?:no|nr|n|num|number|numero|#|№)\.?)? ?[:#№]? ?"
                    r"[a-z0-9][a-z0-9/-]*\d[a-z0-9/-]*"
                ),
                negations=frozenset(normalise(n) for n in entry["negations"]),
            )
        )
    return tuple(compiled)


# IBAN lengths by country (SWIFT IBAN registry).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip
# ISO 3166-1 alpha-2 (plus XK), for the country part of a SWIFT/BIC code.
_COUNTRY_CODES = (
    "AC AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO "
    "BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK "
    "DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR "
    "GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM "
    "KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP "
    "MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL "
    "PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST "
    "SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG "
    "VI VN VU WF WS XK YE YT ZA ZM ZW"
)
COUNTRIES = frozenset(_COUNTRY_CODES.split())

# Overlapping starts (lookahead), so a false start cannot swallow the real IBAN after it.
_IBAN_CANDIDATE = re.compile(r"(?<![a-z0-9])(?=([a-z]{2}\d{2}(?:[ -]?[a-z0-9]){11,32}))")
_SEPARATORS = re.compile(r"[ -]")


def iban_valid(compact: str) -> bool:
    """A compact IBAN (no spaces) of its country's length whose mod-97 check gives 1."""
    compact = compact.upper()
    if IBAN_LENGTHS.get(compact[:2]) != len(compact) or not compact.isalnum():
        return False
    digits = "".join(str(int(c, 36)) for c in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def find_ibans(text: str) -> list[str]:
    """The valid IBANs in ``text``, compact and upper-case."""
    found = []
    for match in _IBAN_CANDIDATE.finditer(normalise(text)):
        compact = _SEPARATORS.sub("", match.group(1)).upper()
        length = IBAN_LENGTHS.get(compact[:2], 0)
        iban = compact[:length]
        if length and len(iban) == length and iban_valid(iban) and iban not in found:
            found.append(iban)
    return found


# Numbers that are not bank accounts, masked before looking for one.
_NOT_ACCOUNTS = [
    re.compile(r"\bex-\d{4}-\d{4,}\b"),  # order numbers EX-2026-000123
    re.compile(r"(?<![a-z0-9])(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-hj-npr-z0-9]{17}(?![a-z0-9])"),
    re.compile(r"(?<![a-z0-9])[a-z]{3}[ujz] ?\d{6} ?\d(?![a-z0-9])"),  # ISO 6346 containers
    re.compile(r"\+ ?\d(?:[ ().-]{0,2}\d){6,14}"),  # E.164 phone numbers
]
# Groups of 3+ digits (a last group may be shorter), never part of an amount or a code.
_DIGIT_RUN = re.compile(r"(?<![a-z0-9+.,/-])\d{3,}(?:[ -]\d{3,})*(?:[ -]\d{1,2})?(?![a-z0-9])")
_DIGITS = re.compile(r"\d")


def _phone(digits: str) -> bool:
    """``0086 138 0013 8000`` (00 for +), or ``8613800138000`` without the +: an international
    number, any kind when dialled with 00, a mobile one otherwise (mobile ranges are narrow;
    a 12–15-digit account number that reads as a landline somewhere stays an account)."""
    international = digits[2:] if digits.startswith("00") else digits
    if len(international) > 15:
        return False
    try:
        import phonenumbers
    except ImportError:  # pragma: no cover - a project dependency
        return digits.startswith("00")
    try:
        number = phonenumbers.parse("+" + international)
    except phonenumbers.NumberParseException:
        return False
    if not phonenumbers.is_valid_number(number):
        return False
    mobile = phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE
    return digits.startswith("00") or phonenumbers.number_type(number) in mobile


def find_account_numbers(text: str) -> list[str]:
    """Digit runs of 12–20 digits that look like a bank account or card number."""
    masked = normalise(text)
    for pattern in _NOT_ACCOUNTS:
        masked = pattern.sub(" ~ ", masked)
    for language in _languages():
        masked = language.reference_labels.sub(" ~ ", masked)
    found = []
    for match in _DIGIT_RUN.finditer(masked):
        digits = "".join(_DIGITS.findall(match.group()))
        if 12 <= len(digits) <= 20 and not _phone(digits):
            found.append(digits)
    return found


_BIC_LABELLED = re.compile(
    r"(?<![a-z0-9])(?:swift|bic|свифт|سويفت)(?:[ /-]?(?:code|bic|код|كود))? ?[:#]? ?"
    r"([a-z]{6}[a-z0-9]{2}(?:[a-z0-9]{3})?)(?![a-z0-9])"
)
_BIC_UPPER = re.compile(r"(?<![A-Za-z0-9])[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?(?![A-Za-z0-9])")


def find_bics(text: str) -> list[str]:
    """SWIFT/BIC codes: after "SWIFT"/"BIC", or in capitals within 40 characters of a bank word
    (not in a message written all in capitals, where every 8-letter word would do)."""
    found = [
        m.group(1).upper()
        for m in _BIC_LABELLED.finditer(normalise(text))
        if m.group(1)[4:6].upper() in COUNTRIES
    ]
    plain = unicodedata.normalize("NFKC", text)
    rest = _BIC_UPPER.sub(" ", plain)  # capitals of the codes themselves do not count
    letters = [c for c in rest if c.isalpha() and c.lower() != c.upper()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.6:
        return found
    for match in _BIC_UPPER.finditer(plain):
        code = match.group()
        if code[4:6] not in COUNTRIES or code in found:
            continue
        around = normalise(plain[max(0, match.start() - 40) : match.end() + 40])
        if any(language.bank_words.search(around) for language in _languages()):
            found.append(code)
    return found


_CJK = re.compile(r"[\u3000-\u9fff\uf900-\ufaff]")
_CLAUSE_END = re.compile(r"[,.;:!?()\"«»،؛؟，。；：！？、]")


@cache
def _negations() -> tuple[frozenset[str], tuple[str, ...]]:
    """Every language's negations: words (looked up among the last three words) and Chinese
    marks (looked for in the last six characters). Messages mix languages, so all apply."""
    every = frozenset().union(*(language.negations for language in _languages()))
    return (
        frozenset(n for n in every if not _CJK.search(n)),
        tuple(n for n in every if _CJK.search(n)),
    )


def _negated(normal: str, start: int) -> bool:
    """``never pay to a personal account``: a negation just before, in the same clause."""
    clause = _CLAUSE_END.split(normal[:start])[-1]
    words, marks = _negations()
    tail = clause.split()[-3:]
    if "why" in tail:  # "why not pay me directly?"
        return False
    return any(word in words for word in tail) or any(mark in clause[-6:] for mark in marks)


def _unnegated(pattern: re.Pattern[str], normal: str) -> bool:
    """A match not negated. Matches may overlap: "чтобы не платить комиссию, переведите …
    на мой личный счёт" matches from the negated "платить" and again from "переведите"."""
    position = 0
    while (match := pattern.search(normal, position)) is not None:
        if not _negated(normal, match.start()):
            return True
        position = match.start() + 1
    return False


def signals(text: str) -> list[str]:
    """Why a message would be flagged: ``phrase:<lang>``, ``channel:<lang>``, ``iban``,
    ``account_number``, ``bic`` (empty: nothing found)."""
    normal = normalise(text)
    found = []
    for language in _languages():
        if _unnegated(language.phrases, normal):
            found.append(f"phrase:{language.code}")
        if _unnegated(language.channels, normal):
            found.append(f"channel:{language.code}")
    if find_ibans(text):
        found.append("iban")
    if find_account_numbers(text):
        found.append("account_number")
    if find_bics(text):
        found.append("bic")
    return found


def without(text: str, known: tuple[str, ...]) -> str:
    """The text less the platform's own account numbers and codes (the escrow account, its
    SWIFT), however they are spaced: quoting them is what honest parties do."""
    for value in known:
        digits = [c for c in value if c.isdigit()]
        chars = digits if len(digits) >= 6 else [c for c in value if c.isalnum()]
        if len(chars) >= 6:
            text = re.sub(r"[\s-]*".join(map(re.escape, chars)), " ", text, flags=re.IGNORECASE)
    return text


def warnings_for(text: str, known: tuple[str, ...] = ()) -> list[str]:
    """``["off_platform_payment"]`` when the message asks to pay outside the platform or
    announces changed bank details, else ``[]``. ``known``: the platform's own account
    numbers and codes, which never count."""
    return [OFF_PLATFORM_PAYMENT] if signals(without(text, known)) else []
