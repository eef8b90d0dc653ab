"""Issue 10, acceptance 4: on the demo data, the Mombasa buyer finds a car Kenya admits
(right-hand drive, at most 8 years old) and accepts its quotation, in Debian Chromium."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from ex1000.accounts.models import User
from ex1000.catalog.models import Vehicle
from ex1000.demo.management.commands.seed_demo import DEFAULT_PASSWORD
from ex1000.orders.models import Order

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_mombasa_demo_buyer_accepts_a_quote_for_a_car_kenya_admits(
    site, page, log_in, monkeypatch
):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo", verbosity=0)
    buyer = User.objects.get(email="buyer.mombasa@ex1000.demo")
    log_in(page, buyer, DEFAULT_PASSWORD)

    # "Importable to my destination": the search keeps the right-hand-drive cars.
    found = page.request.get(
        f"{site}/api/v1/vehicles?destination=KEMBA&eligible=true&page_size=50"
    ).json()
    assert found["count"] >= 10 and all(item["eligible"] for item in found["items"])
    car = Vehicle.objects.get(pk=found["items"][0]["id"])
    assert car.steering == "RHD"

    page.goto(f"{site}/vehicles/{car.pk}/")
    page.select_option("#calculator [name=destination]", "KEMBA")
    result = page.locator("#quote-result")
    expect(result).to_contain_text("Mombasa")
    expect(result).not_to_contain_text("cannot be imported")
    page.click("#request-quotation button[type=submit]")
    page.wait_for_url(re.compile(r"/inquiries/\d+/"))

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Accept version 1").click()
    page.wait_for_load_state()
    order = Order.objects.get(buyer=buyer)
    expect(page.locator(".order-created")).to_contain_text(order.number)
    assert order.quote.inquiry.destination == "KEMBA"
