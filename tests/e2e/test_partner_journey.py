"""A verified logistics partner's day, through the pages (Debian Chromium): log in, open
"My shipments", find the assigned shipment by its VIN, add an actual departure at the
origin through the form and see it on the timeline; the page fits a 390 px phone, in
Arabic too."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ex1000.logistics.models import Shipment
from tests.factories import PartnerFactory
from tests.orders.builders import CONSIGNEE, stub_pdfs, trade_in_state

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def assigned(monkeypatch):
    stub_pdfs(monkeypatch)
    trade = trade_in_state("shipped")
    shipment = trade.order.shipments.get()
    partner = PartnerFactory(name="Yerlan Abenov")
    Shipment.objects.filter(pk=shipment.pk).update(partner=partner.company)
    return trade, shipment, partner


def no_overflow(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide"


def test_the_partner_adds_a_departure_from_its_dashboard(site, browser, log_in, assigned):
    trade, shipment, partner = assigned
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, partner)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My shipments").click()
    page.wait_for_load_state()
    assert page.url.endswith("/partner/")
    card = page.locator(f"#shipment-card-{shipment.pk}")
    expect(card).to_contain_text(shipment.vins[0])
    expect(card).to_contain_text(trade.order.number)
    expect(card).to_contain_text(CONSIGNEE["name"])
    expect(card.locator(f"a[href*='/orders/{trade.order.number}']")).to_have_count(0)

    card.locator("details.add-event summary").click()
    form = card.locator("details.add-event form")
    prefix = f"s{shipment.pk}"
    form.locator(f"[name={prefix}-code]").select_option("departed")
    form.locator(f"[name={prefix}-classifier]").select_option("ACT")
    form.locator(f"[name={prefix}-location]").fill(shipment.origin)
    left = timezone.now() - timedelta(hours=2)
    form.locator(f"[name={prefix}-occurred_at]").fill(left.strftime("%Y-%m-%dT%H:%M"))
    form.locator(f"[name={prefix}-description]").fill("Left the terminal on schedule")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    assert "/partner/" in page.url
    expect(page.locator(".messages")).to_contain_text("Added to the timeline: Departed.")
    timeline = page.locator(f"#shipment-{shipment.pk} .timeline")
    expect(timeline.locator(".timeline-act")).to_contain_text("Departed")
    expect(timeline).to_contain_text("Left the terminal on schedule")
    assert shipment.events.get().created_by == partner
    SHOTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / "partner-1280.png"), full_page=True)

    phone = browser.new_context(**PHONE).new_page()
    log_in(phone, partner)
    phone.goto(f"{site}/partner/")
    expect(phone.locator(f"#shipment-card-{shipment.pk}")).to_contain_text(shipment.vins[0])
    phone.locator("details.add-event summary").click()
    no_overflow(phone)
    phone.screenshot(path=str(SHOTS / "partner-390.png"), full_page=True)

    # Right to left (Arabic): the same page still fits.
    phone.context.add_cookies([{"name": "django_language", "value": "ar", "url": site}])
    phone.goto(f"{site}/partner/")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    no_overflow(phone)
    phone.screenshot(path=str(SHOTS / "partner-390-ar.png"), full_page=True)
