"""The carriers' webhook (orders.md; issue 8 §1): Standard Webhooks signatures, a repeated
id accepted once, our events and DCSA Track & Trace events, unknown shipments named; the
worked example of docs/carrier-webhook.md replayed byte for byte."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from freezegun import freeze_time

from ex1000.logistics import webhooks
from ex1000.logistics.models import Shipment, TrackingEvent, WebhookDelivery, WebhookEndpoint
from ex1000.notifications.models import Notification
from tests.factories import CompanyFactory, UserFactory
from tests.helpers import assert_problem
from tests.orders.builders import stub_pdfs, trade_in_state

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "carrier-webhook.md"
DOC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@pytest.fixture(autouse=True)
def _no_weasyprint(monkeypatch):
    stub_pdfs(monkeypatch)


@pytest.fixture
def partnered(login_api):
    trade = trade_in_state("shipped")
    shipment = trade.order.shipments.get()
    company = CompanyFactory(name="MSC Logistics", verification_status="approved")
    Shipment.objects.filter(pk=shipment.pk).update(partner=company)
    partner = UserFactory(role="logistics", company=company)
    issued = login_api(partner).post("me/webhook-secret", {})
    assert issued.status_code == 200, issued.content
    return trade, shipment, partner, issued.json()


def deliver(provider, secret, body, *, webhook_id="msg_1", timestamp=None, signature=None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    headers = {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature or webhooks.sign(secret, webhook_id, timestamp, raw),
    }
    return Client().post(
        f"/api/v1/logistics/webhook/{provider}",
        data=raw,
        content_type="application/json",
        headers=headers,
    )


def ours(**changes):
    return {
        "bl_number": "MEDUJ1234567",
        "code": "departed",
        "classifier": "ACT",
        "location": "CNSHA",
        "occurred_at": "2026-11-30T06:00:00+08:00",
        **changes,
    }


def test_the_worked_example_of_the_docs_is_accepted_and_the_order_arrives(
    partnered, django_capture_on_commit_callbacks
):
    trade, shipment, _, issued = partnered
    WebhookEndpoint.objects.filter(provider=issued["provider"]).update(secret=DOC_SECRET)
    text = DOC.read_text()
    headers = dict(re.findall(r"^(webhook-[a-z]+): (\S+)$", text, re.MULTILINE))
    body = re.search(r"^(\{\"eventType\".*\})$", text, re.MULTILINE).group(1).encode()
    assert (
        webhooks.sign(DOC_SECRET, headers["webhook-id"], headers["webhook-timestamp"], body)
        == (headers["webhook-signature"])
    )
    with freeze_time("2026-12-01T07:01:00Z"), django_capture_on_commit_callbacks(execute=True):
        response = deliver(
            issued["provider"],
            DOC_SECRET,
            body,
            webhook_id=headers["webhook-id"],
            timestamp=int(headers["webhook-timestamp"]),
            signature=headers["webhook-signature"],
        )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "webhook_id": "msg_2f8YQpZ7Jm0nKx1c",
        "duplicate": False,
        "events": 1,
    }
    event = TrackingEvent.objects.get(shipment=shipment)
    assert (event.code, event.classifier, event.location) == ("arrived", "ACT", "AEJEA")
    assert event.source == f"webhook:{issued['provider']}" and event.created_by is None
    assert trade.refresh().order.status == "arrived"
    assert Notification.objects.filter(user=trade.buyer, kind="tracking_event").exists()


def test_a_bad_signature_or_a_stale_timestamp_gets_401_and_changes_nothing(partnered):
    _, shipment, _, issued = partnered
    provider, secret = issued["provider"], issued["secret"]
    other = webhooks.new_secret()
    assert_problem(deliver(provider, other, ours()), 401)
    stale = int(time.time()) - 6 * 60
    assert_problem(deliver(provider, secret, ours(), timestamp=stale), 401)
    assert_problem(deliver(provider, secret, ours(), signature="v1,AAAA"), 401)
    assert_problem(deliver("no-such-provider", secret, ours()), 401)
    response = Client().post(
        f"/api/v1/logistics/webhook/{provider}", data=b"{}", content_type="application/json"
    )
    assert_problem(response, 401)
    assert response.json()["code"] == "invalid_signature"
    assert not WebhookDelivery.objects.exists() and not shipment.events.exists()


def test_a_repeated_id_is_accepted_once(partnered, django_capture_on_commit_callbacks):
    _, shipment, _, issued = partnered
    with django_capture_on_commit_callbacks(execute=True):
        first = deliver(issued["provider"], issued["secret"], ours(), webhook_id="msg_again")
        again = deliver(issued["provider"], issued["secret"], ours(), webhook_id="msg_again")
    assert first.status_code == again.status_code == 200
    assert again.json()["duplicate"] is True and again.json()["events"] == 0
    assert shipment.events.count() == 1


def test_a_list_in_our_form_and_dcsa_equipment_events(
    partnered, django_capture_on_commit_callbacks
):
    _, shipment, _, issued = partnered
    dcsa = {
        "eventType": "EQUIPMENT",
        "equipmentEventTypeCode": "LOAD",
        "eventClassifierCode": "ACT",
        "eventDateTime": "2026-11-29T10:00:00Z",
        "equipmentReference": "CSQU3054383",
        "eventLocation": {"UNLocationCode": "CNSHA"},
    }
    planned = ours(code="arrived", classifier="PLN", occurred_at="2027-01-10T00:00:00Z")
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(issued["provider"], issued["secret"], [dcsa, planned])
    assert response.status_code == 200 and response.json()["events"] == 2
    assert list(shipment.events.values_list("code", "classifier")) == [
        ("loaded", "ACT"),
        ("arrived", "PLN"),
    ]


def test_an_unknown_shipment_is_named_and_nothing_is_added(partnered):
    _, shipment, _, issued = partnered
    body = [ours(), ours(bl_number="NOSUCHBL99")]
    response = deliver(issued["provider"], issued["secret"], body)
    problem = assert_problem(response, 422)
    assert problem["code"] == "unknown_shipment" and "NOSUCHBL99" in problem["detail"]
    assert not shipment.events.exists() and not WebhookDelivery.objects.exists()
    # A shipment of another partner is unknown to this one.
    Shipment.objects.filter(pk=shipment.pk).update(partner=CompanyFactory())
    assert_problem(deliver(issued["provider"], issued["secret"], ours(), webhook_id="m2"), 422)


def test_an_impossible_time_is_refused_with_its_field(partnered):
    _, shipment, _, issued = partnered
    body = ours(occurred_at="2026-13-45T06:00:00Z")
    response = deliver(issued["provider"], issued["secret"], body)
    problem = assert_problem(response, 422, "occurred_at")
    assert problem["code"] == "occurred_at_required"
    assert not shipment.events.exists()


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00"])
def test_a_time_past_the_calendar_is_refused_before_it_is_accepted(partnered, when):
    """Accepted deliveries are never lost in the task: what the task would refuse is a 422
    now, with nothing stored, so the carrier's corrected retry is not a "duplicate"."""
    _, shipment, _, issued = partnered
    body = [ours(), ours(classifier="PLN", occurred_at=when)]
    response = deliver(issued["provider"], issued["secret"], body)
    assert assert_problem(response, 422, "occurred_at")["code"] == "occurred_at_out_of_range"
    assert not shipment.events.exists() and not WebhookDelivery.objects.exists()


