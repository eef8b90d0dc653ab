"""Booking a shipment from the order page: the supplier or an operator, with the same
checks as the API, and errors on the form's fields."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from ex1000.logistics.models import Shipment
from tests.factories import BuyerFactory, PartnerFactory, UnverifiedPartnerFactory
from tests.orders.builders import stub_pdfs, trade_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_pdfs(monkeypatch):
    stub_pdfs(monkeypatch)


def test_the_supplier_books_a_shipment_from_the_order_page(book, client):
    trade = trade_in_state("balance_paid")
    client.force_login(trade.seller)
    order_page = client.get(reverse("orders:detail", args=[trade.order.number])).content.decode()
    url = reverse("logistics:book_shipment", args=[trade.order.number])
    assert url in order_page

    form = client.get(url)
    assert form.status_code == 200
    assert 'value="CNSHA"' in form.content.decode()  # the quote's origin, prefilled

    response = client.post(
        url,
        {
            "bl_number": "COSU6312345670",
            "mode": "roro",
            "vessel_name": "Morning Lily",
            "vessel_imo": "9074729",
            "origin": "CNSHA",
            "destination": "AEJEA",
        },
    )
    assert response.status_code == 302
    shipment = Shipment.objects.get(order=trade.order)
    assert (shipment.bl_number, shipment.vessel_imo) == ("COSU6312345670", "9074729")
    assert shipment.vins == trade.order.vins


def test_the_booking_form_offers_only_verified_partners_and_assigns_one(book, client):
    trade = trade_in_state("balance_paid")
    partner = PartnerFactory()
    pending = UnverifiedPartnerFactory()
    client.force_login(trade.seller)
    url = reverse("logistics:book_shipment", args=[trade.order.number])

    form = client.get(url).content.decode()
    assert partner.company.name in form
    assert pending.company.name not in form and trade.seller.company.name not in form

    response = client.post(
        url, {"bl_number": "SMGS-2026-0418", "mode": "rail", "partner": partner.company_id}
    )
    assert response.status_code == 302, response.content.decode()
    assert Shipment.objects.get(order=trade.order).partner == partner.company
    client.force_login(partner)
    assert "SMGS-2026-0418" in client.get(reverse("logistics:dashboard")).content.decode()


def test_a_bad_imo_number_is_shown_on_its_field(book, client):
    trade = trade_in_state("balance_paid")
    client.force_login(trade.seller)
    response = client.post(
        reverse("logistics:book_shipment", args=[trade.order.number]),
        {"bl_number": "BL-1", "mode": "roro", "vessel_imo": "9074728"},
    )
    assert response.status_code == 422
    assert response.context["form"].errors["vessel_imo"]
    assert not Shipment.objects.exists()


def test_the_buyer_cannot_book_and_strangers_get_404(book, client):
    trade = trade_in_state("balance_paid")
    url = reverse("logistics:book_shipment", args=[trade.order.number])
    client.force_login(trade.buyer)
    assert (
        url not in client.get(reverse("orders:detail", args=[trade.order.number])).content.decode()
    )
    response = client.post(url, {"bl_number": "BL-1", "mode": "roro"})
    assert response.status_code == 422 and not Shipment.objects.exists()
    client.force_login(BuyerFactory())
    assert client.get(url).status_code == 404


def test_the_supplier_adds_an_event_on_the_order_page_and_the_buyer_sees_the_timeline(client):
    trade = trade_in_state("shipped")
    shipment = trade.order.shipments.get()
    page_url = reverse("orders:detail", args=[trade.order.number])
    client.force_login(trade.seller)
    page = client.get(page_url).content.decode()
    form_url = reverse("logistics:add_tracking_event", args=[shipment.pk])
    assert form_url in page and "No tracking events yet." in page

    p = f"s{shipment.pk}-"
    done = client.post(
        form_url,
        {
            f"{p}code": "discharged",
            f"{p}classifier": "ACT",
            f"{p}location": shipment.destination,
            f"{p}occurred_at": "2026-11-30T09:15",
        },
        follow=True,
    )
    assert "Added to the timeline: Discharged." in done.content.decode()
    trade.refresh()
    assert trade.order.status == "arrived"  # discharged at the destination

    bad = client.post(form_url, {f"{p}code": "teleported", f"{p}classifier": "ACT"}, follow=True)
    assert shipment.events.count() == 1
    assert "teleported is not one of the available choices" in bad.content.decode()

    client.force_login(trade.buyer)
    buyer_page = client.get(page_url).content.decode()
    # The supplier (CN) typed Shanghai time (UTC+8); the buyer (KZ) reads Almaty time (UTC+5).
    assert shipment.events.get().occurred_at == datetime(2026, 11, 30, 1, 15, tzinfo=UTC)
    assert "Discharged" in buyer_page and 'datetime="2026-11-30T06:15:00+05:00"' in buyer_page
    assert form_url not in buyer_page  # the buyer follows, does not add
    assert client.post(form_url, {f"{p}code": "delivered"}).status_code in (302, 403)
    assert shipment.events.count() == 1


def test_the_order_page_names_the_logistics_partner_with_its_contact(client):
    from ex1000.logistics.models import Shipment
    from tests.factories import PartnerFactory
    from tests.orders.builders import trade_in_state

    trade = trade_in_state("shipped")
    shipment = trade.order.shipments.get()
    partner = PartnerFactory(phone="+77015550101")
    Shipment.objects.filter(pk=shipment.pk).update(partner=partner.company)
    for user in (trade.buyer, trade.seller):
        client.force_login(user)
        page = client.get(f"/orders/{trade.order.number}/").content.decode()
        assert partner.company.name in page
        assert f"mailto:{partner.email}" in page and "+77015550101" in page
