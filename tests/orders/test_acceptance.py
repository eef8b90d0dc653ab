"""Acceptance: the buyer turns the latest, unexpired, eligible version into an order;
anything else is a 409 that says why. Two acceptances at once cannot both win."""

import re
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from ex1000.catalog.models import ListingStatus
from ex1000.core.errors import AppError
from ex1000.orders import services
from ex1000.orders.models import Order
from ex1000.quotes import services as quote_services
from ex1000.quotes.models import Inquiry, InquiryStatus, QuoteVersion
from tests.factories import BuyerFactory, OperatorFactory, SupplierFactory
from tests.helpers import assert_problem
from tests.quotes import fixtures_inquiries as fx

pytestmark = pytest.mark.django_db


@pytest.fixture
def inquiry(book, cars, buyer_api):
    response = buyer_api.post("inquiries", fx.inquiry_payload(*cars, quantity=2))
    assert response.status_code == 201, response.content
    return Inquiry.objects.get(pk=response.json()["id"])


@pytest.fixture
def v1(inquiry):
    return inquiry.quotes.get()


def _accept(client, quote, headers=None):
    return client.post(f"quotes/{quote.pk}/accept", headers=headers)


def test_accepting_the_latest_version_creates_the_order(
    inquiry, v1, cars, seller, buyer, buyer_api
):
    response = _accept(buyer_api, v1, headers={"User-Agent": "Importer ERP/2.1"})

    assert response.status_code == 201, response.content
    order = response.json()
    assert re.fullmatch(rf"EX-{timezone.now():%Y}-\d{{6}}", order["number"])
    assert order["status"] == "pending_contract"
    assert order["quote_id"] == v1.pk
    assert order["quote"]["id"] == v1.pk
    assert (order["quote"]["version"], order["quote"]["inquiry_id"]) == (1, inquiry.pk)
    assert order["total"]["currency"] == "USD"
    assert Decimal(order["total"]["amount"]) == v1.total
    assert order["supplier"]["id"] == seller.company_id
    assert [(i["vehicle_id"], i["quantity"]) for i in order["items"]] == [
        (cars[0].pk, 2),
        (cars[1].pk, 2),
    ]
    assert order["items"][0]["vin"] == cars[0].vin
    assert order["items"][0]["price"] == {"amount": "118000.00", "currency": "CNY"}

    stored = Order.objects.get()
    assert (stored.buyer, stored.supplier, stored.quote) == (buyer, seller.company, v1)
    assert stored.total == v1.total
    assert stored.accepted_ip == "127.0.0.1"
    assert stored.accepted_user_agent == "Importer ERP/2.1"
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.ACCEPTED

    detail = buyer_api.get(f"inquiries/{inquiry.pk}").json()
    assert detail["status"] == "accepted"
    assert detail["order"] == order["number"]
    assert detail["quotes"][0]["accepted"] is True
    assert detail["quotes"][0]["order"] == order["number"]


def test_order_numbers_are_unique(book, cars, login_api):
    numbers = set()
    for _ in range(3):
        client = login_api(BuyerFactory())
        quote_id = client.post("inquiries", fx.inquiry_payload(cars[0])).json()["quotes"][0]["id"]
        numbers.add(client.post(f"quotes/{quote_id}/accept").json()["number"])

    assert len(numbers) == 3
    assert set(Order.objects.values_list("number", flat=True)) == numbers


def test_the_order_keeps_the_listing_as_it_was(inquiry, v1, cars, buyer_api):
    number = _accept(buyer_api, v1).json()["number"]
    cars[0].mileage_km = 99999
    cars[0].save()

    item = buyer_api.get(f"orders/{number}").json()["items"][0]

    assert item["mileage_km"] == 30000


def test_the_parties_and_operators_see_the_order(inquiry, v1, seller, buyer_api, login_api):
    number = _accept(buyer_api, v1).json()["number"]
    colleague = SupplierFactory(company=seller.company)

    for client in (
        buyer_api,
        login_api(seller),
        login_api(colleague),
        login_api(OperatorFactory()),
    ):
        response = client.get(f"orders/{number}")
        assert response.status_code == 200, response.content
        assert response.json()["number"] == number


@pytest.mark.parametrize(
    "factory", [BuyerFactory, SupplierFactory], ids=["other buyer", "other supplier"]
)
def test_other_parties_get_404_for_the_order(inquiry, v1, buyer_api, login_api, factory):
    number = _accept(buyer_api, v1).json()["number"]

    assert_problem(login_api(factory()).get(f"orders/{number}"), 404)
    assert_problem(buyer_api.get("orders/EX-1999-000001"), 404)


# --- refusals --------------------------------------------------------------------------------


def test_a_superseded_version_cannot_be_accepted(inquiry, v1, seller, buyer_api):
    quote_services.revise_quote(inquiry=inquiry, supplier_user=seller, note="better price")

    response = _accept(buyer_api, v1)

    body = assert_problem(response, 409)
    assert "newer version exists" in body["detail"]
    assert body["type"].endswith("/superseded")
    assert not Order.objects.exists()


