"""Orders that arrived ORDER_CLAIM_DAYS ago without a dispute complete on their own."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ex1000.catalog.models import Vehicle
from ex1000.core.events import events_of
from ex1000.orders.models import Order, OrderStatus
from tests.orders.builders import accepted_order
from tests.quotes import fixtures_inquiries as fx

pytestmark = pytest.mark.django_db


def _arrived_order(days_ago: float) -> Order:
    _seller, [car] = fx.supplier_with_listings(1)
    order = accepted_order(cars=[car])
    Order.objects.filter(pk=order.pk).update(
        status=OrderStatus.ARRIVED, arrived_at=timezone.now() - timedelta(days=days_ago)
    )
    order.refresh_from_db()
    return order


def test_run_schedules_completes_overdue_arrivals_once(book, settings):
    settings.ORDER_CLAIM_DAYS = 7
    overdue = _arrived_order(days_ago=7.5)
    recent = _arrived_order(days_ago=2)

    out = StringIO()
    call_command("run_schedules", stdout=out)
    call_command("run_schedules", "complete_overdue_orders", stdout=StringIO())  # idempotent

    overdue.refresh_from_db()
    recent.refresh_from_db()
    assert overdue.status == OrderStatus.COMPLETED
    assert recent.status == OrderStatus.ARRIVED
    assert overdue.number in out.getvalue()
    records = [e for e in events_of(overdue) if e.type == "complete"]
    assert len(records) == 1
    assert records[0].actor_role == "system" and records[0].actor is None
    assert Vehicle.objects.get(pk=overdue.items[0]["vehicle_id"]).quantity_sold == 1


def test_unknown_job_names_are_refused():
    with pytest.raises(SystemExit):
        call_command("run_schedules", "nope", stderr=StringIO())


def test_the_buyer_cannot_dispute_after_the_claim_period(book, settings, login_api):
    settings.ORDER_CLAIM_DAYS = 7
    order = _arrived_order(days_ago=8)
    client = login_api(order.buyer)
    body = client.post(f"orders/{order.number}/actions/dispute", {"reason": "late"}).json()
    assert body["code"] == "claim_period_over"
    assert "dispute" not in client.get(f"orders/{order.number}").json()["allowed_actions"]
