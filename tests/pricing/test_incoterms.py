"""Which lines each Incoterm puts in the seller's price, per mode (the table in quoting.md)."""

import pytest

from ex1000.pricing import (
    INCOTERMS,
    LINE_CODES,
    LINE_LABELS,
    QuoteError,
    QuoteErrorCode,
    named_place,
    quote,
)
from ex1000.pricing.notices import Notice

from .books import book, car, request

BOOK = book()
EXW_WARNING = Notice("exw_export_clearance")

ALWAYS = {"vehicle_price", "platform_fee", "inspection"}
FCA = ALWAYS | {"inland", "export"}
FOB = FCA | {"handling"}
CFR = FOB | {"main_carriage"}
INSURED = CFR | {"insurance"}
DAP = INSURED | {"onward"}
DPU = DAP | {"unloading"}
DDP = DPU | {"import_clearance", "duty", "vat"}

# Buyer asks for inspection, insurance and a named place beyond the destination.
EXPECTED = {
    "EXW": ALWAYS,
    "FCA": FCA,
    "FAS": FCA,
    "FOB": FOB,
    "CFR": INSURED,
    "CIF": INSURED,
    "CPT": INSURED,
    "CIP": INSURED,
    "DAP": DAP,
    "DPU": DPU,
    "DDP": DDP,
}
# Nothing asked for: no inspection, no insurance unless the term makes it mandatory, no onward.
EXPECTED_BARE = {
    "EXW": ALWAYS - {"inspection"},
    "FCA": FCA - {"inspection"},
    "FAS": FCA - {"inspection"},
    "FOB": FOB - {"inspection"},
    "CFR": CFR - {"inspection"},
    "CIF": INSURED - {"inspection"},
    "CPT": CFR - {"inspection"},
    "CIP": INSURED - {"inspection"},
    "DAP": CFR - {"inspection"},
    "DPU": (CFR | {"unloading"}) - {"inspection"},
    "DDP": (CFR | {"unloading", "import_clearance", "duty", "vat"}) - {"inspection"},
}
ROUTES = {
    "roro": ("AEJEA", "Dubai"),
    "container": ("AEJEA", "Dubai"),
    "rail": ("KZALA", "Astana"),
    "truck": ("KZALA", "Astana"),
}
SEA_ONLY = {"FAS", "FOB", "CFR", "CIF"}
CASES = [(term, mode) for term in INCOTERMS for mode in ROUTES]


def _request(term: str, mode: str, **options: object):
    destination, _ = ROUTES[mode]
    return request(car(), incoterm=term, mode=mode, destination=destination, **options)


@pytest.mark.parametrize(("term", "mode"), CASES)
def test_lines_per_incoterm_and_mode(term, mode):
    _, named_place = ROUTES[mode]
    req = _request(term, mode, insurance=True, inspection=True, named_place=named_place)
    if term in SEA_ONLY and mode in ("rail", "truck"):
        with pytest.raises(QuoteError) as err:
            quote(req, BOOK)
        assert err.value.code is QuoteErrorCode.TERM_NOT_FOR_MODE
        assert err.value.notice.params == {"incoterm": term, "mode": mode}
        return
    q = quote(req, BOOK)
    assert {line.code for line in q.lines} == EXPECTED[term]
    assert q.total == sum(line.amount for line in q.lines)
    assert (EXW_WARNING in q.warnings) == (term == "EXW")
    assert (q.origin is None) == (term == "EXW")


@pytest.mark.parametrize(
    ("term", "mode"), [c for c in CASES if not (c[0] in SEA_ONLY and c[1] in ("rail", "truck"))]
)
def test_lines_when_nothing_is_asked(term, mode):
    q = quote(_request(term, mode), BOOK)
    assert {line.code for line in q.lines} == EXPECTED_BARE[term]


