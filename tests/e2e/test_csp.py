"""Issue 9, acceptance 4: the main pages work under the Content-Security-Policy — no
violation reported by Debian Chromium as the buyer, the supplier and the operator walk
them (htmx polling and sending included)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import OperatorFactory
from tests.orders.builders import stub_pdfs, trade_in_state

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile);
});
"""


def _walk(browser, log_in, site, user, paths):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH)
    page = context.new_page()
    log_in(page, user)
    seen = {}
    for path in paths:
        page.goto(f"{site}{path}")
        page.wait_for_load_state("networkidle")
        seen[path] = page.evaluate("window.__csp")
    return page, seen


def test_the_main_pages_raise_no_csp_violation(browser, log_in, site, monkeypatch):
    stub_pdfs(monkeypatch)
    trade = trade_in_state("shipped")
    order = f"/orders/{trade.order.number}/"
    vehicle = f"/vehicles/{trade.order.items[0]['vehicle_id']}/"
    inquiry = f"/inquiries/{trade.order.quote.inquiry_id}/"

    page, seen = _walk(
        browser,
        log_in,
        site,
        trade.buyer,
        ["/", "/vehicles/?fuel=bev", vehicle, inquiry, order, "/messages/", "/accounts/profile/"],
    )
    # The thread works under the policy: send a message without a reload.
    page.goto(f"{site}{order}#thread")
    page.fill("#thread textarea[name=text]", "Is the B/L draft ready?")
    page.click("#thread button[type=submit]")
    expect(page.locator(".message-mine", has_text="B/L draft ready")).to_be_visible()
    page.wait_for_timeout(4_500)  # one poll
    seen["thread send + poll"] = page.evaluate("window.__csp")

    _page, seen_supplier = _walk(
        browser, log_in, site, trade.seller, ["/supplier/", order, "/supplier/orders/"]
    )
    operator_page, seen_operator = _walk(
        browser,
        log_in,
        site,
        OperatorFactory(),
        ["/ops/orders/", "/ops/payments/", "/ops/messages/flagged/", "/api/v1/docs"],
    )
    violations = {
        path: found
        for pages in (seen, seen_supplier, seen_operator)
        for path, found in pages.items()
        if found
    }
    assert violations == {}

    # The watch itself works: an inline script is blocked and reported.
    operator_page.evaluate(
        "(() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = 1'; document.body.appendChild(s); })()"
    )
    operator_page.wait_for_timeout(200)
    assert operator_page.evaluate("window.injected") is None
    assert any("script-src" in v for v in operator_page.evaluate("window.__csp"))
