"""Deletion (privacy.md, issue 7 §2): after a confirmed deletion and the job, the leftover
scan of every text and JSON column of every table, the cache and every stored file finds
the user's email, phone, WeChat ID, name — and every other marker the test put in their
personal fields — nowhere outside the legal-hold fields the erasure report names; order
totals are unchanged and the supplier still sees the order; another user loses nothing.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ex1000.core.events import record_event
from ex1000.notifications.models import Notification
from ex1000.orders.models import Consignee, Order, Payment
from ex1000.privacy import erasure, export, tickets
from ex1000.privacy.models import ErasureRecord, ExportJob, ExportStatus, RequestStatus
from ex1000.privacy.retention import enforce_retention
from ex1000.quotes.models import Inquiry
from tests.factories import PASSWORD
from tests.orders.builders import stub_pdfs
from tests.privacy.leftovers import outside_hold, scan_everything, stored_files
from tests.privacy.test_export_markers import assert_export_contains, build_world, mark
from tests.quotes import fixtures_inquiries as fx

pytestmark = pytest.mark.django_db

MONEY = ("total", "deposit", "balance", "platform_fee", "escrow_released", "escrow_refunded")


def _open_inquiry(buyer):
    """An inquiry the buyer never turned into an order."""
    _, cars = fx.supplier_with_listings(1)
    client = Client()
    client.force_login(buyer)
    response = client.post(
        "/api/v1/inquiries", fx.inquiry_payload(*cars), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return Inquiry.objects.get(pk=response.json()["id"])


def _delete_account(user) -> None:
    """The user's two steps, then the job (grace period 0 in these tests); what waits for
    the commit (removing files, the last email) runs as it would."""
    request = tickets.open_request(user=user, type="deletion")
    token = tickets.deletion_token(request)
    tickets.confirm_deletion(user=user, request_id=request.pk, token=token)
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = tickets.process_due_deletions()
    assert result["erased"] == 1, result


@pytest.fixture
def world(monkeypatch, settings, operator):
    """The user to erase (a settled order, an inquiry without order, an export ZIP, other
    people's text naming them) and a second buyer whose data must stay whole."""
    settings.PRIVACY_DELETION_GRACE_DAYS = 0
    stub_pdfs(monkeypatch)
    victim = build_world("settled")
    lonely = _open_inquiry(victim.user)
    other = build_world("shipped")
    marks = mark(victim, "v", 1)
    other_marks = mark(other, "o", 2)
    user = victim.user
    user.refresh_from_db()
    identity = [user.email, user.phone, user.wechat, user.name]
    assert all(identity) and len(set(identity)) == 4
    # Other people's words about the user: the supplier's notice, an operator's note, the
    # admin log — none of them the user's rows, all of them to be scrubbed.
    Notification.objects.create(
        user=victim.trade.seller,
        kind="inquiry.new",
        title=f"New inquiry from {user.name}",
        body=f"Write to {user.email} or WeChat {user.wechat}.",
    )
    record_event(
        victim.trade.order,
        "order.note",
        actor=operator,
        note=f"Called the buyer on {user.phone}.",
        contact={"wechat": user.wechat, "name": user.name},
    )
    LogEntry.objects.create(
        user=operator,
        content_type=ContentType.objects.get_for_model(user),
        object_id=str(user.pk),
        object_repr=str(user),
        action_flag=CHANGE,
        change_message=json.dumps([{"changed": {"fields": ["Phone"]}}]),
    )
    # A second factor the buyer chose: its key and recovery codes go with the account.
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    StaticDevice.objects.create(user=user, name="recovery", confirmed=True).token_set.create(
        token="recovery1"
    )
    # Failed logins: django-axes keeps them under the email.
    for _ in range(2):
        Client().post(reverse("accounts:login"), {"email": user.email, "password": "not-it"})
    job = ExportJob.objects.create(user=user, status=ExportStatus.READY)
    job.file.save("export.zip", ContentFile(export.zip_bytes(user)))
    money = {f: getattr(victim.trade.order, f) for f in MONEY}
    return {
        "victim": victim,
        "lonely": lonely,
        "other": other,
        "marks": marks,
        "other_marks": other_marks,
        "identity": identity,
        "money": money,
        "export_file": f"private:{job.file.name}",
    }


def test_after_the_deletion_nothing_of_the_user_is_left_outside_the_legal_hold(world):
    victim, user = world["victim"], world["victim"].user
    searched = sorted(set(world["identity"]) | set(world["marks"].strings))
    before = scan_everything(searched)
    assert {hit.where.split(".")[0] for hit in before} >= {
        "accounts_user",
        "notifications_notification",
        "core_event",
        "django_admin_log",
        "axes_accessattempt",
    }, "the scan must see the planted values before the erasure, or it proves nothing"
    assert any(hit.where == f"file:{world['export_file']}" for hit in before)

    _delete_account(user)

    record = ErasureRecord.objects.get(user_id=user.pk)
    report = record.report
    leftovers = [str(hit) for hit in outside_hold(scan_everything(searched), report, user)]
    assert not leftovers, "left after the erasure:\n" + "\n".join(sorted(leftovers))
    # The identity itself is in no held field either (the consignee was given other values).
    assert not [h for h in scan_everything(world["identity"]) if "consignee" not in h.where]

    # What the law keeps, the report names with its reason and end.
    assert {"orders.Order", "orders.Consignee", "orders.Payment", "orders.OrderDocument"} <= set(
        report["held"]
    )
    assert report["held"]["orders.Payment"]["fields"] == ["proof", "reference", "submitted_at"]
    assert all(entry["reasons"] and entry["until"] for entry in report["held"].values())
    assert report["files"]["held"] >= 2  # the payment proofs
    assert report["deleted"]["privacy.AccessRecord"] >= 1
    assert report["deleted"]["quotes.Inquiry"] == 1  # the one with no order
    assert report["deleted"]["otp_totp.TOTPDevice"] == 1
    assert report["deleted"]["otp_static.StaticToken"] == 1
    assert not TOTPDevice.objects.filter(user_id=user.pk).exists()
    assert report["anonymised"]["accounts.User"]["fields"] == ["email", "name"]
    assert record.held_until > timezone.now() + timedelta(days=5 * 365)
    assert world["export_file"].removeprefix("private:") not in {
        name.removeprefix("private:") for name in stored_files()
    }
    assert not Inquiry.objects.filter(pk=world["lonely"].pk).exists()

    # The trade record stands: same money, the supplier still sees it, named neutrally.
    order = Order.objects.get(pk=victim.trade.order.pk)
    assert {f: getattr(order, f) for f in MONEY} == world["money"]
    assert order.status == "settled"
    assert Payment.objects.filter(order=order).count() == 2
    assert Consignee.objects.filter(order=order).exists()
    supplier = Client()
    supplier.force_login(victim.trade.seller)
    seen = supplier.get(f"/api/v1/orders/{order.number}")
    assert seen.status_code == 200
    assert f"deleted user {user.pk}" in seen.content.decode()
    assert not [m for m in world["identity"] if m in seen.content.decode()]

    # The account is gone for good: anonymous, locked, no password.
    user.refresh_from_db()
    assert user.email == f"deleted-user-{user.pk}@erased.invalid"
    assert not user.is_active and not user.has_usable_password()
    token = Client().post(
        "/api/v1/auth/token",
        {"email": world["identity"][0], "password": PASSWORD},
        content_type="application/json",
    )
    assert token.status_code == 401


def test_another_users_data_is_untouched(world):
    _delete_account(world["victim"].user)
    other = world["other"].user
    assert_export_contains(export.export_data(other), world["other_marks"])
    assert ErasureRecord.objects.filter(user_id=other.pk).count() == 0


def test_the_erasure_log_and_report_hold_no_personal_data(world, settings):
    _delete_account(world["victim"].user)
    user = world["victim"].user
    lines = settings.PRIVACY_ERASURE_LOG.read_text().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["user"] == user.pk and entry["registry_version"] == export.registry_version()
    assert set(entry) == {"user", "account", "at", "registry_version", "request"}
    assert entry["account"] == erasure.fingerprint(user)  # a keyed hash, not a value
    record = ErasureRecord.objects.get(user_id=user.pk)
    text = json.dumps(record.report) + lines[0]
    assert not [m for m in world["identity"] + world["marks"].strings if m in text]


def test_the_goodbye_email_goes_to_the_old_address_in_the_users_language(world, mailoutbox):
    user = world["victim"].user
    type(user).objects.filter(pk=user.pk).update(language="fr")
    address = world["identity"][0]
    _delete_account(user)
    goodbye = [m for m in mailoutbox if m.to == [address] and "supprim" in m.body.lower()]
    assert len(goodbye) == 1, [m.subject for m in mailoutbox]


def test_a_deletion_waits_while_an_order_is_open_and_the_user_is_told(world, mailoutbox):
    other = world["other"]  # their order is shipped: still open
    user = other.user
    client = Client()
    client.force_login(user)
    opened = client.post(
        "/api/v1/privacy/requests", {"type": "deletion"}, content_type="application/json"
    )
    assert opened.status_code == 201, opened.content
    request = tickets.PrivacyRequest.objects.get(pk=opened.json()["id"])
    confirmed = client.post(
        f"/api/v1/privacy/requests/{request.pk}/confirm",
        {"token": tickets.deletion_token(request)},
        content_type="application/json",
    )
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "scheduled"
    assert confirmed.json()["waiting_for"] == [other.trade.order.number]

    # Logging in says what the erasure waits for (not a date that will pass).
    user.refresh_from_db()  # the markers changed the address
    login = Client().post(
        "/api/v1/auth/token",
        {"email": user.email, "password": PASSWORD},
        content_type="application/json",
    )
    assert login.status_code == 403
    assert login.json()["code"] == "deletion_waiting_for_orders"
    assert other.trade.order.number in login.json()["detail"]

    result = tickets.process_due_deletions()
    assert (result["erased"], result["waiting"]) == (0, 1)
    request.refresh_from_db()
    assert request.status == RequestStatus.SCHEDULED
    assert not ErasureRecord.objects.filter(user_id=user.pk).exists()

    # The last open order ends: the next run erases.
    from ex1000.orders import services

    for action, actor in (("arrive", other.trade.seller), ("complete", user)):
        services.perform(order=other.trade.refresh().order, action=action, actor=actor)
    assert tickets.process_due_deletions()["erased"] == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED


def test_the_hold_ends_and_the_held_fields_are_purged(world):
    user = world["victim"].user
    _delete_account(user)
    record = ErasureRecord.objects.get(user_id=user.pk)
    order = Order.objects.get(pk=world["victim"].trade.order.pk)
    proofs = [p.proof.name for p in Payment.objects.filter(order=order)]

    soon = record.held_until - timedelta(days=1)
    assert erasure.purge_expired_holds(as_of=soon) == 0
    later = record.held_until + timedelta(days=1)
    dry = enforce_retention(as_of=later, dry_run=True)
    assert [o.count for o in dry if o.category == "legal_hold"] == [1]
    record.refresh_from_db()
    assert record.purged_at is None

    with TestCase.captureOnCommitCallbacks(execute=True):
        done = enforce_retention(as_of=later)
    assert [o.count for o in done if o.category == "legal_hold"] == [1]
    record.refresh_from_db()
    assert record.purged_at is not None
    consignee = Consignee.objects.get(order=order)
    assert consignee.name == "" and consignee.phone == ""
    assert all(not p.proof for p in Payment.objects.filter(order=order))
    assert not {f"private:{name}" for name in proofs} & set(stored_files())
    order.refresh_from_db()
    assert {f: getattr(order, f) for f in MONEY} == world["money"]  # the sums stay, anonymous
    # Nothing of the user is left anywhere now, legal hold or not.
    assert not scan_everything(world["identity"] + world["marks"].strings)


def test_an_erasure_runs_once_per_account(world):
    user = world["victim"].user
    _delete_account(user)
    assert erasure.is_erased(user)
    assert tickets.process_due_deletions()["due"] == 0
    assert erasure.replay_log()["already_erased"] == 1
    assert ErasureRecord.objects.filter(user_id=user.pk).count() == 1


def test_the_operator_reads_the_erasure_report_on_the_request(world, operator):
    user = world["victim"].user
    _delete_account(user)
    request = tickets.PrivacyRequest.objects.get(user=user, type="deletion")
    client = Client()
    client.force_login(operator)
    page = client.get(reverse("ops:privacy_request", args=[request.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Erasure report" in text and "Kept under legal hold" in text
    for held in ("orders", "payments", "consignees"):
        assert held in text.lower()
    assert "trade record" in text  # the reason the registry gives
    assert not [m for m in world["identity"] if m in text]
