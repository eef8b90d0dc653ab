"""Shipments (orders.md): the supplier or an operator books one on a paid order; its
numbers are checked; the buyer is told; each caller sees their own."""

from __future__ import annotations

import pytest

from ex1000.core.models import Event
from ex1000.logistics.models import Shipment
from tests.factories import BuyerFactory, CompanyFactory, SupplierFactory, UserFactory
from tests.helpers import assert_problem
from tests.orders.builders import SHIPMENT, stub_pdfs, trade_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_weasyprint(monkeypatch):
    stub_pdfs(monkeypatch)


@pytest.fixture
def trade():
    return trade_in_state("deposit_paid")


def _create(client, order, **changes):
    return client.post(f"orders/{order.number}/shipments", {**SHIPMENT, **changes})


def test_the_supplier_books_a_shipment_of_all_the_cars(trade, login_api):
    order = trade.order

    response = _create(
        login_api(trade.seller),
        order,
        etd="2026-12-10T08:00:00Z",
        eta="2027-01-05T08:00:00Z",
        tracking_url="https://www.msc.com/track",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["order"] == order.number
    assert body["events"] == []
    assert body["vins"] == order.vins
    assert (body["bl_number"], body["container_number"], body["vessel_imo"]) == (
        "MEDUJ1234567",
        "CSQU3054383",
        "9074729",
    )
    assert (body["origin"], body["destination"]) == (order.quote.origin, "AEJEA")
    shipment = Shipment.objects.get(pk=body["id"])
    assert shipment.created_by == trade.seller
    assert Event.objects.filter(
        subject_type="shipment", subject_id=str(shipment.pk), type="created"
    ).exists()
    assert trade.buyer.notifications.filter(kind="shipment_created").exists()
    detail = login_api(trade.buyer).get(f"shipments/{shipment.pk}")
    assert detail.status_code == 200 and detail.json()["id"] == shipment.pk


def test_an_operator_may_book_and_name_a_partner_and_some_vins(trade, login_api):
    partner = UserFactory(
        role="logistics", company=CompanyFactory(verification_status="approved")
    ).company
    vin = trade.order.vins[0]

    response = _create(login_api(trade.operator), trade.order, partner=partner.pk, vins=[vin])

    assert response.status_code == 201, response.content
    assert response.json()["vins"] == [vin]
    assert response.json()["partner"] == {"id": partner.pk, "company_name": partner.name}


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"container_number": "MSCU6639871"}, "container_number", "invalid_container_number"),
        ({"vessel_imo": "9074728"}, "vessel_imo", "invalid_imo"),
        ({"origin": "Shanghai"}, "origin", "invalid_place_code"),
        ({"etd": "2026-12-10T00:00:00Z", "eta": "2026-12-01T00:00:00Z"}, "eta", "eta_before_etd"),
        ({"tracking_url": "javascript:alert(1)"}, "tracking_url", "invalid_tracking_url"),
        ({"tracking_url": "ftp://carrier.example/x"}, "tracking_url", "invalid_tracking_url"),
        ({"vins": ["LSVAB4BR0MN000001"]}, "vins", "vin_not_in_order"),
        ({"partner": 999999}, "partner", "invalid_partner"),
        ({"mode": "teleport"}, "mode", "unknown_mode"),
        ({"bl_number": ""}, "bl_number", "required"),
        ({}, "bl_number", "required"),  # left out: the same code as empty
        ({"destination": "ZZZZZ"}, "destination", "unknown_place"),  # not in the rate book
    ],
)
def test_bad_fields_are_refused_with_their_code(trade, login_api, changes, field, code):
    body = {**SHIPMENT, **changes}
    if not changes:
        body.pop("bl_number")
    response = login_api(trade.seller).post(f"orders/{trade.order.number}/shipments", body)

    body = assert_problem(response, 422, field)
    assert body["code"] == code
    assert not Shipment.objects.exists()


def test_an_unverified_company_is_no_partner(trade, login_api):
    company = CompanyFactory()  # not verified
    UserFactory(role="logistics", company=company)
    response = _create(login_api(trade.seller), trade.order, partner=company.pk)
    assert assert_problem(response, 422, "partner")["code"] == "invalid_partner"


def test_a_verified_company_without_logistics_partners_is_no_partner(trade, login_api):
    """A verified supplier's (or buyer's) company is not a logistics partner."""
    response = _create(login_api(trade.seller), trade.order, partner=trade.seller.company_id)
    assert assert_problem(response, 422, "partner")["code"] == "invalid_partner"


def test_the_buyer_may_not_book_others_get_404(trade, login_api):
    body = assert_problem(_create(login_api(trade.buyer), trade.order), 403)
    assert body["code"] == "not_allowed"
    for user in (BuyerFactory(), SupplierFactory()):
        assert_problem(_create(login_api(user), trade.order), 404)


@pytest.mark.parametrize("status", ["pending_contract", "awaiting_deposit", "cancelled"])
def test_not_before_the_deposit_nor_after_cancel(status, login_api):
    trade = trade_in_state(status)
    body = assert_problem(_create(login_api(trade.seller), trade.order), 409)
    assert body["code"] == "shipment_not_expected"


def test_each_caller_lists_their_own_shipments(login_api):
    mine = trade_in_state("shipped")
    other = trade_in_state("shipped")
    partner = UserFactory(role="logistics", company=CompanyFactory(verification_status="approved"))
    other.order.shipments.update(partner=partner.company)

    def listed(user):
        body = login_api(user).get("shipments").json()
        return body["count"], [s["order"] for s in body["items"]]

    assert listed(mine.buyer) == (1, [mine.order.number])
    assert listed(mine.seller) == (1, [mine.order.number])
    assert listed(partner) == (1, [other.order.number])
    assert listed(mine.operator)[0] == 2
    page = login_api(mine.operator).get("shipments?page=2&page_size=1").json()
    assert (page["page"], page["page_size"], len(page["items"])) == (2, 1, 1)
    shipment = other.order.shipments.get()
    assert_problem(login_api(mine.buyer).get(f"shipments/{shipment.pk}"), 404)
    assert login_api(partner).get(f"shipments/{shipment.pk}").status_code == 200


def test_a_b_l_and_a_car_are_booked_once(trade, login_api):
    client = login_api(trade.seller)
    vins = trade.order.vins
    assert _create(client, trade.order, vins=vins[:1]).status_code == 201

    again = assert_problem(_create(client, trade.order, bl_number=SHIPMENT["bl_number"]), 422)
    assert again["code"] == "bl_number_taken"
    twice = assert_problem(_create(client, trade.order, bl_number="BL-2", vins=vins[:1]), 422)
    assert twice["code"] == "vin_already_shipped"

    rest = _create(client, trade.order, bl_number="BL-2")  # default: the cars not yet booked
    assert rest.status_code == 201, rest.content
    assert rest.json()["vins"] == vins[1:]
    none_left = assert_problem(_create(client, trade.order, bl_number="BL-3"), 422)
    assert none_left["code"] == "vin_already_shipped"
