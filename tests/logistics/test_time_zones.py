"""Times where the reader is: the order page's timeline in the viewer's zone (chosen, else
the country's), the event form read in the supplier's zone and stored in UTC, the ETA in
days, the buyer's notice in the buyer's zone — and the order's PDFs in UTC whoever asks."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ex1000.logistics.models import TrackingEvent
from ex1000.notifications.models import Notification
from ex1000.orders import documents
from tests.orders.builders import stub_pdfs, trade_in_state

pytestmark = pytest.mark.django_db

EVENT_AT = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


@pytest.fixture
def shipped():
    trade = trade_in_state("shipped")
    shipment = trade.order.shipments.get()
    TrackingEvent.objects.create(
        shipment=shipment, code="departed", classifier="ACT", location="CNSHA", occurred_at=EVENT_AT
    )
    return trade, shipment


def _timeline(client, trade) -> str:
    page = client.get(reverse("orders:detail", args=[trade.order.number])).content.decode()
    start = page.index('class="timeline-block"')
    return page[start : page.index("</ol>", start)]


def test_a_buyer_in_kazakhstan_sees_almaty_time(client, shipped, monkeypatch):
    stub_pdfs(monkeypatch)
    trade, _shipment = shipped
    trade.buyer.country, trade.buyer.time_zone = "KZ", ""
    trade.buyer.save()
    client.force_login(trade.buyer)

    timeline = _timeline(client, trade)

    assert 'datetime="2026-12-03T13:00:00+05:00"' in timeline
    assert "Dec. 3, 2026, 13:00</time>" in timeline and "(Almaty time)" in timeline
    assert "UTC" not in timeline


def test_a_chosen_zone_wins_over_the_country(client, shipped, monkeypatch):
    stub_pdfs(monkeypatch)
    trade, _shipment = shipped
    trade.buyer.country, trade.buyer.time_zone = "KZ", "Asia/Dubai"
    trade.buyer.save()
    client.force_login(trade.buyer)

    timeline = _timeline(client, trade)

    assert "Dec. 3, 2026, 12:00</time>" in timeline and "(Dubai time)" in timeline
    assert "13:00" not in timeline


def test_the_event_form_reads_the_suppliers_zone_and_stores_utc(client, shipped, monkeypatch):
    stub_pdfs(monkeypatch)
    trade, shipment = shipped
    trade.seller.country, trade.seller.time_zone = "CN", ""
    trade.seller.save()
    client.force_login(trade.seller)
    page = client.get(reverse("orders:detail", args=[trade.order.number])).content.decode()
    assert "Time (Shanghai time)" in page and "Time (UTC)" not in page

    p = f"s{shipment.pk}-"
    client.post(
        reverse("logistics:add_tracking_event", args=[shipment.pk]),
        {
            f"{p}code": "loaded",
            f"{p}classifier": "ACT",
            f"{p}location": "CNSHA",
            f"{p}occurred_at": "2026-06-10T09:30",  # Shanghai, UTC+8
        },
    )
    event = shipment.events.get(code="loaded")
    assert event.occurred_at == datetime(2026, 6, 10, 1, 30, tzinfo=UTC)


def test_the_buyers_notice_carries_the_buyers_time(
    client, shipped, monkeypatch, django_capture_on_commit_callbacks
):
    stub_pdfs(monkeypatch)
    trade, shipment = shipped
    trade.buyer.country, trade.buyer.time_zone = "AE", ""
    trade.buyer.save()
    client.force_login(trade.seller)  # the request runs in the supplier's zone (Shanghai)
    p = f"s{shipment.pk}-"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("logistics:add_tracking_event", args=[shipment.pk]),
            {
                f"{p}code": "transshipment",
                f"{p}classifier": "ACT",
                f"{p}location": "SGSIN",
                f"{p}occurred_at": "2026-06-11T16:00",  # 08:00Z
            },
        )
    notice = Notification.objects.filter(user=trade.buyer, kind="tracking_event").latest("pk")
    assert "June 11, 2026, 12:00 (Dubai time)" in notice.body  # 08:00Z in Dubai, UTC+4
    assert any("12:00 (Dubai time)" in m.body for m in mail.outbox if trade.buyer.email in m.to)


def test_the_eta_is_counted_in_days(client, shipped, monkeypatch):
    stub_pdfs(monkeypatch)
    trade, shipment = shipped
    shipment.eta = timezone.now() + timedelta(days=5, hours=1)
    shipment.save(update_fields=["eta"])
    client.force_login(trade.buyer)
    page = client.get(reverse("orders:detail", args=[trade.order.number])).content.decode()
    countdown = re.search(r'<p class="eta-countdown">(.*?)</p>', page, re.S).group(1)
    assert re.search(r"Expected in [56] days", countdown), countdown
    assert "hours" not in countdown


def test_the_order_pdfs_stay_in_utc_whoever_asks(shipped, monkeypatch):
    trade, shipment = shipped
    shipment.eta = datetime(2026, 12, 3, 21, 0, tzinfo=UTC)  # already Dec. 4 in Almaty
    shipment.save(update_fields=["eta"])
    rendered = []
    monkeypatch.setattr(documents, "html_to_pdf", lambda html: rendered.append(html) or b"%PDF")

    with timezone.override("Asia/Almaty"):  # as inside a KZ buyer's request
        documents._render(trade.order, "commercial_invoice", "en")

    assert "Dec. 3, 2026" in rendered[0] and "Dec. 4, 2026" not in rendered[0]
    assert timezone.get_current_timezone_name() == "UTC"  # and nothing leaks out


def test_an_estimate_is_marked_superseded_by_a_later_one_or_the_actual_event(client):
    from datetime import timedelta

    from django.utils import timezone

    from ex1000.logistics import services
    from tests.orders.builders import trade_in_state

    trade = trade_in_state("shipped")
    shipment = trade.order.shipments.get()
    now = timezone.now()
    for days in (10, 12):
        services.add_tracking_event(
            shipment=shipment,
            actor=trade.seller,
            data={
                "code": "arrived",
                "classifier": "EST",
                "location": shipment.destination,
                "occurred_at": (now + timedelta(days=days)).isoformat(),
            },
        )
    client.force_login(trade.buyer)
    page = client.get(f"/orders/{trade.order.number}/").content.decode()
    assert page.count("timeline-superseded") == 1  # the 10-day estimate; the 12-day one counts
    assert "Expected in 12 days" in page
