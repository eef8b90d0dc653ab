"""POST /api/v1/quotes/estimate against an independent implementation of quoting.md
(tests/quotes/reference.py): totals, the sum of each line code, the chosen origin,
eligibility and validity, over every term, mode and currency precision (JPY 0, USD 2,
KWD 3 decimals), with insurance, inspection, named places and multi-vehicle containers.

The cases come from a compact grid (itertools.product) plus a seeded random sample, over
the demo rate book (five origins, eight destinations, every mode).
"""

from __future__ import annotations

import itertools
import random
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import VehicleFactory
from tests.pricing.books import FULL, SPEC_EXAMPLE
from tests.quotes import reference

pytestmark = pytest.mark.django_db

TERMS = reference.TERMS
MODES = ("roro", "container", "rail", "truck")
CURRENCIES = ("JPY", "USD", "KWD")
SEA_DESTINATIONS = ("AEJEA", "KEMBA", "TZDAR", "NGLOS", "RUNVS", "BRSSZ")
LAND_DESTINATIONS = ("KZALA", "UZTAS")
NAMED_PLACES = {
    "AEJEA": "Dubai",
    "KEMBA": "Nairobi",
    "TZDAR": "Dodoma",
    "NGLOS": "Abuja",
    "RUNVS": "Moscow",
    "BRSSZ": "Sao Paulo",
    "KZALA": "Astana",
    "UZTAS": "Samarkand",
}
INSURANCE = (False, True, "ICC-C", "ICC-A")

# Listings like the demo's: every supplier city, every size class, old and new, LHD and RHD,
# prices with odd cents.
LISTINGS = [
    dict(
        city="Hangzhou",
        length_mm=4775,
        width_mm=1890,
        height_mm=1670,
        year=2022,
        steering="LHD",
        price=Decimal("118000.00"),
    ),
    dict(
        city="Beijing",
        length_mm=4380,
        width_mm=1780,
        height_mm=1590,
        year=2016,
        steering="LHD",
        price=Decimal("45999.99"),
    ),
    dict(
        city="Guangzhou",
        length_mm=5089,
        width_mm=1950,
        height_mm=1815,
        year=2024,
        steering="RHD",
        price=Decimal("265500.50"),
    ),
    dict(
        city="Urumqi",
        length_mm=4700,
        width_mm=1860,
        height_mm=1730,
        year=2019,
        steering="LHD",
        price=Decimal("99999.96"),
    ),
    dict(
        city="Tianjin",
        length_mm=5410,
        width_mm=1990,
        height_mm=1850,
        year=2012,
        steering="RHD",
        price=Decimal("310000.00"),
    ),
    dict(
        city="Hangzhou",
        length_mm=2920,
        width_mm=1510,
        height_mm=1630,
        year=2025,
        steering="LHD",
        price=Decimal("20000.00"),
    ),
    dict(
        city="Guangzhou",
        length_mm=4435,
        width_mm=1825,
        height_mm=1480,
        year=2020,
        steering="RHD",
        price=Decimal("73210.37"),
    ),
    dict(
        city="Beijing",
        length_mm=4900,
        width_mm=1910,
        height_mm=1720,
        year=2017,
        steering="LHD",
        price=Decimal("151234.56"),
    ),
]


@pytest.fixture
def cars(demo_rate_book):
    return [VehicleFactory(quantity=5, **spec) for spec in LISTINGS]


def _ref_car(vehicle) -> reference.Car:
    return reference.Car(
        id=vehicle.pk,
        price=vehicle.price,
        city=vehicle.city,
        length_mm=vehicle.length_mm,
        width_mm=vehicle.width_mm,
        height_mm=vehicle.height_mm,
        year=vehicle.year,
        steering=vehicle.steering,
    )


def _cases(cars):
    """(items, options) pairs: the grid, then a seeded sample."""
    cases = []
    for n, (term, mode, currency) in enumerate(itertools.product(TERMS, MODES, CURRENCIES)):
        land = mode in ("rail", "truck")
        destinations = LAND_DESTINATIONS if land else SEA_DESTINATIONS
        destination = destinations[n % len(destinations)]
        count = 1 + (n % 3 if mode == "container" else n % 2)
        items = [(cars[(n + k) % len(cars)], 1 + (n + k) % 2) for k in range(count)]
        options = {
            "incoterm": term,
            "mode": mode,
            "currency": currency,
            "destination": destination,
            "insurance": INSURANCE[n % len(INSURANCE)],
            "inspection": n % 3 == 0,
        }
        if n % 2 and term in ("DAP", "DPU", "DDP", "CPT"):
            options["named_place"] = NAMED_PLACES[destination]
        cases.append((items, options))
    rng = random.Random(1000)
    for _ in range(260):
        mode = rng.choice(MODES)
        land = mode in ("rail", "truck")
        destination = rng.choice(LAND_DESTINATIONS if land else SEA_DESTINATIONS)
        picked = rng.sample(cars, rng.randint(1, 4 if mode == "container" else 2))
        options = {
            "incoterm": rng.choice(TERMS),
            "mode": mode,
            "currency": rng.choice((*CURRENCIES, "EUR", "CNY", "RUB", "KZT", "AED", "KES")),
            "destination": destination,
            "insurance": rng.choice(INSURANCE),
            "inspection": rng.random() < 0.3,
        }
        if rng.random() < 0.4:
            options["named_place"] = NAMED_PLACES[destination]
        if rng.random() < 0.2:
            options["origin"] = rng.choice(("CNSHA", "CNTXG", "CNNSA", "CNTAO", "CNHGS"))
        cases.append(([(car, rng.randint(1, 5)) for car in picked], options))
    return cases


