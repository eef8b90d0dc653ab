"""Booking a shipment from the order page: the supplier or an operator, with the same
checks as the API, and errors on the form's fields."""

import pytest
from django.urls import reverse

from ex1000.logistics.models import Shipment
from tests.factories import BuyerFactory
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
