"""A whole trade through the public API, exactly as orders.md tells it: acceptance,
contract, deposit (rejected once), export, balance, consignee, shipment, shipping,
arrival, completion, payout — and a dispute that ends in a refund."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ex1000.catalog.models import ListingStatus, Vehicle
from ex1000.core.models import Event
from ex1000.logistics.models import Shipment
from ex1000.orders.models import Order, Payout
from tests.factories import BuyerFactory, OperatorFactory
from tests.helpers import assert_problem
from tests.quotes import fixtures_inquiries as fx

pytestmark = pytest.mark.django_db


def proof(name: str = "transfer.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


class Trade:
    """The three parties' API clients around one order."""

    def __init__(self, login_api, buyer, seller, operator, number):
        self.buyer = login_api(buyer)
        self.supplier = login_api(seller)
        self.operator = login_api(operator)
        self.number = number

    def act(self, client, action, body=None, status=200):
        response = client.post(f"orders/{self.number}/actions/{action}", body or {})
        assert response.status_code == status, response.content
        return response.json()

    def pay(self, kind, amount, currency, reference="TT-1", status=201):
        response = self.buyer.upload(
            f"orders/{self.number}/payments",
            {
                "kind": kind,
                "amount": amount,
                "currency": currency,
                "reference": reference,
                "file": proof(),
            },
        )
        assert response.status_code == status, response.content
        return response.json()

    def order(self, client=None):
        response = (client or self.buyer).get(f"orders/{self.number}")
        assert response.status_code == 200, response.content
        return response.json()


def _money(body):
    return Decimal(body["amount"]), body["currency"]


@pytest.fixture
def trade(book, login_api):
    seller, [car] = fx.supplier_with_listings(1)
    buyer = BuyerFactory()
    client = login_api(buyer)
    payload = fx.inquiry_payload(car, quantity=2, payment_terms="30/70")
    inquiry = client.post("inquiries", payload).json()
    accepted = client.post(f"quotes/{inquiry['quotes'][0]['id']}/accept")
    assert accepted.status_code == 201, accepted.content
    trade = Trade(login_api, buyer, seller, OperatorFactory(), accepted.json()["number"])
    trade.car = car
    trade.accepted = accepted.json()
    return trade


