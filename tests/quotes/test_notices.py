"""The engine's notices as codes: every code has a template that renders in every language,
quote bodies carry the codes and the rendered text, stored English sentences convert, and
the Incoterm's named place is the origin, the destination or the named place."""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings
from django.utils import translation

from ex1000.pricing import Notice
from ex1000.pricing import notices as nc
from ex1000.quotes import notices
from tests.factories import VehicleFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("ex1000.quotes.migrations.0002_notices_as_codes")

CODES = sorted(v for k, v in vars(nc).items() if k.isupper() and isinstance(v, str))
PARAMS = {
    "vehicle_id": "7",
    "vehicle": "2015 Toyota Camry",
    "age": 11,
    "max_age": 8,
    "country": "KE",
    "steering": "LHD",
    "allowed": "RHD",
    "version": "V1",
    "date": "2027-01-02",
    "valid_from": "2026-11-01",
    "valid_to": "2026-12-31",
    "incoterm": "CIF",
    "place": "AEJEA",
    "named_place": "Dubai",
    "cover": "ICC-C",
    "asked": "ICC-A",
    "mode": "rail",
    "city": "Lhasa",
    "origin": "CNSHA",
    "destination": "AEJEA",
    "row": "main[0]",
    "basis": "per_m3",
    "inspection": "pre-shipment",
}


@pytest.mark.parametrize("code", CODES)
def test_every_notice_code_renders_in_every_language(code):
    assert code in notices.TEMPLATES
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            text = notices.render({"code": code, "params": PARAMS})
        assert text and "%(" not in text, (code, language, text)


def test_steering_and_mode_are_shown_in_words():
    text = notices.render(Notice(nc.STEERING_NOT_ADMITTED, PARAMS))
    assert "left-hand drive" in text and "right-hand drive" in text and "LHD" not in text


def test_a_legacy_sentence_is_shown_as_stored():
    assert notices.render({"code": "legacy", "params": {"text": "Old words."}}) == "Old words."
    assert notices.render("Already rendered.") == "Already rendered."


@pytest.mark.parametrize(
    ("sentence", "stored"),
    [
        (
            "vehicle 12 (2015 Toyota Camry) is 11 years old; KE admits vehicles up to 8 years old.",
            {
                "code": "too_old",
                "params": {
                    "vehicle_id": "12",
                    "vehicle": "2015 Toyota Camry",
                    "age": 11,
                    "country": "KE",
                    "max_age": 8,
                },
            },
        ),
        (
            "vehicle 12 (2015 Toyota Camry) is left-hand drive; KE admits only right-hand drive.",
            {
                "code": "steering_not_admitted",
                "params": {
                    "vehicle_id": "12",
                    "vehicle": "2015 Toyota Camry",
                    "steering": "LHD",
                    "country": "KE",
                    "allowed": "RHD",
                },
            },
        ),
        (
            "Under EXW the buyer must arrange export clearance.",
            {"code": "exw_export_clearance", "params": {}},
        ),
        (
            "Carriage beyond AEJEA to Dubai is the buyer's under CIF.",
            {
                "code": "onward_not_included",
                "params": {"place": "AEJEA", "named_place": "Dubai", "incoterm": "CIF"},
            },
        ),
        (
            "CIF includes ICC-C cover; ICC-A was not applied.",
            {
                "code": "cover_not_applied",
                "params": {"incoterm": "CIF", "cover": "ICC-C", "asked": "ICC-A"},
            },
        ),
        (
            "Insurance is the buyer's under FOB; it is not included.",
            {"code": "insurance_not_included", "params": {"incoterm": "FOB"}},
        ),
        (
            "Rate book R1 is not in force on 2027-01-02 (valid 2026-11-01 to 2026-12-31).",
            {
                "code": "rate_book_not_in_force",
                "params": {
                    "version": "R1",
                    "date": "2027-01-02",
                    "valid_from": "2026-11-01",
                    "valid_to": "2026-12-31",
                },
            },
        ),
        ("Something else.", {"code": "legacy", "params": {"text": "Something else."}}),
    ],
)
def test_the_migration_converts_the_engine_sentences(sentence, stored):
    assert migration.notice(sentence) == stored
    assert migration.notice(stored) == stored  # converting twice changes nothing
    assert migration.sentence(stored) == sentence
    assert notices.render(stored)  # and the new code renders it


def test_an_estimate_carries_reason_codes_and_rendered_reasons(api, rate_book):
    old = VehicleFactory(year=2010, steering="LHD")
    body = api.post(
        "quotes/estimate",
        {
            "items": [{"vehicle_id": old.pk}],
            "incoterm": "CFR",
            "destination": "KEMBA",
            "currency": "USD",
        },
        headers={"Accept-Language": "ru"},
    ).json()
    assert [r["code"] for r in body["reason_codes"]] == ["too_old", "steering_not_admitted"]
    assert len(body["reasons"]) == 2
    with translation.override("ru"):
        expected = notices.render_all(body["reason_codes"])
    assert body["reasons"] == expected


@pytest.mark.parametrize(
    ("term", "place"),
    [
        ("FOB", "FOB Shanghai (CNSHA)"),
        ("FCA", "FCA Shanghai (CNSHA)"),
        ("CIF", "CIF Jebel Ali (AEJEA)"),
        ("CPT", "CPT Jebel Ali (AEJEA)"),
        ("DAP", "DAP Jebel Ali (AEJEA)"),
    ],
)
def test_the_quote_body_names_the_incoterm_place(api, rate_book, term, place):
    car = VehicleFactory()
    body = api.post(
        "quotes/estimate",
        {
            "items": [{"vehicle_id": car.pk}],
            "incoterm": term,
            "destination": "AEJEA",
            "origin": "CNSHA",
            "currency": "USD",
        },
    ).json()
    assert body["incoterm_place"] == place, body


def test_a_d_term_with_a_named_place_names_it(api, rate_book):
    car = VehicleFactory()
    body = api.post(
        "quotes/estimate",
        {
            "items": [{"vehicle_id": car.pk}],
            "incoterm": "DAP",
            "destination": "AEJEA",
            "named_place": "Dubai",
            "currency": "USD",
        },
    ).json()
    assert body["incoterm_place"] == "DAP Dubai", body
