"""A quotation from the vehicle page to the order, in a real browser (Debian Chromium)."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ex1000.core.money import display
from ex1000.orders.models import Order
from ex1000.quotes.models import Inquiry
from tests.factories import BuyerFactory, SupplierFactory, VehicleFactory
from tests.quotes.conftest import rate_book  # noqa: F401  (the fixture, reused here)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def usd(amount) -> str:
    return display(Decimal(amount), "USD", "en")


@pytest.mark.usefixtures("rate_book")
def test_buyer_requests_supplier_revises_buyer_compares_and_accepts(site, page, browser, log_in):
    supplier = SupplierFactory()
    buyer = BuyerFactory()
    car = VehicleFactory(
        company=supplier.company, make="BYD", model="Song Plus", quantity=3, city="Hangzhou"
    )

    # The buyer opens the car: the calculator prices CIF Jebel Ali and says who pays what.
    log_in(page, buyer)
    page.goto(f"{site}/vehicles/{car.pk}/")
    result = page.locator("#quote-result")
    expect(result).to_contain_text("Total (CIF)")
    expect(result.locator('tr[data-code="main_carriage"]')).to_contain_text("In the price")
    expect(result.locator('tr[data-code="duty"]')).to_contain_text("Buyer's side, not included")

    # Changing the term re-prices in place (htmx) and the request follows the calculator.
    page.select_option("#calculator [name=incoterm]", "FOB")
    expect(result).to_contain_text("Total (FOB)")
    expect(result.locator('tr[data-code="main_carriage"]')).to_contain_text("Buyer's side")
    page.select_option("#calculator [name=incoterm]", "CIF")
    page.fill("#calculator [name=quantity]", "2")
    page.locator("#calculator [name=quantity]").dispatch_event("change")
    expect(page.locator("#inquiry-options")).to_contain_text("2 × ")
    expect(page.locator("#inquiry-options")).to_contain_text("CIF Jebel Ali (AEJEA)")

    page.fill("#request-quotation [name=payment_terms]", "30 % deposit, 70 % before shipment")
    page.fill("#request-quotation [name=message]", "Two units, white if possible.")
    page.click("#request-quotation button[type=submit]")
    page.wait_for_url(re.compile(r"/inquiries/\d+/"))
    inquiry = Inquiry.objects.get()
    assert inquiry.incoterm == "CIF" and inquiry.items.get().quantity == 2
    first = inquiry.quotes.get()
    expect(page.locator("table.versions")).to_contain_text(usd(first.total))

    # The supplier, in another browser, finds it in the inbox and revises with a discount.
    supplier_page = browser.new_context().new_page()
    log_in(supplier_page, supplier)
    supplier_page.goto(f"{site}/supplier/inquiries/")
    supplier_page.click(f"text=#{inquiry.pk}")
    supplier_page.fill("[name=adjustment_0_label]", "Loyalty discount")
    supplier_page.fill("[name=adjustment_0_amount]", "-400")
    supplier_page.fill("[name=note]", "Our best price this month.")
    supplier_page.click("#revise button[type=submit]")
    expect(supplier_page.locator(".messages")).to_contain_text("Version 2")
    second = inquiry.quotes.get(version=2)
    assert second.total == first.total - Decimal("400")

    # The buyer sees both versions side by side and accepts version 2.
    page.reload()
    versions = page.locator("table.versions")
    expect(versions.locator("thead th.version-head")).to_have_count(2)
    expect(versions).to_contain_text(usd(first.total))
    expect(versions).to_contain_text(usd(second.total))
    expect(versions).to_contain_text("Loyalty discount")
    expect(versions).to_contain_text("Our best price this month.")
    expect(page.get_by_role("button", name="Accept version 1")).to_have_count(0)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Accept version 2").click()
    page.wait_for_load_state()
    order = Order.objects.get()
    assert order.quote_id == second.pk
    expect(page.locator(".order-created")).to_contain_text(order.number)

    # The quotation PDF downloads.
    with page.expect_download() as download:
        page.locator("table.versions a", has_text="Quotation (PDF)").last.click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    proforma = page.context.request.get(f"{site}/quotes/{second.pk}/pdf/?proforma=1")
    assert proforma.ok and proforma.body().startswith(b"%PDF")
