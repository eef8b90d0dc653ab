"""The operator opens the fraud queue from the navigation and sees the flagged message with
its warning, at desktop and phone width (Debian Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from ex1000.messaging.models import Thread
from ex1000.messaging.services import post_message
from ex1000.quotes import services as quote_services
from tests.factories import BuyerFactory, OperatorFactory, SupplierFactory, VehicleFactory
from tests.quotes.conftest import rate_book  # noqa: F401  (the fixture, reused here)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("rate_book"),
]

SHOTS = Path("/tmp/shots")
FRAUD = (
    "Our bank details have changed.\n"
    "To save the fee, please pay the balance to my personal account instead."
)
ORDINARY = "The cars are ready; please pay the deposit through the platform escrow as usual."
LABEL = "Asks for payment outside escrow / changed bank details"


@pytest.fixture
def flagged(db):
    supplier = SupplierFactory(name="Li Wei")
    buyer = BuyerFactory(name="Omar Haddad")
    car = VehicleFactory(company=supplier.company, make="BYD", model="Song Plus", quantity=2)
    inquiry = quote_services.submit_inquiry(
        buyer=buyer,
        items=[(car.pk, 1)],
        incoterm="CIF",
        destination="AEJEA",
        mode="roro",
        currency="USD",
    )
    thread = Thread.objects.get(inquiry=inquiry)
    post_message(thread, supplier, ORDINARY)
    return post_message(thread, supplier, FRAUD), supplier


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_the_operator_finds_the_flagged_message_from_the_nav(
    site, browser, log_in, flagged, width, height
):
    message, supplier = flagged
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    log_in(page, OperatorFactory())

    page.goto(f"{site}/ops/orders/")
    with page.expect_navigation():
        page.locator(".main-nav").get_by_role("link", name="Fraud warnings").click()

    assert page.url.endswith("/ops/messages/flagged/")
    card = page.locator(f'[data-message="{message.pk}"]')
    expect(card).to_be_visible()
    expect(card).to_contain_text(LABEL)
    expect(card).to_contain_text("pay the balance to my personal account")
    expect(card).to_contain_text(supplier.company.name)
    expect(card.get_by_role("link", name=f"Inquiry #{message.thread.inquiry_id}")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(ORDINARY)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"fraud-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