# Engine refusal codes each reference refusal may appear as.
REFUSALS = {
    "sea_only": {"term_not_for_mode"},
    "missing_rate": {"missing_rate", "no_origin"},
    "no_container_fit": {"no_container_fit"},
}


def test_estimates_match_the_reference(api, cars, demo_rate_book):
    document = demo_rate_book.document
    today = timezone.now().date()
    cases = _cases(cars)
    priced = refused = 0
    disagreements = []
    for items, options in cases:
        body = {"items": [{"vehicle_id": v.pk, "quantity": q} for v, q in items], **options}
        response = api.post("quotes/estimate", body)
        try:
            expected = reference.quote(
                document,
                [(_ref_car(v), q) for v, q in items],
                quote_date=today,
                **options,
            )
        except reference.Refused as exc:
            refused += 1
            problem = response.json()
            if (
                response.status_code != 422
                or problem["type"].rsplit("/", 1)[1] not in REFUSALS[exc.kind]
            ):
                disagreements.append((body, exc.kind, response.status_code, problem))
            continue
        priced += 1
        if response.status_code != 200:
            disagreements.append((body, "priced by the reference", response.json()))
            continue
        got = response.json()
        by_code: dict[str, Decimal] = {}
        for line in got["lines"]:
            assert line["currency"] == options["currency"]
            by_code[line["code"]] = by_code.get(line["code"], Decimal(0)) + Decimal(line["amount"])
        expected_codes = expected.by_code()
        problems = []
        if Decimal(got["total"]["amount"]) != expected.total:
            problems.append(("total", got["total"]["amount"], str(expected.total)))
        for code in sorted(set(by_code) | set(expected_codes)):
            if by_code.get(code, Decimal(0)) != expected_codes.get(code, Decimal(0)):
                problems.append((code, by_code.get(code), expected_codes.get(code)))
        if options["incoterm"] != "EXW" and got["origin"] != expected.origin:
            problems.append(("origin", got["origin"], expected.origin))
        if got["eligible"] != expected.eligible:
            problems.append(("eligible", got["eligible"], expected.reasons))
        if not got["eligible"] and not got["reasons"]:
            problems.append(("reasons", got["reasons"], expected.reasons))
        if got["valid_until"] != expected.valid_until.isoformat():
            problems.append(("valid_until", got["valid_until"], expected.valid_until))
        # Lines always add up to the total.
        assert sum(Decimal(line["amount"]) for line in got["lines"]) == Decimal(
            got["total"]["amount"]
        )
        if problems:
            disagreements.append((body, problems))
    assert not disagreements, disagreements[:5]
    # The grid must exercise both outcomes, and mostly price.
    assert priced > 250 and refused > 20, (priced, refused)


def test_the_reference_reproduces_the_worked_examples():
    """The reference itself against docs/pricing.md's hand-checked figures."""
    day = date(2026, 11, 10)
    song = reference.Car(1, Decimal("118000"), "Hangzhou", 4775, 1890, 1670, 2024, "LHD")
    q = reference.quote(
        SPEC_EXAMPLE, [(song, 1)], incoterm="CIF", destination="AEJEA", mode="roro",
        currency="USD", quote_date=day,
    )  # fmt: skip
    assert q.total == Decimal("18184.70") and q.by_code()["insurance"] == Decimal("60.01")
    assert q.valid_until == date(2026, 11, 17)
    small = reference.Car(2, Decimal("20000"), "Hangzhou", 3000, 1500, 1500, 2024, "LHD")
    q = reference.quote(
        SPEC_EXAMPLE, [(small, 1)], incoterm="CIP", destination="AEJEA", mode="roro",
        currency="CNY", quote_date=day,
    )  # fmt: skip
    assert q.total == Decimal("27056.63")
    haval = reference.Car(3, Decimal("100000"), "Xi'an", 4653, 1886, 1730, 2024, "LHD")
    q = reference.quote(
        FULL, [(haval, 1)], incoterm="DDP", destination="KZALA", mode="truck", currency="CNY",
        quote_date=day, insurance=True, named_place="Astana",
    )  # fmt: skip
    assert q.total == Decimal("149785.36")
    assert (q.by_code()["duty"], q.by_code()["vat"]) == (Decimal("16906.49"), Decimal("15553.97"))
    smalls = [
        (reference.Car(4, Decimal("1"), "Hangzhou", 4300, 1800, 1500, 2024, "LHD"), 3),
        (reference.Car(5, Decimal("1"), "Hangzhou", 4300, 1800, 1500, 2024, "LHD"), 2),
    ]
    q = reference.quote(
        FULL, smalls, incoterm="CFR", destination="AEJEA", mode="container", currency="USD",
        quote_date=day,
    )  # fmt: skip
    assert [line.amount for line in q.lines if line.code == "main_carriage"] == [
        Decimal("3120.00"),
        Decimal("2080.00"),
    ]
    cheap = reference.Car(6, Decimal("99999.96"), "Hangzhou", 4775, 1890, 1670, 2024, "LHD")
    q = reference.quote(
        FULL, [(cheap, 1)], incoterm="EXW", destination="AEJEA", mode="roro", currency="JPY",
        quote_date=day,
    )  # fmt: skip
    assert q.total == Decimal("2114583")
    with pytest.raises(reference.Refused) as caught:
        reference.quote(
            FULL, [(haval, 1)], incoterm="CIF", destination="KZALA", mode="rail",
            currency="USD", quote_date=day,
        )  # fmt: skip
    assert caught.value.kind == "sea_only"