@pytest.mark.parametrize(
    ("term", "insurance", "cover"),
    [
        ("CIF", False, "ICC-C"),
        ("CIF", True, "ICC-C"),
        ("CIP", False, "ICC-A"),
        ("CFR", True, "ICC-A"),
        ("CFR", "ICC-C", "ICC-C"),
        ("DAP", True, "ICC-A"),
        ("DDP", "ICC-C", "ICC-C"),
    ],
)
def test_insurance_cover_per_term(term, insurance, cover):
    q = quote(request(incoterm=term, insurance=insurance), BOOK)
    (line,) = [ln for ln in q.lines if ln.code == "insurance"]
    assert line.source.basis["cover"] == cover
    assert line.item is None


def test_cif_keeps_icc_c_and_says_so_when_another_cover_is_asked():
    q = quote(request(incoterm="CIF", insurance="ICC-A"), BOOK)
    (line,) = [ln for ln in q.lines if ln.code == "insurance"]
    assert line.source.basis["cover"] == "ICC-C"
    assert (
        Notice("cover_not_applied", {"incoterm": "CIF", "cover": "ICC-C", "asked": "ICC-A"})
        in q.warnings
    )


def test_insurance_asked_under_fob_is_not_included_but_warned():
    q = quote(request(incoterm="FOB", insurance=True), BOOK)
    assert "insurance" not in {ln.code for ln in q.lines}
    assert q.warnings == (Notice("insurance_not_included", {"incoterm": "FOB"}),)


def test_exw_needs_no_origin_rates():
    # A book with no transport tables at all still prices EXW.
    bare = book(inland=[], origin=[], main=[], destination=[], onward=[])
    q = quote(request(incoterm="EXW", mode="rail", destination="KZALA"), bare)
    assert q.origin is None
    assert [ln.code for ln in q.lines] == ["vehicle_price", "platform_fee"]
    assert EXW_WARNING in q.warnings


def test_excluded_lines_need_no_rates():
    # FOB does not need main carriage, destination, duty or insurance rates.
    thin = book(main=[], destination=[], duties=[], insurance=[])
    q = quote(request(incoterm="FOB"), thin)
    assert {ln.code for ln in q.lines} == {
        "vehicle_price",
        "platform_fee",
        "inland",
        "export",
        "handling",
    }


def test_every_term_and_line_code_has_a_label():
    assert len(INCOTERMS) == 11
    assert all(term.label for term in INCOTERMS.values())
    assert set(LINE_LABELS) == set(LINE_CODES)
    assert INCOTERMS["DPU"].label == "Delivered at Place Unloaded"


def test_unknown_incoterm_is_refused():
    with pytest.raises(QuoteError) as err:
        quote(request(incoterm="DAT"), BOOK)
    assert err.value.code is QuoteErrorCode.UNKNOWN_INCOTERM


# --- the named place -------------------------------------------------------------------------


@pytest.mark.parametrize("term", ["EXW", "FCA", "FAS", "FOB"])
def test_e_and_f_terms_name_the_place_of_origin(term):
    assert named_place(term, origin="CNSHA", destination="AEJEA") == "CNSHA"
    assert named_place(term, origin="CNSHA", destination="AEJEA", named_place="Dubai") == "CNSHA"


def test_exw_without_an_origin_names_no_place():
    assert named_place("EXW", origin=None, destination="AEJEA") is None


@pytest.mark.parametrize("term", ["CFR", "CIF", "CPT", "CIP"])
def test_c_terms_name_the_destination(term):
    assert named_place(term, origin="CNSHA", destination="AEJEA", named_place="Dubai") == "AEJEA"


@pytest.mark.parametrize("term", ["DAP", "DPU", "DDP"])
def test_d_terms_name_the_named_place_else_the_destination(term):
    assert named_place(term, origin="CNSHA", destination="AEJEA", named_place="Dubai") == "Dubai"
    assert named_place(term, origin="CNSHA", destination="AEJEA", named_place=" ") == "AEJEA"


def test_every_term_has_its_named_place_rule():
    from ex1000.pricing.incoterms import DELIVERY_NAMED, DESTINATION_NAMED, ORIGIN_NAMED

    assert set(INCOTERMS) == ORIGIN_NAMED | DESTINATION_NAMED | DELIVERY_NAMED
