"""The logistics partner's dashboard (/partner/): its own shipments only, what orders.md
lets it see (never prices, payments or documents), one disclosure record per shipment shown
with its consignee, none once logistics_sharing is withdrawn, and the event form that
comes back to the dashboard."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from ex1000.logistics import views
from ex1000.logistics.models import Shipment
from ex1000.privacy.models import Disclosure
from ex1000.privacy.services import set_consent
from tests.factories import BuyerFactory, PartnerFactory, SupplierFactory, UnverifiedPartnerFactory
from tests.orders.builders import CONSIGNEE, stub_pdfs, trade_in_state

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("logistics:dashboard")


@pytest.fixture(autouse=True)
def _no_weasyprint(monkeypatch):
    stub_pdfs(monkeypatch)


@pytest.fixture
def assigned():
    trade = trade_in_state("shipped")
    shipment = trade.order.shipments.get()
    partner = PartnerFactory()
    Shipment.objects.filter(pk=shipment.pk).update(partner=partner.company)
    return trade, shipment, partner


def _page(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_partner_sees_its_shipment_with_cars_and_consignee_not_money(client, assigned):
    trade, shipment, partner = assigned
    other = trade_in_state("shipped")  # another partner's
    other_shipment = other.order.shipments.get()
    Shipment.objects.filter(pk=other_shipment.pk).update(partner=PartnerFactory().company)

    html = _page(client, partner)

    assert shipment.bl_number in html and trade.order.number in html
    for vin in shipment.vins:
        assert vin in html
    assert CONSIGNEE["name"] in html and CONSIGNEE["address"] in html
    assert trade.order.consignee.phone in html and CONSIGNEE["email"] in html
    assert f"{shipment.origin} → {shipment.destination}" in html  # the route
    # The order number is text, not a link to the order page (a partner's 404).
    assert reverse("orders:detail", args=[trade.order.number]) not in html
    assert other.order.number not in html and other_shipment.vins[0] not in html
    # Never prices, payments or the buyer's documents.
    order = trade.order
    for secret in (str(order.total), str(order.deposit), str(order.balance), trade.buyer.email):
        assert secret not in html, secret
    for word in ("escrow", "Payment", "Deposit", "Balance", "Invoice", "Contract"):
        assert word not in html, word
    # The timeline with its form, coming back here.
    assert reverse("logistics:add_tracking_event", args=[shipment.pk]) in html
    assert f'name="next" value="{DASHBOARD}"' in html


def test_each_render_writes_one_disclosure_per_shipment_shown(client, assigned):
    trade, _shipment, partner = assigned

    _page(client, partner)
    disclosure = Disclosure.objects.get(user=trade.buyer)
    assert disclosure.recipient == partner.company.name
    assert "consignee.name" in disclosure.data and trade.order.number in disclosure.reference

    _page(client, partner)
    assert Disclosure.objects.filter(user=trade.buyer).count() == 2


def test_withdrawn_logistics_sharing_shows_the_notice_and_discloses_nothing(client, assigned):
    trade, shipment, partner = assigned
    set_consent(user=trade.buyer, purpose="logistics_sharing", granted=False)

    html = _page(client, partner)

    assert "The buyer withheld the consignee details" in html
    assert CONSIGNEE["name"] not in html and trade.order.consignee.phone not in html
    assert shipment.vins[0] in html  # the rest of the shipment is still shown
    assert not Disclosure.objects.filter(user=trade.buyer).exists()


def test_an_event_from_the_dashboard_is_added_and_leads_back_to_it(client, assigned):
    _trade, shipment, partner = assigned
    client.force_login(partner)
    prefix = f"s{shipment.pk}"

    response = client.post(
        reverse("logistics:add_tracking_event", args=[shipment.pk]),
        {
            f"{prefix}-code": "departed",
            f"{prefix}-classifier": "ACT",
            f"{prefix}-location": "CNHGS",
            f"{prefix}-occurred_at": timezone.now().strftime("%Y-%m-%dT%H:%M"),
            f"{prefix}-description": "Left Khorgos with train X8024",
            "next": DASHBOARD + "?page=1",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"{DASHBOARD}?page=1#shipment-{shipment.pk}"
    event = shipment.events.get(code="departed")
    assert event.created_by == partner and event.location == "CNHGS"
    html = response.content.decode()
    assert "Added to the timeline: Departed." in html
    assert "Left Khorgos with train X8024" in html


def test_a_refused_event_says_why_on_the_dashboard(client, assigned):
    _trade, shipment, partner = assigned
    client.force_login(partner)
    prefix = f"s{shipment.pk}"

    response = client.post(
        reverse("logistics:add_tracking_event", args=[shipment.pk]),
        {
            f"{prefix}-code": "loaded",
            f"{prefix}-classifier": "ACT",
            f"{prefix}-occurred_at": "2099-01-01T00:00",  # an actual event in the future
            "next": DASHBOARD,
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0].startswith(DASHBOARD)
    assert not shipment.events.filter(code="loaded").exists()
    assert 'class="message message-error"' in response.content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/phish", "//evil.example/x"])
def test_a_foreign_next_is_ignored_the_partner_lands_on_the_dashboard(client, assigned, target):
    _trade, shipment, partner = assigned
    client.force_login(partner)
    prefix = f"s{shipment.pk}"
    response = client.post(
        reverse("logistics:add_tracking_event", args=[shipment.pk]),
        {
            f"{prefix}-code": "gate_in",
            f"{prefix}-classifier": "PLN",
            f"{prefix}-occurred_at": "2099-01-01T00:00",
            "next": target,
        },
    )
    assert response["Location"] == f"{DASHBOARD}#shipment-{shipment.pk}"


def test_the_supplier_still_returns_to_the_order_page(client, assigned):
    trade, shipment, _partner = assigned
    client.force_login(trade.seller)
    prefix = f"s{shipment.pk}"
    response = client.post(
        reverse("logistics:add_tracking_event", args=[shipment.pk]),
        {
            f"{prefix}-code": "gate_in",
            f"{prefix}-classifier": "PLN",
            f"{prefix}-occurred_at": "2099-01-01T00:00",
        },
    )
    order_page = reverse("orders:detail", args=[trade.order.number])
    assert response["Location"] == f"{order_page}#shipment-{shipment.pk}"


def test_the_list_is_newest_first_and_paginated(client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    partner = PartnerFactory()
    older, newer = trade_in_state("shipped"), trade_in_state("shipped")
    Shipment.objects.filter(order__in=[older.order, newer.order]).update(partner=partner.company)

    first = _page(client, partner)
    assert newer.order.number in first and older.order.number not in first
    assert "Page 1 of 2" in first
    second = _page(client, partner, page=2)
    assert older.order.number in second and newer.order.number not in second
    # One disclosure per shipment shown: the page's, not the list's.
    assert Disclosure.objects.filter(user=newer.buyer).count() == 1
    assert Disclosure.objects.filter(user=older.buyer).count() == 1


@pytest.mark.parametrize("factory", [BuyerFactory, SupplierFactory])
def test_others_get_404(client, factory):
    client.force_login(factory())
    assert client.get(DASHBOARD).status_code == 404


def test_visitors_are_sent_to_log_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_an_unverified_partner_is_told_and_sent_to_its_documents(client):
    html = _page(client, UnverifiedPartnerFactory())
    assert "Your company is not verified yet" in html
    assert reverse("accounts:profile") + "#documents" in html