def test_the_full_trade(trade):
    order = trade.accepted
    total, currency = _money(order["total"])
    deposit = _money(order["payment_schedule"][0]["amount"])[0]
    balance = _money(order["payment_schedule"][1]["amount"])[0]
    assert order["status"] == "pending_contract"
    assert [line["kind"] for line in order["payment_schedule"]] == ["deposit", "balance"]
    assert deposit + balance == total
    assert deposit == (total * Decimal("0.3")).quantize(Decimal("0.01"))
    assert sorted(order["allowed_actions"]) == ["cancel", "sign"]
    assert order["escrow_account"]["reference"] == trade.number
    car = Vehicle.objects.get(pk=trade.car.pk)
    assert (car.quantity_reserved, car.quantity_available) == (2, 1)

    # sign ×2: the order waits for the second signature
    assert trade.act(trade.buyer, "sign")["status"] == "pending_contract"
    assert trade.order()["allowed_actions"] == ["cancel"]
    assert_problem(trade.buyer.post(f"orders/{trade.number}/actions/sign"), 409)
    signed = trade.act(trade.supplier, "sign")
    assert signed["status"] == "awaiting_deposit"

    # deposit: the proof is rejected once, then confirmed
    assert "confirm_deposit" not in trade.order(trade.operator)["allowed_actions"]
    first = trade.pay("deposit", str(deposit), currency, "TT-WRONG")
    assert first["status"] == "submitted"
    assert "confirm_deposit" in trade.order(trade.operator)["allowed_actions"]
    rejected = trade.act(
        trade.operator, "reject_payment", {"payment": first["id"], "reason": "Illegible"}
    )
    assert rejected["status"] == "awaiting_deposit"
    assert rejected["payments"][0]["status"] == "rejected"
    assert rejected["payments"][0]["rejection_reason"] == "Illegible"
    second = trade.pay("deposit", str(deposit), currency, "TT-2")
    after = trade.act(trade.operator, "confirm_deposit", {"payment": second["id"]})
    assert after["status"] == "deposit_paid"
    assert _money(after["paid"]) == (deposit, currency)
    assert _money(after["outstanding"]) == (balance, currency)
    assert _money(after["escrow"]["held"]) == (deposit, currency)

    assert trade.act(trade.supplier, "start_export")["status"] == "export_processing"
    third = trade.pay("balance", str(balance), currency, "TT-3")
    paid = trade.act(trade.operator, "confirm_balance", {"payment": third["id"]})
    assert paid["status"] == "balance_paid"
    assert _money(paid["paid"]) == (total, currency)
    assert _money(paid["outstanding"]) == (Decimal(0), currency)
    assert _money(paid["escrow"]["held"]) == (total, currency)

    # ship needs the consignee and a shipment with a B/L
    refused = assert_problem(trade.supplier.post(f"orders/{trade.number}/actions/ship"), 409)
    assert refused["code"] == "shipment_required"
    Shipment.objects.create(
        order=Order.objects.get(number=trade.number),
        mode="roro",
        bl_number="COSU6312345670",
        origin="CNSHA",
        destination="AEJEA",
    )
    refused = assert_problem(trade.supplier.post(f"orders/{trade.number}/actions/ship"), 409)
    assert refused["code"] == "consignee_required"
    consignee = {
        "name": "Amina Hassan",
        "company": "Gulf Motors FZE",
        "address": "Plot 12, Jebel Ali Free Zone",
        "city": "Dubai",
        "country": "AE",
        "phone": "+971 50 123 4567",
        "email": "amina@gulfmotors.example",
        "notify_party": "Same as consignee",
    }
    response = trade.buyer.client.put(
        f"/api/v1/orders/{trade.number}/consignee",
        consignee,
        content_type="application/json",
        headers=trade.buyer._headers(None),
    )
    assert response.status_code == 200, response.content
    assert response.json()["consignee"]["phone"] == "+971501234567"

    assert trade.act(trade.supplier, "ship")["status"] == "shipped"
    assert trade.act(trade.operator, "arrive")["status"] == "arrived"
    completed = trade.act(trade.buyer, "complete")
    assert completed["status"] == "completed"
    car.refresh_from_db()
    assert (car.quantity_reserved, car.quantity_sold, car.quantity_available) == (0, 2, 1)
    assert car.status == ListingStatus.PUBLISHED

    settled = trade.act(trade.operator, "settle")
    assert settled["status"] == "settled"
    assert _money(settled["escrow"]["held"]) == (Decimal(0), currency)
    assert _money(settled["escrow"]["released"]) == (total, currency)
    assert settled["allowed_actions"] == []
    payout = Payout.objects.get(order__number=trade.number)
    assert payout.amount + payout.fee == total
    assert payout.fee > 0
    assert _money(settled["payout"]["amount"]) == (payout.amount, currency)
    assert _money(settled["payout"]["fee"]) == (payout.fee, currency)

    # one operation record per action, no personal contacts in any of them
    events = trade.buyer.get(f"orders/{trade.number}/events").json()["items"]
    assert [e["type"] for e in events] == [
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
    assert events[4]["from_state"] == "awaiting_deposit"
    assert events[4]["to_state"] == "deposit_paid"
    assert events[4]["parameters"]["payment"] == second["id"]
    assert events[4]["actor"]["role"] == "operator"
    assert events[0].get("ip") is None  # IP and browser are for operators
    text = str(events)
    for user in Order.objects.get(number=trade.number).buyer, *trade_users(trade):
        assert user.email not in text
    assert (
        trade.operator.get(f"orders/{trade.number}/events").json()["items"][0]["ip"] == "127.0.0.1"
    )


def trade_users(trade):
    order = Order.objects.get(number=trade.number)
    return list(order.supplier.users.all()) if hasattr(order.supplier, "users") else []


def test_a_dispute_ends_in_a_refund_and_the_car_is_offered_again(trade):
    order = trade.accepted
    total, currency = _money(order["total"])
    deposit = _money(order["payment_schedule"][0]["amount"])[0]
    trade.act(trade.buyer, "sign")
    trade.act(trade.supplier, "sign")
    payment = trade.pay("deposit", str(deposit), currency)
    trade.act(trade.operator, "confirm_deposit", {"payment": payment["id"]})
    trade.act(trade.supplier, "start_export")
    balance = trade.pay("balance", str(total - deposit), currency)
    trade.act(trade.operator, "confirm_balance", {"payment": balance["id"]})
    Shipment.objects.create(
        order=Order.objects.get(number=trade.number),
        mode="roro",
        bl_number="BL-2",
        origin="CNSHA",
        destination="AEJEA",
    )
    trade.buyer.client.put(
        f"/api/v1/orders/{trade.number}/consignee",
        {
            "name": "A",
            "address": "B",
            "city": "Dubai",
            "country": "AE",
            "phone": "+971501234567",
            "email": "a@example.com",
        },
        content_type="application/json",
        headers=trade.buyer._headers(None),
    )
    trade.act(trade.supplier, "ship")
    trade.act(trade.operator, "arrive")

    no_reason = assert_problem(trade.buyer.post(f"orders/{trade.number}/actions/dispute"), 422)
    assert no_reason["code"] == "reason_required"
    disputed = trade.act(trade.buyer, "dispute", {"reason": "Wrong colour delivered"})
    assert disputed["status"] == "disputed"
    assert trade.order(trade.operator)["allowed_actions"] == ["resolve"]
    no_note = assert_problem(
        trade.operator.post(f"orders/{trade.number}/actions/resolve", {"outcome": "refund"}), 422
    )
    assert no_note["code"] == "note_required"
    refunded = trade.act(
        trade.operator, "resolve", {"outcome": "refund", "note": "Supplier agreed to refund"}
    )
    assert refunded["status"] == "cancelled"
    assert _money(refunded["escrow"]["refunded"]) == (total, currency)
    assert _money(refunded["escrow"]["held"]) == (Decimal(0), currency)
    car = Vehicle.objects.get(pk=trade.car.pk)
    assert (car.quantity_reserved, car.quantity_sold, car.quantity_available) == (0, 0, 3)
    events = trade.operator.get(f"orders/{trade.number}/events").json()["items"]
    assert events[-1]["type"] == "resolve"
    assert events[-1]["parameters"]["outcome"] == "refund"
    assert events[-2]["note"] == "Wrong colour delivered"


def test_wrong_actor_gets_403_and_wrong_state_409_with_the_allowed_actions(trade):
    wrong_actor = assert_problem(
        trade.buyer.post(f"orders/{trade.number}/actions/confirm_deposit"), 403
    )
    assert wrong_actor["code"] == "not_allowed"
    wrong_state = assert_problem(trade.buyer.post(f"orders/{trade.number}/actions/complete"), 409)
    assert wrong_state["code"] == "invalid_transition"
    assert sorted(wrong_state["errors"]["allowed_actions"]) == ["cancel", "sign"]
    unknown = assert_problem(trade.buyer.post(f"orders/{trade.number}/actions/teleport"), 404)
    assert unknown["code"] == "unknown_action"
    assert Event.objects.filter(subject_type="order").count() == 1  # only "accept"


def test_strangers_do_not_see_the_order(trade, login_api):
    stranger = login_api(BuyerFactory())
    assert_problem(stranger.get(f"orders/{trade.number}"), 404)
    assert_problem(stranger.post(f"orders/{trade.number}/actions/cancel", {"reason": "x"}), 404)
    assert stranger.get("orders").json()["count"] == 0
    assert trade.buyer.get("orders").json()["count"] == 1
    assert trade.supplier.get("orders?status=pending_contract").json()["count"] == 1
    assert trade.supplier.get("orders?status=shipped").json()["count"] == 0


def test_cancelling_releases_the_reservation(trade):
    assert_problem(trade.buyer.post(f"orders/{trade.number}/actions/cancel"), 422)
    cancelled = trade.act(trade.buyer, "cancel", {"reason": "Found a closer car"})
    assert cancelled["status"] == "cancelled"
    assert Vehicle.objects.get(pk=trade.car.pk).quantity_available == 3


def test_payment_input_is_checked(trade):
    trade.act(trade.buyer, "sign")
    trade.act(trade.supplier, "sign")
    currency = trade.accepted["currency"]
    cases = [
        ({"currency": "EUR"}, "currency_mismatch"),
        ({"amount": "-5"}, "invalid_amount"),
        ({"amount": "10.001"}, "invalid_amount"),
        ({"amount": "abc"}, "invalid_amount"),
        ({"amount": "999999999"}, "amount_too_high"),
        ({"kind": "tip"}, "validation"),
    ]
    for change, code in cases:
        data = {"kind": "deposit", "amount": "100", "currency": currency, "reference": "R"}
        data.update(change)
        response = trade.buyer.upload(f"orders/{trade.number}/payments", {**data, "file": proof()})
        assert assert_problem(response, 422)["code"] == code, change
    fake = SimpleUploadedFile("x.pdf", b"%PDF-1.4 not really", content_type="application/pdf")
    response = trade.buyer.upload(
        f"orders/{trade.number}/payments",
        {"kind": "deposit", "amount": "100", "currency": currency, "reference": "R", "file": fake},
    )
    assert assert_problem(response, 422)["code"] == "unsupported_file"
    assert trade.order()["payments"] == []


def test_payment_retry_with_the_same_key_creates_one_payment(trade):
    trade.act(trade.buyer, "sign")
    trade.act(trade.supplier, "sign")
    data = {
        "kind": "deposit",
        "amount": "100",
        "currency": trade.accepted["currency"],
        "reference": "R",
    }
    key = {"Idempotency-Key": "pay-1"}
    one = trade.buyer.upload(f"orders/{trade.number}/payments", {**data, "file": proof()}, key)
    two = trade.buyer.upload(f"orders/{trade.number}/payments", {**data, "file": proof()}, key)
    assert one.status_code == two.status_code == 201
    assert one.json()["id"] == two.json()["id"]
    assert len(trade.order()["payments"]) == 1


def test_the_proof_is_for_the_buyer_and_operators_only(trade):
    trade.act(trade.buyer, "sign")
    trade.act(trade.supplier, "sign")
    payment = trade.pay("deposit", "100", trade.accepted["currency"])
    url = f"payments/{payment['id']}/proof"
    assert trade.buyer.get(url).status_code == 200
    assert trade.operator.get(url).status_code == 200
    assert_problem(trade.supplier.get(url), 404)
    body = b"".join(trade.operator.get(url).streaming_content)
    assert body.startswith(b"\x89PNG")
    seen_by_supplier = trade.order(trade.supplier)["payments"][0]
    assert seen_by_supplier["status"] == "submitted" and seen_by_supplier["amount"]


def test_every_action_tells_the_other_party_in_their_language(
    trade, mailoutbox, django_capture_on_commit_callbacks
):
    from ex1000.notifications.models import Notification

    buyer = Order.objects.get(number=trade.number).buyer
    buyer.language = "ru"
    buyer.save(update_fields=["language"])
    mailoutbox.clear()
    before = Notification.objects.filter(user=buyer).count()

    with django_capture_on_commit_callbacks(execute=True):
        trade.act(trade.supplier, "sign")

    notices = Notification.objects.filter(user=buyer).order_by("-id")
    assert notices.count() == before + 1
    assert trade.number in notices[0].title
    assert notices[0].link == f"/orders/{trade.number}/"
    assert [m.to for m in mailoutbox] == [[buyer.email]]  # the supplier who acted is not told
    assert trade.number in mailoutbox[0].subject


def test_the_consignee_is_checked(trade):
    response = trade.buyer.client.put(
        f"/api/v1/orders/{trade.number}/consignee",
        {
            "name": " ",
            "address": "Plot 12",
            "city": "Dubai",
            "country": "XX",
            "phone": "12",
            "email": "not-an-email",
        },
        content_type="application/json",
        headers=trade.buyer._headers(None),
    )
    body = assert_problem(response, 422)
    assert body["code"] == "validation"
    assert set(body["errors"]) >= {"name", "country", "email"}
    assert trade.order()["consignee"] is None
    supplier = trade.supplier.client.put(
        f"/api/v1/orders/{trade.number}/consignee",
        {
            "name": "A",
            "address": "B",
            "city": "C",
            "country": "AE",
            "phone": "+971501234567",
            "email": "a@example.com",
        },
        content_type="application/json",
        headers=trade.supplier._headers(None),
    )
    assert assert_problem(supplier, 403)["code"] == "not_allowed"


def test_an_operator_opening_a_proof_is_recorded_as_a_staff_read(trade):
    from ex1000.core.models import Event

    trade.act(trade.buyer, "sign")
    trade.act(trade.supplier, "sign")
    payment = trade.pay("deposit", "100", trade.accepted["currency"])
    trade.buyer.get(f"payments/{payment['id']}/proof")  # the buyer's own: no record
    trade.operator.get(f"payments/{payment['id']}/proof")

    reads = Event.objects.filter(type="staff_read", subject_type="payment")
    assert reads.count() == 1
    assert reads.get().actor_role == "operator"
