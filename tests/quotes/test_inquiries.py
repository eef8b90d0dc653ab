"""Inquiries through the API: submission with its automatic first quote, idempotent
creation, what each party sees."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ex1000.notifications.models import Notification
from ex1000.quotes.models import Inquiry, InquiryItem, QuoteVersion
from tests.factories import BuyerFactory, OperatorFactory, SupplierFactory, VehicleFactory
from tests.helpers import assert_problem
from tests.quotes import fixtures_inquiries as fx

pytestmark = pytest.mark.django_db

QUOTE_FIELDS = {
    "id",
    "version",
    "incoterm",
    "mode",
    "origin",
    "destination",
    "currency",
    "lines",
    "total",
    "valid_until",
    "eligible",
    "reasons",
    "warnings",
    "reason_codes",
    "warning_codes",
    "incoterm_place",
    "rate_book_version",
    "adjustments",
    "note",
    "created_at",
    "is_latest",
    "accepted",
}
LINE_FIELDS = {"code", "label", "item", "quantity", "unit_amount", "amount", "source"}


def _submit(api, *vehicles, headers=None, **changes):
    return api.post("inquiries", fx.inquiry_payload(*vehicles, **changes), headers=headers)


# --- submission ------------------------------------------------------------------------------


def test_buyer_submits_an_inquiry_and_gets_its_first_quote_version(
    book, cars, seller, buyer, buyer_api
):
    response = _submit(buyer_api, *cars, quantity=2)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "open"
    assert body["supplier"]["id"] == seller.company_id
    assert body["supplier"]["company_name"] == seller.company.name
    assert body["buyer"]["company_name"] == buyer.company.name
    assert body["message"] == "Please confirm the cars are accident-free."
    assert body["payment_terms"] == "30 % deposit, 70 % before shipment"
    assert [i["vehicle_id"] for i in body["items"]] == [c.pk for c in cars]
    assert body["items"][0]["quantity"] == 2
    assert body["items"][0]["vin"] == cars[0].vin
    assert body["items"][0]["price"] == {"amount": "118000.00", "currency": "CNY"}
    assert body["order"] is None

    [quote] = body["quotes"]
    assert set(quote) >= QUOTE_FIELDS
    assert quote["version"] == 1
    assert quote["automatic"] is True
    assert quote["is_latest"] is True and quote["accepted"] is False
    assert (quote["incoterm"], quote["mode"], quote["destination"]) == ("CIF", "roro", "AEJEA")
    assert quote["origin"] == "CNSHA"
    assert quote["currency"] == "USD"
    assert quote["rate_book_version"] == "INQ-1"
    assert quote["eligible"] is True and quote["reasons"] == []
    assert quote["valid_until"] == (timezone.now().date() + timedelta(days=7)).isoformat()
    codes = {line["code"] for line in quote["lines"]}
    assert {"vehicle_price", "platform_fee", "inland", "main_carriage", "insurance"} <= codes
    for line in quote["lines"]:
        assert set(line) >= LINE_FIELDS
        assert isinstance(line["amount"], str) and isinstance(line["unit_amount"], str)
        assert line["source"]["rate_book_version"] == "INQ-1"
    total = sum(Decimal(line["amount"]) for line in quote["lines"])
    assert quote["total"] == {"amount": str(total), "currency": "USD"}


def test_the_inquiry_and_its_frozen_first_version_are_stored(book, cars, buyer, buyer_api):
    response = _submit(buyer_api, cars[0], quantity=3, insurance="ICC-C", incoterm="cfr")

    assert response.status_code == 201, response.content
    inquiry = Inquiry.objects.get()
    assert inquiry.buyer == buyer
    assert inquiry.supplier == cars[0].company
    assert (inquiry.incoterm, inquiry.insurance, inquiry.origin) == ("CFR", "ICC-C", "")
    item = InquiryItem.objects.get()
    assert item.quantity == 3
    assert item.snapshot["title"] == cars[0].title
    assert item.snapshot["vin"] == cars[0].vin
    assert item.snapshot["price"] == "118000.00"
    assert item.snapshot["city"] == "Hangzhou"
    assert (item.snapshot["length_mm"], item.snapshot["steering"]) == (4775, "LHD")
    quote = QuoteVersion.objects.get()
    assert quote.version == 1 and quote.created_by is None
    assert quote.rate_book == book
    assert quote.insurance == "ICC-C"
    assert quote.total == sum(Decimal(line["amount"]) for line in quote.lines)
    assert response.json()["quotes"][0]["insurance"] == "ICC-C"


def test_insurance_true_means_the_terms_default_cover(book, cars, buyer_api):
    response = _submit(buyer_api, cars[0], incoterm="CFR", insurance=True)

    assert response.status_code == 201, response.content
    assert response.json()["insurance"] is True
    assert "insurance" in {line["code"] for line in response.json()["quotes"][0]["lines"]}


def test_currency_defaults_to_the_buyers_preferred_one(book, cars, login_api):
    buyer = BuyerFactory(currency="EUR")
    payload = fx.inquiry_payload(cars[0])
    del payload["currency"]

    response = login_api(buyer).post("inquiries", payload)

    assert response.status_code == 201, response.content
    assert response.json()["quotes"][0]["total"]["currency"] == "EUR"


def test_a_buyer_with_an_unverified_email_may_ask(book, cars, login_api):
    buyer = BuyerFactory(email_verified_at=None)

    response = login_api(buyer).post("inquiries", fx.inquiry_payload(cars[0]))

    assert response.status_code == 201, response.content


def test_vehicles_of_two_suppliers_need_two_inquiries(book, cars, buyer_api):
    other = VehicleFactory(city="Hangzhou")

    response = _submit(buyer_api, cars[0], other)

    body = assert_problem(response, 422, "items")
    assert "one inquiry per supplier" in body["detail"]
    assert not Inquiry.objects.exists()


def test_an_unpublished_listing_is_refused_by_id(book, cars, buyer_api):
    draft = VehicleFactory(company=cars[0].company, status="draft")

    response = _submit(buyer_api, cars[0], draft)

    body = assert_problem(response, 422, "items.1.vehicle_id")
    assert str(draft.pk) in body["errors"]["items.1.vehicle_id"][0]
    assert not Inquiry.objects.exists()


def test_an_unknown_listing_is_refused_by_id(book, buyer_api):
    response = buyer_api.post(
        "inquiries", {**fx.inquiry_payload(), "items": [{"vehicle_id": 987654, "quantity": 1}]}
    )

    body = assert_problem(response, 422, "items.0.vehicle_id")
    assert "987654" in body["errors"]["items.0.vehicle_id"][0]


def test_more_cars_than_listed_are_refused(book, cars, buyer_api):
    response = _submit(buyer_api, cars[0], quantity=4)

    body = assert_problem(response, 422, "items.0.quantity")
    assert "only 3 available" in body["errors"]["items.0.quantity"][0]


@pytest.mark.parametrize(
    "items",
    [[], [{"vehicle_id": 1, "quantity": 0}], [{"vehicle_id": 0, "quantity": 1}]],
    ids=["no items", "zero quantity", "zero id"],
)
def test_malformed_items_are_refused(book, buyer_api, items):
    response = buyer_api.post("inquiries", {**fx.inquiry_payload(), "items": items})

    assert_problem(response, 422)


def test_the_same_listing_twice_is_refused(book, cars, buyer_api):
    response = buyer_api.post(
        "inquiries",
        {
            **fx.inquiry_payload(),
            "items": [{"vehicle_id": cars[0].pk, "quantity": 1}] * 2,
        },
    )

    assert_problem(response, 422, "items.1.vehicle_id")


def test_a_request_the_rate_book_cannot_price_stores_nothing(book, cars, buyer_api):
    response = _submit(buyer_api, cars[0], destination="KZALA", mode="roro")

    body = assert_problem(response, 422)
    assert "KZALA" in body["detail"]
    assert not Inquiry.objects.exists()
    assert not QuoteVersion.objects.exists()
    assert not Notification.objects.exists()


def test_sea_only_terms_by_rail_are_refused(book, cars, buyer_api):
    response = _submit(buyer_api, cars[0], incoterm="FOB", mode="rail", destination="KZALA")

    body = assert_problem(response, 422)
    assert "FCA" in body["detail"]


def test_without_a_rate_book_nothing_is_quoted(cars, buyer_api):
    response = _submit(buyer_api, cars[0])

    assert_problem(response, 503)
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize(
    "factory", [SupplierFactory, OperatorFactory], ids=["supplier", "operator"]
)
def test_only_buyers_send_inquiries(book, cars, login_api, factory):
    response = login_api(factory()).post("inquiries", fx.inquiry_payload(cars[0]))

    assert_problem(response, 403)
    assert not Inquiry.objects.exists()


def test_anonymous_visitors_must_log_in(book, cars, api):
    assert_problem(api.post("inquiries", fx.inquiry_payload(cars[0])), 401)
    assert_problem(api.get("inquiries"), 401)


@pytest.mark.parametrize(
    "changes",
    [
        {"message": "x" * 5001},
        {"named_place": "x" * 101},
        {"destination": "AEJEA\x00"},
        {"insurance": "ICC-A-EXTENDED"},
        {"incoterm": "CIFF"},
    ],
    ids=["long message", "long place", "NUL", "long cover", "long incoterm"],
)
def test_invalid_fields_are_refused_before_anything_is_stored(book, cars, buyer_api, changes):
    response = _submit(buyer_api, cars[0], **changes)

    assert_problem(response, 422)
    assert not Inquiry.objects.exists()


# --- idempotency -----------------------------------------------------------------------------


def test_a_retry_with_the_same_key_returns_the_first_inquiry(book, cars, buyer_api):
    key = {"Idempotency-Key": "4f6c1a52-inquiry-1"}

    first = _submit(buyer_api, cars[0], headers=key)
    again = _submit(buyer_api, cars[0], headers=key)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Inquiry.objects.count() == 1
    assert QuoteVersion.objects.count() == 1


def test_the_same_key_with_another_request_is_refused(book, cars, buyer_api):
    key = {"Idempotency-Key": "4f6c1a52-inquiry-2"}
    assert _submit(buyer_api, cars[0], headers=key).status_code == 201

    response = _submit(buyer_api, cars[1], headers=key)

    body = assert_problem(response, 422, "Idempotency-Key")
    assert body["code"] == "idempotency_key_reused"
    assert Inquiry.objects.count() == 1


def test_new_keys_create_new_inquiries(book, cars, buyer_api):
    one = _submit(buyer_api, cars[0], headers={"Idempotency-Key": "a"})
    two = _submit(buyer_api, cars[0], headers={"Idempotency-Key": "b"})
    three = _submit(buyer_api, cars[0])

    assert len({one.json()["id"], two.json()["id"], three.json()["id"]}) == 3


def test_keys_belong_to_their_user(book, cars, login_api):
    key = {"Idempotency-Key": "shared-key"}
    one = login_api(BuyerFactory()).post("inquiries", fx.inquiry_payload(cars[0]), headers=key)
    two = login_api(BuyerFactory()).post("inquiries", fx.inquiry_payload(cars[0]), headers=key)

    assert one.json()["id"] != two.json()["id"]


def test_a_key_longer_than_255_characters_is_refused(book, cars, buyer_api):
    response = _submit(buyer_api, cars[0], headers={"Idempotency-Key": "k" * 256})

    assert_problem(response, 422, "Idempotency-Key")
    assert not Inquiry.objects.exists()


def test_a_failed_attempt_can_be_retried_with_its_key(book, cars, buyer_api):
    key = {"Idempotency-Key": "retry-me"}
    cars[0].status = "draft"
    cars[0].save()
    assert _submit(buyer_api, cars[0], headers=key).status_code == 422
    cars[0].status = "published"
    cars[0].save()

    assert _submit(buyer_api, cars[0], headers=key).status_code == 201


# --- who sees what ---------------------------------------------------------------------------


@pytest.fixture
def inquiry_id(book, cars, buyer_api):
    response = _submit(buyer_api, cars[0])
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_the_buyer_and_the_supplier_see_the_inquiry(inquiry_id, buyer_api, seller, login_api):
    for client in (buyer_api, login_api(seller)):
        response = client.get(f"inquiries/{inquiry_id}")
        assert response.status_code == 200, response.content
        assert response.json()["id"] == inquiry_id
        assert [q["version"] for q in response.json()["quotes"]] == [1]


def test_a_colleague_of_the_supplier_sees_it_too(inquiry_id, seller, login_api):
    colleague = SupplierFactory(company=seller.company)

    assert login_api(colleague).get(f"inquiries/{inquiry_id}").status_code == 200


@pytest.mark.parametrize(
    "factory", [BuyerFactory, SupplierFactory], ids=["other buyer", "other supplier"]
)
def test_other_parties_get_404(inquiry_id, login_api, factory):
    response = login_api(factory()).get(f"inquiries/{inquiry_id}")

    assert_problem(response, 404)


def test_an_operator_sees_every_inquiry(inquiry_id, login_api, book):
    _seller, [car] = fx.supplier_with_listings(1)
    other = login_api(BuyerFactory()).post("inquiries", fx.inquiry_payload(car)).json()["id"]
    operator = login_api(OperatorFactory())

    assert operator.get(f"inquiries/{inquiry_id}").status_code == 200
    listed = operator.get("inquiries").json()
    assert {i["id"] for i in listed["items"]} == {inquiry_id, other}


def test_lists_hold_only_what_each_party_may_see(inquiry_id, buyer_api, seller, login_api):
    other_seller, [car] = fx.supplier_with_listings(1)
    other_buyer = login_api(BuyerFactory())
    other_id = other_buyer.post("inquiries", fx.inquiry_payload(car)).json()["id"]

    assert [i["id"] for i in buyer_api.get("inquiries").json()["items"]] == [inquiry_id]
    assert [i["id"] for i in login_api(seller).get("inquiries").json()["items"]] == [inquiry_id]
    assert [i["id"] for i in login_api(other_seller).get("inquiries").json()["items"]] == [other_id]
    assert login_api(SupplierFactory()).get("inquiries").json()["count"] == 0


def test_the_list_is_paginated(book, cars, buyer_api):
    ids = [_submit(buyer_api, cars[0]).json()["id"] for _ in range(3)]

    page = buyer_api.get("inquiries", {"page": 2, "page_size": 2}).json()

    assert (page["count"], page["page"], page["page_size"]) == (3, 2, 2)
    assert [i["id"] for i in page["items"]] == [ids[0]]  # newest first
    assert buyer_api.get("inquiries", {"status": "accepted"}).json()["count"] == 0
    assert_problem(buyer_api.get("inquiries", {"page_size": 101}), 422)


def test_the_list_costs_the_same_few_queries_for_many_inquiries(book, cars, buyer_api):
    _submit(buyer_api, *cars)
    with CaptureQueriesContext(connection) as one:
        assert buyer_api.get("inquiries").json()["count"] == 1
    for _ in range(4):
        _submit(buyer_api, *cars)

    with CaptureQueriesContext(connection) as five:
        assert buyer_api.get("inquiries").json()["count"] == 5

    assert len(five) == len(one)


def test_unknown_inquiries_are_404(book, buyer_api):
    assert_problem(buyer_api.get("inquiries/999999"), 404)


def test_the_openapi_document_lists_the_quotation_operations(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert "post" in paths["/api/v1/inquiries"]
    assert "get" in paths["/api/v1/inquiries"]
    assert "get" in paths["/api/v1/inquiries/{inquiry_id}"]
    assert "post" in paths["/api/v1/inquiries/{inquiry_id}/quotes"]
    assert "post" in paths["/api/v1/quotes/{quote_id}/accept"]
    assert "get" in paths["/api/v1/orders/{number}"]
    assert "get" in paths["/api/v1/notifications"]
    assert "post" in paths["/api/v1/notifications/read"]
    parameters = paths["/api/v1/inquiries"]["post"]["parameters"]
    assert "Idempotency-Key" in {p["name"] for p in parameters}
