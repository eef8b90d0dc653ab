"""The logistics partner's view (orders.md; issue 8 §2): exactly the allowed fields, 404 on
orders and others' shipments, one disclosure record per hand-over of consignee data, and
nothing of the consignee once the buyer withdraws logistics_sharing."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ex1000.logistics.models import Shipment
from ex1000.privacy.models import Disclosure
from ex1000.privacy.services import set_consent
from tests.factories import CompanyFactory, UserFactory
from tests.helpers import assert_problem
from tests.orders.builders import CONSIGNEE, stub_pdfs, trade_in_state

pytestmark = pytest.mark.django_db

SHIPMENT_FIELDS = {
    "id", "order", "partner", "provider_name", "mode", "bl_number", "container_number",
    "vessel_name", "vessel_imo", "voyage", "origin", "destination", "etd", "eta",
    "tracking_url", "vins", "events", "created_at", "vehicles", "consignee",
    "consignee_withheld",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _no_weasyprint(monkeypatch):
    stub_pdfs(monkeypatch)


@pytest.fixture
def assigned():
    trade = trade_in_state("shipped")
    shipment = trade.order.shipments.get()
    company = CompanyFactory(verification_status="approved")
    Shipment.objects.filter(pk=shipment.pk).update(partner=company)
    return trade, shipment, UserFactory(role="logistics", company=company)


def test_the_partner_sees_only_what_orders_md_allows(assigned, login_api):
    trade, shipment, partner = assigned
    body = login_api(partner).get(f"shipments/{shipment.pk}")
    assert body.status_code == 200, body.content
    data = body.json()
    assert set(data) == SHIPMENT_FIELDS
    assert data["consignee"]["name"] == CONSIGNEE["name"] and not data["consignee_withheld"]
    assert set(data["consignee"]) == {
        "name", "company", "phone", "email", "address", "city", "country"
    }  # fmt: skip
    assert [set(v) for v in data["vehicles"]] == [{"make", "model", "year", "vin"}] * len(
        shipment.vins
    )
    text = json.dumps(data)
    for secret in (str(trade.order.total), trade.buyer.email, "payment", "escrow", "price"):
        assert secret not in text, secret
    # One disclosure per response that hands the consignee over.
    disclosure = Disclosure.objects.get(user=trade.buyer)
    assert disclosure.recipient == partner.company.name
    assert "consignee.name" in disclosure.data and trade.order.number in disclosure.reference
    login_api(partner).get("shipments")
    assert Disclosure.objects.filter(user=trade.buyer).count() == 2


def test_the_partner_gets_404_on_orders_and_on_others_shipments(assigned, login_api):
    trade, shipment, partner = assigned
    client = login_api(partner)
    assert_problem(client.get(f"orders/{trade.order.number}"), 404)
    assert client.get("orders").json()["count"] == 0
    other = trade_in_state("shipped").order.shipments.get()
    assert_problem(client.get(f"shipments/{other.pk}"), 404)
    assert [s["id"] for s in client.get("shipments").json()["items"]] == [shipment.pk]


def test_after_the_buyer_withdraws_logistics_sharing_nothing_is_handed_over(assigned, login_api):
    trade, shipment, partner = assigned
    set_consent(user=trade.buyer, purpose="logistics_sharing", granted=False)
    data = login_api(partner).get(f"shipments/{shipment.pk}").json()
    assert data["consignee"] is None and data["consignee_withheld"] is True
    assert CONSIGNEE["name"] not in json.dumps(data)
    assert not Disclosure.objects.filter(user=trade.buyer).exists()
    # The supplier still sees it; the buyer's order page says why the partner does not.
    supplier_view = login_api(trade.seller).get(f"shipments/{shipment.pk}").json()
    assert supplier_view["consignee"]["name"] == CONSIGNEE["name"]
    page = Client()
    page.force_login(trade.buyer)
    html = page.get(f"/orders/{trade.order.number}/").content.decode()
    assert "does not see the consignee" in html
