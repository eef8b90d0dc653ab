"""Tracking events (orders.md, Shipments and tracking): the supplier or the assigned
partner adds them; an estimated arrival moves the ETA, an actual arrival at the
destination records the order's arrival; the buyer is told of every actual event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from ex1000.core.models import Event
from ex1000.logistics.models import Shipment
from ex1000.notifications.models import Notification
from tests.factories import CompanyFactory, UserFactory
from tests.helpers import assert_problem
from tests.orders.builders import stub_pdfs, trade_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_weasyprint(monkeypatch):
    stub_pdfs(monkeypatch)


@pytest.fixture
def shipped():
    trade = trade_in_state("shipped")
    return trade, trade.order.shipments.get()


def _post(client, shipment, **event):
    body = {"code": "departed", "classifier": "ACT", "location": "CNSHA", **event}
    body.setdefault("occurred_at", (timezone.now() - timedelta(hours=2)).isoformat())
    return client.post(f"shipments/{shipment.pk}/events", body)


def test_the_supplier_adds_events_and_the_buyer_follows_one_timeline(shipped, login_api):
    trade, shipment = shipped
    supplier = login_api(trade.seller)
    planned = _post(
        supplier, shipment, code="loaded", classifier="PLN", occurred_at="2027-03-01T08:00:00Z"
    )
    actual = _post(supplier, shipment, code="departed", occurred_at="2026-11-30T06:00:00+08:00")
    assert planned.status_code == 201 and actual.status_code == 201, actual.content
    assert actual.json()["label"] == "Departed" and actual.json()["location"] == "CNSHA"

    timeline = login_api(trade.buyer).get(f"shipments/{shipment.pk}").json()["events"]
    assert [(e["code"], e["classifier"]) for e in timeline] == [
        ("departed", "ACT"),
        ("loaded", "PLN"),
    ]  # by time, not by when they were added
    notices = Notification.objects.filter(user=trade.buyer, kind="tracking_event")
    assert notices.count() == 1  # the actual one only
    assert trade.order.number in notices.get().title
    assert Event.objects.filter(type="tracking_event", subject_id=str(shipment.pk)).count() == 2


def test_an_estimated_arrival_moves_the_eta_and_an_actual_one_records_the_arrival(
    shipped, login_api
):
    trade, shipment = shipped
    supplier = login_api(trade.seller)
    eta = datetime(2027, 1, 20, 9, 0, tzinfo=UTC)
    assert (
        _post(
            supplier,
            shipment,
            code="arrived",
            classifier="EST",
            location=shipment.destination,
            occurred_at=eta.isoformat(),
        ).status_code
        == 201
    )
    shipment.refresh_from_db()
    assert shipment.eta == eta
    trade.refresh()
    assert trade.order.status == "shipped"

    # Elsewhere (a transshipment port) an actual arrival is just an event.
    _post(supplier, shipment, code="arrived", location="SGSIN")
    assert trade.refresh().order.status == "shipped"

    response = _post(supplier, shipment, code="discharged", location=shipment.destination)
    assert response.status_code == 201, response.content
    order = trade.refresh().order
    assert order.status == "arrived" and order.arrived_at is not None
    arrive = Event.objects.get(subject_type="order", subject_id=str(order.pk), type="arrive")
    assert arrive.actor == trade.seller


def test_the_assigned_partner_adds_events_others_may_not(shipped, login_api):
    trade, shipment = shipped
    partner = CompanyFactory(verification_status="approved")
    Shipment.objects.filter(pk=shipment.pk).update(partner=partner)
    partner_user = UserFactory(role="logistics", company=partner)
    other_partner = UserFactory(
        role="logistics", company=CompanyFactory(verification_status="approved")
    )

    assert _post(login_api(partner_user), shipment, code="gate_in").status_code == 201
    assert_problem(_post(login_api(other_partner), shipment), 404)
    refused = _post(login_api(trade.buyer), shipment)
    assert_problem(refused, 403)
    assert refused.json()["code"] == "not_allowed"
    assert_problem(_post(login_api(UserFactory()), shipment), 404)


@pytest.mark.parametrize(
    ("event", "field", "code"),
    [
        ({"code": "teleported"}, "code", "unknown_event_code"),
        ({"classifier": "MAYBE"}, "classifier", "unknown_classifier"),
        ({"occurred_at": "2026-11-30T06:00:00"}, "occurred_at", "occurred_at_required"),
        ({"occurred_at": None}, "occurred_at", "occurred_at_required"),
        ({"occurred_at": "2099-01-01T00:00:00Z"}, "occurred_at", "occurred_at_out_of_range"),
        ({"occurred_at": "1999-12-31T23:59:59Z"}, "occurred_at", "occurred_at_out_of_range"),
        # Past the last representable instant once in UTC: refused, not a 500.
        ({"occurred_at": "9999-12-31T23:59:59-12:00"}, "occurred_at", "occurred_at_out_of_range"),
        ({"occurred_at": "0001-01-01T00:00:00+14:00"}, "occurred_at", "occurred_at_out_of_range"),
        ({"occurred_at": 12345}, "occurred_at", "occurred_at_required"),  # not a Unix time
        ({"occurred_at": -(10**12)}, "occurred_at", "occurred_at_required"),
        ({"location": "x" * 101}, "location", None),
    ],
)
def test_bad_events_are_refused_with_their_code(shipped, login_api, event, field, code):
    trade, shipment = shipped
    response = _post(login_api(trade.seller), shipment, **event)
    body = assert_problem(response, 422, field)
    if code:
        assert body["code"] == code
    assert not shipment.events.exists()


def test_an_actual_event_cannot_be_in_the_future(shipped, login_api):
    trade, shipment = shipped
    later = (timezone.now() + timedelta(days=3)).isoformat()
    response = _post(login_api(trade.seller), shipment, occurred_at=later)
    assert assert_problem(response, 422, "occurred_at")["code"] == "actual_event_in_future"
    planned = _post(login_api(trade.seller), shipment, classifier="PLN", occurred_at=later)
    assert planned.status_code == 201


def test_the_event_comes_back_in_utc(shipped, login_api):
    trade, shipment = shipped
    response = _post(login_api(trade.seller), shipment, occurred_at="2026-11-30T10:00:00+08:00")
    assert response.status_code == 201
    assert response.json()["occurred_at"] in ("2026-11-30T02:00:00Z", "2026-11-30T02:00:00+00:00")


def test_the_arrival_is_dated_by_the_event_and_the_notice_names_the_place(shipped, login_api):
    """The claim window runs from when the car arrived, not from when we heard of it; a
    loading without a place is not said to happen at the destination."""
    trade, shipment = shipped
    supplier = login_api(trade.seller)
    loaded = _post(supplier, shipment, code="loaded", location="")
    assert loaded.status_code == 201
    notice = Notification.objects.filter(user=trade.buyer, kind="tracking_event").latest("id")
    assert shipment.destination not in notice.body
    at = timezone.now() - timedelta(hours=5)
    arrived = _post(
        supplier,
        shipment,
        code="arrived",
        location=shipment.destination,
        occurred_at=at.isoformat(),
    )
    assert arrived.status_code == 201
    trade.order.refresh_from_db()
    assert trade.order.status == "arrived"
    assert abs((trade.order.arrived_at - at).total_seconds()) < 1
    notice = Notification.objects.filter(user=trade.buyer, kind="tracking_event").latest("id")
    assert f"({shipment.destination})" in notice.body  # "Jebel Ali (AEJEA)"
