"""A trade from the accepted quotation to the supplier's payout, through the pages, as
buyer, supplier and operator each in their own browser (Debian Chromium)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ex1000.notifications.models import Notification
from ex1000.orders import services
from ex1000.orders.models import Order, OrderStatus, Payment, PaymentStatus
from ex1000.quotes import services as quote_services
from tests.factories import BuyerFactory, OperatorFactory, SupplierFactory, VehicleFactory
from tests.helpers import image_bytes
from tests.quotes.conftest import rate_book  # noqa: F401  (the fixture, reused here)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("rate_book"),
]

SHOTS = Path("/tmp/shots")


@pytest.fixture
def proof_png(tmp_path):
    path = tmp_path / "transfer.png"
    path.write_bytes(image_bytes(size=(600, 400), fmt="PNG", colour="steelblue"))
    return path


@pytest.fixture
def people(db):
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
        payment_terms="30/70",
    )
    return buyer, supplier, OperatorFactory(), inquiry


@pytest.fixture
def browse(browser, log_in):
    """browse(user, **context options) → a logged-in page in a browser of its own; every
    confirmation dialog is accepted."""

    def _browse(user, **options):
        page = browser.new_context(**options).new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        log_in(page, user)
        return page

    return _browse


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def act(page, action: str) -> None:
    submit(page, f'#actions button[data-action="{action}"]')


def status_of(page):
    return page.locator(".page-head [data-status]")


def upload_proof(page, path: Path, reference: str) -> None:
    form = page.locator("#upload-proof form")
    expect(form).to_be_visible()
    form.locator("[name=reference]").fill(reference)
    form.locator("[name=file]").set_input_files(str(path))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()


def operator_decides(page, site, payment: Payment, reason: str = "") -> None:
    page.goto(f"{site}/ops/payments/")
    card = page.locator(f'article[data-payment="{payment.pk}"]')
    expect(card).to_be_visible()
    if reason:
        card.locator("textarea[name=reason]").fill(reason)
        with page.expect_navigation():
            card.locator("form:has(input[value=reject]) button").click()
    else:
        with page.expect_navigation():
            card.locator("form:has(input[value=confirm]) button").click()
    expect(page.locator(".messages")).to_contain_text(payment.order.number)


def test_a_trade_from_acceptance_to_payout_through_the_pages(
    site, people, browse, proof_png, settings
):
    buyer_user, supplier_user, operator_user, inquiry = people
    buyer = browse(buyer_user)
    supplier = browse(supplier_user)
    operator = browse(operator_user)

    # The buyer accepts the quotation on the inquiry page and finds the order in "My orders".
    buyer.goto(f"{site}/inquiries/{inquiry.pk}/")
    submit(buyer, "form[action*='/accept/'] button")
    order = Order.objects.get()
    buyer.get_by_role("navigation", name="Main").get_by_role("link", name="My orders").click()
    submit(buyer, f'tr[data-order="{order.number}"] a')
    assert buyer.url.endswith(f"/orders/{order.number}/")
    expect(status_of(buyer)).to_have_attribute("data-status", "pending_contract")
    escrow = buyer.locator(".escrow")
    expect(escrow).to_contain_text(settings.ESCROW_ACCOUNT_NUMBER)
    expect(escrow.locator(".reference")).to_have_text(order.number)
    expect(escrow).to_contain_text("never asks anyone to pay a supplier directly")
    expect(buyer.locator("#next-step")).to_contain_text("Your turn")

    # Both sign: the buyer, then the supplier from its Orders list.
    act(buyer, "sign")
    expect(buyer.locator('#actions button[data-action="sign"]')).to_have_count(0)
    supplier.goto(f"{site}/supplier/orders/")
    submit(supplier, f'tr[data-order="{order.number}"] a')
    act(supplier, "sign")
    expect(status_of(supplier)).to_have_attribute("data-status", "awaiting_deposit")

    # Deposit: a proof, rejected with a reason; a new proof, confirmed.
    buyer.reload()
    expect(buyer.locator("#upload-proof [name=kind]")).to_have_value("deposit")
    expect(buyer.locator("#upload-proof [name=currency]")).to_have_value("USD")
    upload_proof(buyer, proof_png, "WRONG-REF")
    first = Payment.objects.get()
    operator_decides(operator, site, first, reason="The reference does not match our statement")
    first.refresh_from_db()
    assert first.status == PaymentStatus.REJECTED
    buyer.reload()
    expect(buyer.locator(f'[data-payment="{first.pk}"]')).to_contain_text(
        "The reference does not match our statement"
    )
    upload_proof(buyer, proof_png, order.number)
    second = Payment.objects.exclude(pk=first.pk).get()
    # The supplier sees the payment and its status, never the proof.
    supplier.reload()
    expect(supplier.locator(f'[data-payment="{second.pk}"]')).to_be_visible()
    expect(supplier.locator("a[href*='/proof/']")).to_have_count(0)
    operator_decides(operator, site, second)
    order.refresh_from_db()
    assert order.status == OrderStatus.DEPOSIT_PAID

    # The supplier starts export; the buyer pays the balance; the operator confirms.
    supplier.reload()
    act(supplier, "start_export")
    expect(status_of(supplier)).to_have_attribute("data-status", "export_processing")
    buyer.reload()
    expect(buyer.locator("#upload-proof [name=kind]")).to_have_value("balance")
    upload_proof(buyer, proof_png, f"{order.number} balance")
    balance = Payment.objects.get(kind="balance")
    operator_decides(operator, site, balance)
    order.refresh_from_db()
    assert order.status == OrderStatus.BALANCE_PAID
    buyer.reload()
    expect(buyer.locator('[data-money="outstanding"]')).to_contain_text("0.00")

    # The buyer names the consignee.
    form = buyer.locator("#consignee form")
    form.locator("[name=name]").fill("Omar Haddad")
    form.locator("[name=company]").fill("Gulf Cars FZE")
    form.locator("[name=address]").fill("Plot 12, Jebel Ali Free Zone")
    form.locator("[name=city]").fill("Dubai")
    form.locator("[name=country]").select_option("AE")
    form.locator("[name=phone]").fill("+971 4 334 5678")
    form.locator("[name=email]").fill("omar@gulfcars.example")
    with buyer.expect_navigation():
        form.locator("button[type=submit]").click()
    assert order.consignee.phone == "+97143345678"

    # The supplier books the shipment with its B/L; ship, arrive.
    supplier.reload()
    with supplier.expect_navigation():
        supplier.locator("#shipments a.button").click()
    supplier.locator("[name=bl_number]").fill("BL123")
    supplier.locator("[name=vessel_name]").fill("Morning Lily")
    supplier.locator("[name=vessel_imo]").fill("9074729")
    with supplier.expect_navigation():
        supplier.locator("form.shipment-form button[type=submit]").click()
    expect(supplier.locator("#shipments")).to_contain_text("BL123")
    act(supplier, "ship")
    expect(status_of(supplier)).to_have_attribute("data-status", "shipped")
    act(supplier, "arrive")
    expect(status_of(supplier)).to_have_attribute("data-status", "arrived")

    # The buyer confirms receipt; the operator pays the supplier out.
    buyer.reload()
    act(buyer, "complete")
    expect(status_of(buyer)).to_have_attribute("data-status", "completed")
    operator.goto(f"{site}/ops/orders/?status=completed")
    submit(operator, f'tr[data-order="{order.number}"] a')
    act(operator, "settle")
    expect(status_of(operator)).to_have_attribute("data-status", "settled")
    order.refresh_from_db()
    assert order.status == OrderStatus.SETTLED
    assert order.payout.amount == order.total - order.platform_fee

    # The history tells it all; the buyer's header counts what it has not read.
    buyer.reload()
    history = buyer.locator("#history li")
    types = [history.nth(i).get_attribute("data-type") for i in range(history.count())]
    assert types == [
        "accept",
        "sign",
        "sign",
        "reject_payment",
        "confirm_deposit",
        "start_export",
        "confirm_balance",
        "ship",
        "arrive",
        "complete",
        "settle",
    ]
    unread = Notification.objects.filter(user=buyer_user, read_at__isnull=True).count()
    expect(buyer.locator("#notifications-link [data-unread]")).to_have_attribute(
        "data-unread", str(unread)
    )
    buyer.locator("#notifications-link").click()
    buyer.wait_for_url(re.compile(r"/notifications/"))
    expect(buyer.locator(".notification.unread")).to_have_count(unread)
    buyer.locator(".notification.unread button", has_text="Mark read").first.click()
    expect(buyer.locator(".notification.unread")).to_have_count(unread - 1)
    expect(buyer.locator("#notifications-link [data-unread]")).to_have_attribute(
        "data-unread", str(unread - 1)
    )
    SHOTS.mkdir(exist_ok=True)
    buyer.set_viewport_size({"width": 1280, "height": 900})
    buyer.goto(f"{site}/orders/{order.number}/")
    buyer.screenshot(path=str(SHOTS / "order-settled-desktop.png"), full_page=True)


def test_the_first_steps_in_french_and_arabic(site, people, browse, proof_png):
    """The same pages in another language: the language the buyer chose, right-to-left
    for Arabic, and the operator's reason reaches the buyer."""
    buyer_user, supplier_user, operator_user, inquiry = people
    for user, language in ((buyer_user, "fr"), (supplier_user, "zh-hans")):
        user.language = language  # logging in switches the pages to it
        user.save(update_fields=["language"])
    buyer = browse(buyer_user)
    supplier = browse(supplier_user)
    operator = browse(operator_user)

    buyer.goto(f"{site}/inquiries/{inquiry.pk}/")
    submit(buyer, "form[action*='/accept/'] button")
    order = Order.objects.get()
    buyer.goto(f"{site}/orders/")
    expect(buyer.locator("html")).to_have_attribute("lang", "fr")
    submit(buyer, f'tr[data-order="{order.number}"] a')
    act(buyer, "sign")
    supplier.goto(f"{site}/supplier/orders/")
    expect(supplier.locator("html")).to_have_attribute("lang", "zh-hans")
    submit(supplier, f'tr[data-order="{order.number}"] a')
    act(supplier, "sign")
    buyer.reload()
    upload_proof(buyer, proof_png, "FR-1")
    operator_decides(operator, site, Payment.objects.get(), reason="Montant incomplet")

    # The buyer switches to Arabic with the footer's language switcher.
    buyer.reload()
    with buyer.expect_navigation():
        buyer.locator("#language-select").select_option("ar")
    html = buyer.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(buyer.locator("[data-payment]")).to_contain_text("Montant incomplet")
    expect(status_of(buyer)).to_have_attribute("data-status", "awaiting_deposit")
    SHOTS.mkdir(exist_ok=True)
    buyer.screenshot(path=str(SHOTS / "order-ar-desktop.png"), full_page=True)


