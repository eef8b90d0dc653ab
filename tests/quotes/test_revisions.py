"""Supplier revisions: each one is a new version, priced with the current rate book; issued
versions never change, not even when a later rate book is imported."""

from decimal import Decimal

import pytest
from django.forms.models import model_to_dict

from ex1000.core.errors import AppError
from ex1000.quotes import services
from ex1000.quotes.models import Inquiry, QuoteVersion
from tests.factories import BuyerFactory, OperatorFactory, SupplierFactory
from tests.helpers import assert_problem
from tests.quotes import fixtures_inquiries as fx

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller_api(login_api, seller):
    return login_api(seller)


@pytest.fixture
def inquiry(book, stock, buyer_api):
    response = buyer_api.post("inquiries", fx.inquiry_payload(*stock[1], quantity=2))
    assert response.status_code == 201, response.content
    return Inquiry.objects.get(pk=response.json()["id"])


def _frozen(quote: QuoteVersion) -> dict:
    """Every stored column of a version, as issued."""
    quote.refresh_from_db()
    return model_to_dict(quote) | {"created_at": quote.created_at}


def _revise(client, inquiry, **body):
    return client.post(f"inquiries/{inquiry.pk}/quotes", body)


def test_a_revision_is_a_new_version_with_adjustment_lines(inquiry, seller, seller_api):
    v1 = inquiry.quotes.get()
    before = _frozen(v1)

    response = _revise(
        seller_api,
        inquiry,
        adjustments=[
            {"label": "Loyalty discount", "amount": "-500"},
            {"label": "Extra photos and video", "amount": "49.999"},
        ],
        note="Price held until Friday.",
    )

    assert response.status_code == 201, response.content
    v2 = response.json()
    assert v2["version"] == 2
    assert v2["automatic"] is False
    assert v2["is_latest"] is True
    assert v2["note"] == "Price held until Friday."
    assert v2["adjustments"] == [
        {"label": "Loyalty discount", "amount": "-500.00"},
        {"label": "Extra photos and video", "amount": "50.00"},
    ]
    adjustment_lines = [line for line in v2["lines"] if line["code"] == "adjustment"]
    assert [(line["label"], line["amount"]) for line in adjustment_lines] == [
        ("Loyalty discount", "-500.00"),
        ("Extra photos and video", "50.00"),
    ]
    total = sum(Decimal(line["amount"]) for line in v2["lines"])
    assert Decimal(v2["total"]["amount"]) == total
    assert total == v1.total - 450
    assert _frozen(v1) == before
    stored = QuoteVersion.objects.get(pk=v2["id"])
    assert stored.created_by == seller


def test_the_inquiry_lists_every_version_and_marks_the_latest(inquiry, seller_api, buyer_api):
    _revise(seller_api, inquiry, adjustments=[{"label": "Discount", "amount": "-100"}])
    _revise(seller_api, inquiry, adjustments=[{"label": "Discount", "amount": "-200"}])

    quotes = buyer_api.get(f"inquiries/{inquiry.pk}").json()["quotes"]

    assert [q["version"] for q in quotes] == [1, 2, 3]
    assert [q["is_latest"] for q in quotes] == [False, False, True]
    assert [q["automatic"] for q in quotes] == [True, False, False]


def test_a_revision_may_change_the_terms(inquiry, seller_api):
    response = _revise(seller_api, inquiry, incoterm="FOB", currency="EUR", note="FOB is better")

    assert response.status_code == 201, response.content
    v2 = response.json()
    assert (v2["incoterm"], v2["currency"], v2["total"]["currency"]) == ("FOB", "EUR", "EUR")
    codes = {line["code"] for line in v2["lines"]}
    assert "main_carriage" not in codes and "insurance" not in codes
    assert v2["destination"] == "AEJEA"  # unchanged options carry over
    inquiry.refresh_from_db()
    assert inquiry.incoterm == "CIF"  # what the buyer asked stays on record


def test_unchanged_options_carry_over_from_the_latest_version(inquiry, seller):
    services.revise_quote(inquiry=inquiry, supplier_user=seller, mode="container")

    v3 = services.revise_quote(inquiry=inquiry, supplier_user=seller, note="again")

    assert (v3.version, v3.mode, v3.incoterm) == (3, "container", "CIF")


def test_a_new_route_gets_the_cheapest_origin_for_it(inquiry, seller):
    v2 = services.revise_quote(
        inquiry=inquiry, supplier_user=seller, incoterm="CPT", mode="truck", destination="KZALA"
    )

    assert (v2.origin, v2.mode, v2.destination) == ("CNHGS", "truck", "KZALA")


