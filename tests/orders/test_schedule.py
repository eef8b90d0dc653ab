"""The payment schedule: deposit and balance from the inquiry's terms, exact in every
currency's minor unit (orders.md, Payment schedule and escrow)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ex1000.core.money import quantize
from ex1000.orders.services import deposit_percent, split
from tests.factories import BuyerFactory
from tests.quotes import fixtures_inquiries as fx


@pytest.mark.parametrize(
    ("terms", "percent"),
    [
        ("30/70", 30),
        (" 50 / 50 ", 50),
        ("100/0", 100),
        ("0/100", 0),
        ("", 30),
        ("60/60", 30),
        ("30 % deposit, 70 % before shipment", 30),
        ("abc", 30),
    ],
)
def test_terms_give_the_deposit_percentage(terms, percent):
    assert deposit_percent(terms) == percent


@pytest.mark.parametrize(
    ("total", "currency", "deposit"),
    [
        (Decimal("10000.01"), "USD", Decimal("3000.00")),  # 3000.003 rounds down
        (Decimal("10000.05"), "USD", Decimal("3000.02")),  # 3000.015 rounds half-up
        (Decimal("1234567"), "JPY", Decimal("370370")),  # 370370.1: no minor unit
        (Decimal("1000005"), "JPY", Decimal("300002")),  # 300001.5 rounds half-up
        (Decimal("2500.125"), "KWD", Decimal("750.038")),  # 750.0375: three decimals
    ],
)
def test_deposit_is_rounded_half_up_and_the_balance_is_the_rest(total, currency, deposit):
    got, balance = split(total, currency, 30)
    assert got == deposit
    assert got + balance == total


@given(
    total=st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1e9"), places=3),
    currency=st.sampled_from(["USD", "JPY", "KWD", "CNY", "EUR"]),
    percent=st.integers(min_value=0, max_value=100),
)
def test_deposit_plus_balance_is_always_the_total(total, currency, percent):
    total = quantize(total, currency)  # quote totals are in the currency's minor unit
    deposit, balance = split(total, currency, percent)
    assert deposit + balance == total
    assert deposit >= 0 and balance >= 0


@pytest.mark.django_db
@pytest.mark.parametrize(("currency", "places"), [("USD", 2), ("JPY", 0), ("KWD", 3)])
def test_an_accepted_order_carries_an_exact_schedule(book, login_api, currency, places):
    _seller, [car] = fx.supplier_with_listings(1)
    client = login_api(BuyerFactory())
    inquiry = client.post(
        "inquiries", fx.inquiry_payload(car, currency=currency, payment_terms="50/50")
    ).json()
    order = client.post(f"quotes/{inquiry['quotes'][0]['id']}/accept").json()

    total = Decimal(order["total"]["amount"])
    deposit, balance = (Decimal(line["amount"]["amount"]) for line in order["payment_schedule"])
    assert order["currency"] == currency
    assert deposit + balance == total
    assert -deposit.as_tuple().exponent <= places
    assert [line["percent"] for line in order["payment_schedule"]] == [50, 50]
    assert Decimal(order["outstanding"]["amount"]) == total
    assert order["payment_terms"] == "50/50"
