"""Issue 9, acceptance 1, in Debian Chromium: a supplier without two-factor lands on the
set-up, scans (reads) the key, types the app's code, keeps the recovery codes, and from
then on logging in asks for a code; a buyer is never asked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, BuyerFactory, SupplierFactory
from tests.helpers import code_for_secret, totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp/ex1000-e2e"))


def _password_step(page, site, user):
    page.goto(f"{site}/accounts/login/?next=/supplier/")
    page.fill("[name=email]", user.email)
    page.fill("[name=password]", PASSWORD)
    page.click("form:has([name=password]) button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_supplier_enrols_then_logs_in_with_a_code(site, browser, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    supplier = SupplierFactory(two_factor=False)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()

    _password_step(page, site, supplier)
    assert "/accounts/2fa/" in page.url  # the only page there is before two-factor
    expect(page.locator("figure.qr svg")).to_be_visible()
    page.goto(f"{site}/supplier/")
    assert "/accounts/2fa/" in page.url
    page.screenshot(path=str(SHOTS / f"two-factor-setup-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    secret = page.locator("[data-secret]").inner_text()
    page.fill("[name=otp]", "000000")
    page.click("button[value=confirm]")
    expect(page.locator("main")).to_contain_text("This code is not right")
    page.wait_for_timeout(1100)  # django-otp's wait after a wrong code
    page.fill("[name=otp]", code_for_secret(secret))
    page.click("button[value=confirm]")
    codes = page.locator("[data-recovery-codes] code")
    expect(codes).to_have_count(10)
    page.screenshot(path=str(SHOTS / f"two-factor-codes-{width}.png"), full_page=True)
    page.get_by_role("link", name="I have kept them: go on").click()
    page.wait_for_load_state()
    assert page.url.endswith("/supplier/")

    context.clear_cookies()
    _password_step(page, site, supplier)
    assert "/accounts/2fa/verify/" in page.url
    page.screenshot(path=str(SHOTS / f"two-factor-verify-{width}.png"), full_page=True)
    page.fill("[name=otp]", totp_code(supplier))
    page.click("form:has([name=otp]) button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/supplier/"), page.url
    context.close()


def test_a_buyer_logs_in_without_a_code(site, browser):
    buyer = BuyerFactory()
    page = browser.new_page()
    page.goto(f"{site}/accounts/login/")
    page.fill("[name=email]", buyer.email)
    page.fill("[name=password]", PASSWORD)
    page.click("form:has([name=password]) button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/2fa" not in page.url and "/accounts/login/" not in page.url
    page.goto(f"{site}/orders/")
    expect(page.locator("h1")).to_be_visible()
    assert "/accounts/" not in page.url
    page.close()