def test_the_latest_revision_can_be_accepted(inquiry, v1, seller, buyer_api):
    v2 = quote_services.revise_quote(
        inquiry=inquiry, supplier_user=seller, adjustments=[{"label": "Discount", "amount": "-300"}]
    )

    response = _accept(buyer_api, v2)

    assert response.status_code == 201, response.content
    assert Decimal(response.json()["total"]["amount"]) == v2.total
    assert v2.total == v1.total - 300


def test_an_expired_version_cannot_be_accepted(inquiry, v1, buyer_api):
    yesterday = timezone.now().date() - timedelta(days=1)
    QuoteVersion.objects.filter(pk=v1.pk).update(valid_until=yesterday)

    response = _accept(buyer_api, v1)

    body = assert_problem(response, 409)
    assert "expired" in body["detail"] and "new version" in body["detail"]
    assert not Order.objects.exists()


def test_a_version_valid_until_today_can_be_accepted(inquiry, v1, buyer_api):
    QuoteVersion.objects.filter(pk=v1.pk).update(valid_until=timezone.now().date())

    assert _accept(buyer_api, v1).status_code == 201


def test_an_ineligible_version_cannot_be_accepted(book, login_api):
    _seller, [old_lhd] = fx.supplier_with_listings(1, year=2012)
    client = login_api(BuyerFactory())
    created = client.post("inquiries", fx.inquiry_payload(old_lhd, destination="KEMBA"))
    assert created.status_code == 201, created.content
    quote = created.json()["quotes"][0]
    assert quote["eligible"] is False
    assert len(quote["reasons"]) == 2

    response = client.post(f"quotes/{quote['id']}/accept")

    body = assert_problem(response, 409, "reasons")
    assert body["errors"]["reasons"] == quote["reasons"]
    assert "KE admits" in body["detail"]
    assert not Order.objects.exists()


def test_an_accepted_inquiry_cannot_be_accepted_again(inquiry, v1, buyer_api):
    assert _accept(buyer_api, v1).status_code == 201

    body = assert_problem(_accept(buyer_api, v1), 409)

    assert "already been accepted" in body["detail"]
    assert Order.objects.count() == 1


def test_a_withdrawn_listing_cannot_be_ordered(inquiry, v1, cars, buyer_api):
    cars[1].status = ListingStatus.WITHDRAWN
    cars[1].save()

    body = assert_problem(_accept(buyer_api, v1), 409)

    assert str(cars[1].pk) in body["detail"]
    assert not Order.objects.exists()


def test_the_supplier_cannot_accept_for_the_buyer(inquiry, v1, seller, login_api):
    assert assert_problem(_accept(login_api(seller), v1), 403)["code"] == "not_allowed"


@pytest.mark.parametrize(
    "factory", [BuyerFactory, SupplierFactory], ids=["other buyer", "other supplier"]
)
def test_other_parties_get_404(inquiry, v1, login_api, factory):
    assert_problem(_accept(login_api(factory()), v1), 404)
    assert not Order.objects.exists()


def test_the_service_refuses_other_buyers_as_not_found(inquiry, v1):
    with pytest.raises(AppError) as caught:
        services.accept_quote(quote=v1, buyer=BuyerFactory())

    assert caught.value.status == 404


# --- idempotency and concurrency -------------------------------------------------------------


def test_a_retried_acceptance_returns_the_same_order(inquiry, v1, buyer_api):
    key = {"Idempotency-Key": "accept-4711"}

    first = _accept(buyer_api, v1, headers=key)
    again = _accept(buyer_api, v1, headers=key)

    assert first.status_code == again.status_code == 201
    assert again.json()["number"] == first.json()["number"]
    assert Order.objects.count() == 1


def test_an_acceptance_key_cannot_be_reused_for_another_quote(
    inquiry, v1, book, login_api, buyer, buyer_api
):
    key = {"Idempotency-Key": "accept-4712"}
    assert _accept(buyer_api, v1, headers=key).status_code == 201
    _seller, [car] = fx.supplier_with_listings(1)
    other = buyer_api.post("inquiries", fx.inquiry_payload(car)).json()["quotes"][0]["id"]

    response = buyer_api.post(f"quotes/{other}/accept", headers=key)

    # Another endpoint (the quote id is in the path): the key is independent there.
    assert response.status_code == 201
    assert Order.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_acceptances_cannot_both_win(postgres_only):
    fx.rate_book()
    _seller, [car] = fx.supplier_with_listings(1)
    buyer = BuyerFactory()
    inquiry = quote_services.submit_inquiry(
        buyer=buyer,
        items=[(car.pk, 1)],
        incoterm="CIF",
        destination="AEJEA",
        mode="roro",
        currency="USD",
    )
    quote = inquiry.quotes.get()
    start = threading.Barrier(2)
    results: list = []

    def accept():
        try:
            start.wait(timeout=10)
            results.append(services.accept_quote(quote=quote, buyer=buyer))
        except AppError as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    orders = [r for r in results if isinstance(r, Order)]
    conflicts = [r for r in results if isinstance(r, AppError)]
    assert len(orders) == 1 and len(conflicts) == 1, results
    assert conflicts[0].status == 409
    assert Order.objects.count() == 1
    assert Order.objects.get().total == quote.total == Decimal(quote.total)
