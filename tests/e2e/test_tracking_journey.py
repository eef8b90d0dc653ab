"""Acceptance 5 of the logistics issue, in Debian Chromium: the buyer follows a shipment's
timeline and exchanges messages with the supplier — each sees the other's message appear
without reloading the page."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ex1000.logistics import services as logistics
from tests.orders.builders import stub_pdfs, trade_in_state

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")


@pytest.fixture
def shipped(monkeypatch):
    stub_pdfs(monkeypatch)
    trade = trade_in_state("shipped")
    shipment = trade.order.shipments.get()
    now = timezone.now()
    for code, classifier, location, at in (
        ("loaded", "ACT", "CNSHA", now - timedelta(days=2)),
        ("departed", "ACT", "CNSHA", now - timedelta(days=1, hours=20)),
        ("arrived", "EST", "AEJEA", now + timedelta(days=12, hours=3)),
    ):
        logistics.add_tracking_event(
            shipment=shipment,
            actor=trade.seller,
            data={
                "code": code,
                "classifier": classifier,
                "location": location,
                "occurred_at": at.isoformat(),
            },
        )
    return trade, shipment


def _browse(browser, log_in, user, **options):
    page = browser.new_context(**options).new_page()
    log_in(page, user)
    return page


def test_the_buyer_follows_the_timeline_and_talks_with_the_supplier_live(
    browser, log_in, site, shipped
):
    trade, shipment = shipped
    url = f"{site}/orders/{trade.order.number}/"
    buyer = _browse(browser, log_in, trade.buyer, viewport={"width": 390, "height": 844})
    buyer.goto(url + "#shipments")

    timeline = buyer.locator(f"#shipment-{shipment.pk}")
    events = timeline.locator(".timeline-event")
    expect(events).to_have_count(3)
    expect(events.nth(0)).to_contain_text("Loaded")
    expect(events.nth(1)).to_contain_text("Departed")
    expect(events.nth(2)).to_contain_text("Arrived")
    expect(events.nth(2).locator(".badge")).to_contain_text("Estimated")
    expect(timeline.locator(".eta-countdown")).to_contain_text(
        re.compile(r"Expected in 1[23] days")
    )
    expect(events.nth(1)).to_contain_text("Shanghai (CNSHA)")
    expect(events.nth(2)).to_contain_text("Jebel Ali (AEJEA)")
    shipment_facts = buyer.locator("#shipments dl.shipment")
    expect(shipment_facts).to_contain_text("MEDUJ1234567")  # the B/L
    expect(shipment_facts).to_contain_text("MSC Anna")
    assert buyer.evaluate("document.documentElement.scrollWidth") <= 390

    # The supplier writes from its own browser; the buyer's page shows it without a reload.
    buyer.evaluate("window.__not_reloaded = true")
    supplier = _browse(browser, log_in, trade.seller, viewport={"width": 1280, "height": 900})
    supplier.goto(url + "#thread")
    supplier.fill("#thread textarea[name=text]", "The car is on MSC Anna; the B/L draft follows.")
    supplier.click("#thread button[type=submit]")
    expect(supplier.locator(".message-mine").last).to_contain_text("B/L draft follows")
    expect(supplier.locator("#thread textarea[name=text]")).to_have_value("")

    news = buyer.locator(".message-item", has_text="B/L draft follows")
    expect(news).to_be_visible(timeout=15_000)
    assert buyer.evaluate("window.__not_reloaded") is True
    expect(buyer.locator(".message-item")).to_have_count(2)  # the inquiry's, and this one…

    # …and the buyer answers; the supplier's page shows it, again without a reload.
    supplier.evaluate("window.__not_reloaded = true")
    buyer.fill("#thread textarea[name=text]", "Thank you. Please send the draft today.")
    buyer.click("#thread button[type=submit]")
    expect(buyer.locator(".message-mine", has_text="send the draft today")).to_have_count(1)
    expect(supplier.locator(".message-item", has_text="send the draft today")).to_be_visible(
        timeout=15_000
    )
    assert supplier.evaluate("window.__not_reloaded") is True
    # Polling and sending never show one message twice.
    buyer.wait_for_timeout(5_000)
    expect(buyer.locator(".message-item", has_text="send the draft today")).to_have_count(1)

    SHOTS.mkdir(exist_ok=True)
    buyer.screenshot(path=str(SHOTS / "tracking-journey-buyer-390.png"), full_page=True)
    supplier.screenshot(path=str(SHOTS / "tracking-journey-supplier.png"), full_page=True)


def test_a_long_thread_opens_at_its_newest_message(browser, log_in, site, shipped):
    from ex1000.messaging.models import Message, Thread

    trade, _shipment = shipped
    thread = Thread.objects.get(inquiry=trade.order.quote.inquiry)
    Message.objects.bulk_create(
        Message(thread=thread, author=trade.seller, text=f"Loading update {n}.") for n in range(30)
    )
    page = _browse(browser, log_in, trade.buyer, viewport={"width": 1280, "height": 900})
    page.goto(f"{site}/orders/{trade.order.number}/#thread")
    at_bottom = page.evaluate(
        "(() => { const l = document.querySelector('.thread-messages');"
        " return l.scrollHeight > l.clientHeight"
        " && l.scrollTop + l.clientHeight >= l.scrollHeight - 2; })()"
    )
    assert at_bottom
    expect(page.locator(".message-item", has_text="Loading update 29.")).to_be_in_viewport()