def no_overflow(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide"


def test_the_pages_fit_a_390_px_phone(site, people, browse, proof_png):
    buyer_user, supplier_user, operator_user, inquiry = people
    order = services.accept_quote(quote=inquiry.quotes.get(), buyer=buyer_user)
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    buyer = browse(buyer_user, **phone)
    SHOTS.mkdir(exist_ok=True)

    buyer.goto(f"{site}/orders/{order.number}/")
    no_overflow(buyer)
    act(buyer, "sign")
    services.perform(order=order, action="sign", actor=supplier_user)
    buyer.reload()
    upload_proof(buyer, proof_png, "PHONE-1")
    no_overflow(buyer)
    buyer.screenshot(path=str(SHOTS / "order-390.png"), full_page=True)
    for path in ("/orders/", "/notifications/"):
        buyer.goto(f"{site}{path}")
        no_overflow(buyer)

    buyer_user.language = "ar"
    buyer_user.save(update_fields=["language"])
    arabic = browse(buyer_user, **phone)
    arabic.goto(f"{site}/orders/{order.number}/")
    no_overflow(arabic)
    arabic.screenshot(path=str(SHOTS / "order-390-ar.png"), full_page=True)

    operator = browse(operator_user, **phone)
    operator.goto(f"{site}/ops/payments/")
    operator.locator(".proof-viewer summary").first.click()
    shown = operator.locator(".proof-viewer img").first
    expect(shown).to_be_visible()
    # decode() waits for the bytes (a loaded CI machine may still be fetching them).
    assert shown.evaluate("img => img.decode().then(() => img.naturalWidth)") == 600
    no_overflow(operator)
    operator.screenshot(path=str(SHOTS / "ops-payments-390.png"), full_page=True)
    for path in ("/ops/orders/", f"/orders/{order.number}/"):
        operator.goto(f"{site}{path}")
        no_overflow(operator)
