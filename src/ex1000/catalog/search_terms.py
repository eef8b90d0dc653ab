"""How importers name the cars: makes and models in Chinese and Russian, common
misspellings, a VIN's last digits. Pure data and string work (no Django), used when a
listing's search words are built and when a query is read."""

from __future__ import annotations

import difflib
import re

# Canonical name (lower case, as listings spell it) → what buyers type instead.
MAKE_ALIASES: dict[str, tuple[str, ...]] = {
    "byd": ("比亚迪", "бид", "биди", "бяди"),
    "toyota": ("丰田", "тойота", "таёта"),
    "honda": ("本田", "хонда"),
    "nissan": ("日产", "ниссан"),
    "volkswagen": ("大众", "фольксваген", "vw", "фольц"),
    "geely": ("吉利", "джили"),
    "chery": ("奇瑞", "чери"),
    "changan": ("长安", "чанган"),
    "haval": ("哈弗", "хавал", "хавейл"),
    "great wall": ("长城", "грейт вол"),
    "tesla": ("特斯拉", "тесла"),
    "mercedes-benz": ("奔驰", "мерседес", "mercedes", "benz"),
    "bmw": ("宝马", "бмв"),
    "audi": ("奥迪", "ауди"),
    "hyundai": ("现代", "хендай", "хюндай"),
    "kia": ("起亚", "киа"),
    "li auto": ("理想", "лисян"),
    "nio": ("蔚来",),
    "xpeng": ("小鹏",),
    "zeekr": ("极氪", "зикр"),
    "hongqi": ("红旗", "хунци"),
    "wuling": ("五菱",),
    "buick": ("别克", "бьюик"),
    "gac trumpchi": ("广汽传祺", "传祺"),
    "tank": ("坦克",),
    "ora": ("欧拉",),
    "deepal": ("深蓝",),
}
MODEL_ALIASES: dict[str, tuple[str, ...]] = {
    "land cruiser": ("兰德酷路泽", "лэнд крузер", "ленд крузер", "ландкрузер"),
    "camry": ("凯美瑞", "камри"),
    "corolla": ("卡罗拉", "королла"),
    "rav4": ("荣放", "рав4", "рав 4"),
    "highlander": ("汉兰达", "хайлендер"),
    "sienna": ("赛那",),
    "accord": ("雅阁", "аккорд"),
    "civic": ("思域",),
    "cr-v": ("crv", "срв"),
    "sylphy": ("轩逸",),
    "x-trail": ("奇骏", "икс-трейл", "xtrail"),
    "tiguan l": ("途观l", "тигуан"),
    "passat": ("帕萨特", "пассат"),
    "lavida": ("朗逸",),
    "song plus": ("宋plus", "сонг плюс"),
    "qin plus": ("秦plus", "цинь плюс"),
    "han": ("汉",),
    "tang": ("唐",),
    "seal": ("海豹",),
    "dolphin": ("海豚",),
    "yuan plus": ("元plus", "atto 3"),
    "jolion": ("初恋", "джолион"),
    "model y": ("модель y",),
    "model 3": ("модель 3",),
}

VIN_TAIL = 6  # buyers and dealers quote a car by its VIN's last six characters
_WORD = re.compile(r"\w[\w-]*", re.UNICODE)


def aliases_for(make: str, model: str) -> list[str]:
    """The other names of this make and model, for the listing's search words."""
    words = list(MAKE_ALIASES.get((make or "").lower(), ()))
    model_key = (model or "").lower()
    for name, aliases in MODEL_ALIASES.items():
        if model_key == name or model_key.startswith(name + " "):
            words.extend(aliases)
    return words


def vin_words(vin: str) -> list[str]:
    """The full VIN and its last six characters, as separate words."""
    vin = (vin or "").strip().lower()
    return [vin, vin[-VIN_TAIL:]] if len(vin) > VIN_TAIL else [vin]


def _vocabulary() -> set[str]:
    words: set[str] = set()
    for table in (MAKE_ALIASES, MODEL_ALIASES):
        for name, aliases in table.items():
            for text in (name, *aliases):
                words.update(_WORD.findall(text.lower()))
    return words


VOCABULARY = frozenset(_vocabulary())


def corrected_query(q: str, known: frozenset[str] = VOCABULARY) -> str:
    """The query with misspelt car names put right ("toyta lend cruser" → "toyota land
    cruiser"). Only words of letters, 4 characters or more, close to a known name; a VIN,
    a number, a word already known or unlike any name stays as typed."""
    out = []
    for word in q.split():
        lower = word.lower()
        if len(lower) >= 4 and lower.isalpha() and lower not in known:
            match = difflib.get_close_matches(lower, known, n=1, cutoff=0.75)
            out.append(match[0] if match else word)
        else:
            out.append(word)
    return " ".join(out)