@pytest.mark.parametrize(
    "odd",
    [
        {"documentReferences": ["x"], "transportCall": "y"},
        {"documentReferences": 7, "transportCall": {"vessel": "z", "location": 3}},
        {"eventLocation": ["CNSHA"], "transportCall": None},
    ],
)
def test_odd_dcsa_shapes_are_answered_not_crashed(partnered, odd):
    _, shipment, _, issued = partnered
    dcsa = {
        "eventType": "TRANSPORT",
        "transportEventTypeCode": "DEPA",
        "eventClassifierCode": "ACT",
        "eventDateTime": "2026-11-29T10:00:00Z",
        **odd,
    }
    response = deliver(issued["provider"], issued["secret"], dcsa)
    assert assert_problem(response, 422)["code"] == "unknown_shipment"  # no reference left
    assert not shipment.events.exists()


def test_a_dcsa_place_given_as_a_plain_string_is_kept(
    partnered, django_capture_on_commit_callbacks
):
    _, shipment, _, issued = partnered
    dcsa = {
        "eventType": "EQUIPMENT",
        "equipmentEventTypeCode": "LOAD",
        "eventClassifierCode": "ACT",
        "eventDateTime": "2026-11-29T10:00:00Z",
        "equipmentReference": "CSQU3054383",
        "eventLocation": "CNSHA",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(issued["provider"], issued["secret"], dcsa).status_code == 200
    assert shipment.events.get().location == "CNSHA"


@pytest.mark.parametrize("body", [b"not json", b"[]", b"[1, 2]", b'"text"'])
def test_a_body_that_is_not_events_is_malformed(partnered, body):
    _, _, _, issued = partnered
    problem = assert_problem(deliver(issued["provider"], issued["secret"], body), 400)
    assert problem["code"] == "malformed"


def test_the_secret_is_for_verified_partners_and_a_new_one_replaces_it(partnered, login_api):
    trade, _, partner, issued = partnered
    assert issued["secret"].startswith("whsec_") and issued["provider"] == "msc-logistics"
    refused = login_api(trade.buyer).post("me/webhook-secret", {})
    assert_problem(refused, 403)
    assert refused.json()["code"] == "partners_only"
    renewed = login_api(partner).post("me/webhook-secret", {}).json()
    assert renewed["provider"] == issued["provider"] and renewed["secret"] != issued["secret"]
    assert_problem(deliver(issued["provider"], issued["secret"], ours()), 401)
    assert deliver(renewed["provider"], renewed["secret"], ours()).status_code == 200
    stored = WebhookEndpoint.objects.values_list("secret", flat=True).get()
    assert stored == renewed["secret"]  # decrypted by the field …
    with connection.cursor() as cursor:  # … the column itself holds a Fernet token
        cursor.execute("SELECT secret FROM logistics_webhookendpoint")
        (raw,) = cursor.fetchone()
    assert "whsec_" not in raw and renewed["secret"] not in raw


def test_an_accepted_delivery_whose_task_never_ran_is_applied_by_the_schedule(partnered):
    """The carrier got its 200; a worker restart lost the task: run_schedules catches up."""
    from datetime import timedelta

    from django.utils import timezone

    from ex1000.core import schedules

    _, shipment, _, issued = partnered
    response = deliver(issued["provider"], issued["secret"], ours())  # on_commit not run
    assert response.status_code == 200 and not shipment.events.exists()
    delivery = WebhookDelivery.objects.get()
    assert schedules.run_all(["logistics.retry_webhook_deliveries"]) == {
        "logistics.retry_webhook_deliveries": 0  # too fresh: its own task may still run
    }
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        received_at=timezone.now() - timedelta(minutes=5)
    )
    assert schedules.run_all(["logistics.retry_webhook_deliveries"]) == {
        "logistics.retry_webhook_deliveries": 1
    }
    assert shipment.events.count() == 1
    assert schedules.run_all(["logistics.retry_webhook_deliveries"]) == {
        "logistics.retry_webhook_deliveries": 0
    }  # once