def test_a_revision_the_rate_book_cannot_price_is_refused(inquiry, seller_api):
    response = _revise(seller_api, inquiry, mode="truck")

    assert_problem(response, 422)
    assert inquiry.quotes.count() == 1


def test_a_discount_may_not_take_the_total_below_zero(inquiry, seller_api):
    response = _revise(seller_api, inquiry, adjustments=[{"label": "All", "amount": "-9999999"}])

    assert_problem(response, 422, "adjustments")
    assert inquiry.quotes.count() == 1


@pytest.mark.parametrize(
    "adjustment",
    [
        {"label": "x", "amount": "NaN"},
        {"label": "x", "amount": "1e15"},
        {"label": "x" * 101, "amount": "1"},
    ],
    ids=["NaN", "huge", "long label"],
)
def test_malformed_adjustments_are_refused(inquiry, seller_api, adjustment):
    assert_problem(_revise(seller_api, inquiry, adjustments=[adjustment]), 422)
    assert inquiry.quotes.count() == 1


def test_the_buyer_cannot_revise(inquiry, buyer_api):
    assert_problem(_revise(buyer_api, inquiry, note="cheaper please"), 403)


def test_an_operator_cannot_revise_for_the_supplier(inquiry, login_api):
    assert_problem(_revise(login_api(OperatorFactory()), inquiry, note="x"), 403)


@pytest.mark.parametrize(
    "factory", [BuyerFactory, SupplierFactory], ids=["other buyer", "other supplier"]
)
def test_other_parties_get_404(inquiry, login_api, factory):
    assert_problem(_revise(login_api(factory()), inquiry, note="x"), 404)
    assert inquiry.quotes.count() == 1


def test_the_service_refuses_other_suppliers_as_not_found(inquiry):
    with pytest.raises(AppError) as caught:
        services.revise_quote(inquiry=inquiry, supplier_user=SupplierFactory())

    assert caught.value.status == 404


def test_a_colleague_at_the_supplier_may_revise(inquiry, seller, login_api):
    colleague = SupplierFactory(company=seller.company)

    assert _revise(login_api(colleague), inquiry, note="from a colleague").status_code == 201


def test_an_accepted_inquiry_can_no_longer_be_revised(inquiry, seller_api, buyer_api):
    v1 = inquiry.quotes.get()
    assert buyer_api.post(f"quotes/{v1.pk}/accept").status_code == 201

    response = _revise(seller_api, inquiry, note="too late")

    assert_problem(response, 409)
    assert inquiry.quotes.count() == 1


def test_version_numbers_follow_each_other(inquiry, seller):
    versions = [
        services.revise_quote(inquiry=inquiry, supplier_user=seller, note=str(n)).version
        for n in range(3)
    ]

    assert versions == [2, 3, 4]


# --- provenance ------------------------------------------------------------------------------


def test_a_later_rate_book_does_not_change_an_issued_quote(inquiry, seller_api, buyer_api):
    v1 = inquiry.quotes.get()
    before = _frozen(v1)
    served = buyer_api.get(f"inquiries/{inquiry.pk}").json()["quotes"][0]

    newer = fx.dearer_rate_book()

    assert _frozen(v1) == before
    assert buyer_api.get(f"inquiries/{inquiry.pk}").json()["quotes"][0] == served
    response = _revise(seller_api, inquiry, note="new rates")
    assert response.status_code == 201, response.content
    v2 = response.json()
    assert v2["rate_book_version"] == newer.version == "INQ-2"
    assert QuoteVersion.objects.get(pk=v2["id"]).rate_book == newer
    assert {line["source"]["rate_book_version"] for line in v2["lines"]} == {"INQ-2"}

    def amount(quote, code):
        return sum(Decimal(line["amount"]) for line in quote["lines"] if line["code"] == code)

    assert amount(v2, "main_carriage") > amount(served, "main_carriage")
    assert amount(v2, "inland") > amount(served, "inland")
    assert Decimal(v2["total"]["amount"]) > Decimal(served["total"]["amount"])
    assert served["rate_book_version"] == "INQ-1"


def test_an_adjustment_may_be_money_in_the_quote_currency(inquiry, seller_api):
    money = {"amount": "-250.00", "currency": "USD"}
    response = seller_api.post(
        f"inquiries/{inquiry.pk}/quotes", {"adjustments": [{"label": "Loyalty", "amount": money}]}
    )
    assert response.status_code == 201, response.content
    assert response.json()["adjustments"][0]["amount"] in ("-250.00", "-250")

    other = {"amount": "-250.00", "currency": "EUR"}
    refused = seller_api.post(
        f"inquiries/{inquiry.pk}/quotes", {"adjustments": [{"label": "Loyalty", "amount": other}]}
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "adjustment_currency"
