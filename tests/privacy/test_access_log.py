"""Automatically collected data: one access record per request, written in batches off
the request path; behaviour events with the analytics consent; staff reads recorded."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ex1000.core.models import Event
from ex1000.privacy import access_log, behaviour
from ex1000.privacy.models import AccessRecord, BehaviourEvent
from ex1000.privacy.staff_reads import STAFF_READ
from tests.factories import BuyerFactory
from tests.orders.builders import pdf_file

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)
DESKTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_buffer():
    access_log.discard()
    yield
    access_log.discard()


def test_a_request_writes_one_access_record_after_flush(client):
    response = client.get(
        "/api/v1/incoterms?q=secret",
        headers={"User-Agent": IPHONE, "Referer": "https://example.com/search?q=mine#x"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 200
    assert AccessRecord.objects.count() == 0  # nothing written on the request path
    assert access_log.flush() == 1
    record = AccessRecord.objects.get()
    assert record.user is None
    assert (record.method, record.path, record.status) == ("GET", "/api/v1/incoterms", 200)
    assert record.ip == "203.0.113.7"
    assert record.browser == "Mobile Safari 17"
    assert record.os == "iOS 17"
    assert record.device == "iPhone"
    assert record.device_type == "mobile"
    assert record.referrer == "https://example.com/search"  # no query, no fragment
    assert access_log.flush() == 0  # flushed once


def test_the_signed_in_user_is_recorded_for_pages_and_api_tokens(client, buyer, login_api):
    client.force_login(buyer)
    client.get(reverse("catalog:home"), headers={"User-Agent": DESKTOP})
    login_api(buyer).get("me")
    assert access_log.flush() == 3  # page, token request, /me
    records = list(AccessRecord.objects.order_by("at", "id"))
    assert [r.user_id for r in records] == [buyer.pk, None, buyer.pk]
    assert records[0].device_type == "desktop"
    assert records[0].browser == "Chrome 120"
    assert records[1].path == "/api/v1/auth/token"


def test_static_files_and_health_checks_are_skipped(client, settings):
    client.get(settings.STATIC_URL + "css/app.css")
    client.get("/favicon.ico")
    client.get("/healthz")
    assert access_log.pending() == 0


def test_failure_to_log_never_breaks_the_request(client, monkeypatch):
    def broken(hit):
        raise RuntimeError("buffer on fire")

    monkeypatch.setattr(access_log, "record", broken)
    assert client.get("/api/v1/incoterms").status_code == 200


def test_a_failing_write_is_retried_once_then_dropped(client, monkeypatch):
    client.get("/api/v1/incoterms")
    calls = []

    def failing(batch):
        calls.append(len(batch))
        raise RuntimeError("database away")

    monkeypatch.setattr(access_log, "_write", failing)
    assert access_log.flush() == 0
    assert access_log.pending() == 1  # kept for one retry
    assert access_log.flush() == 0
    assert access_log.pending() == 0
    assert calls == [1, 1]


def test_a_user_erased_before_the_flush_leaves_an_anonymous_record(client):
    user = BuyerFactory()
    client.force_login(user)
    client.get(reverse("catalog:home"))
    get_user_model().objects.filter(pk=user.pk).delete()
    assert access_log.flush() == 1
    assert AccessRecord.objects.get().user_id is None


def test_the_background_writer_flushes_a_full_batch(client, settings, transactional_db):
    settings.ACCESS_LOG_BACKGROUND = True
    settings.ACCESS_LOG_BATCH = 3
    settings.ACCESS_LOG_FLUSH_SECONDS = 30  # only the full batch can wake it
    for _ in range(3):
        client.get("/api/v1/incoterms")
    try:
        for _ in range(200):  # the writer is done (the test database cannot be read meanwhile)
            if not access_log.pending() and not access_log._flush_lock.locked():
                break
            time.sleep(0.02)
        assert AccessRecord.objects.count() == 3
        client.get("/api/v1/incoterms")
    finally:
        access_log.stop_writer()  # flushes the last hit before it stops
    assert AccessRecord.objects.count() == 4


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (IPHONE, ("Mobile Safari 17", "iOS 17", "iPhone", "mobile")),
        (DESKTOP, ("Chrome 120", "Windows 10", "", "desktop")),
        (
            "Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/16.0 Mobile/15E148 Safari/604.1",
            ("Mobile Safari 16", "iOS 16", "iPad", "tablet"),
        ),
        (
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            ("Googlebot 2", "", "", "bot"),
        ),
        ("curl/8.1", ("curl 8", "", "", "other")),
        ("", ("", "", "", "other")),
    ],
)
def test_user_agents_are_parsed_into_browser_os_and_device(agent, expected):
    assert access_log.parse_user_agent(agent) == expected


# --- inquiry behaviour -------------------------------------------------------------------


def test_behaviour_is_recorded_with_the_analytics_consent(buyer):
    from ex1000.privacy.services import set_consent

    set_consent(user=buyer, purpose="analytics", granted=True)
    event = behaviour.record_behaviour(buyer, "search", q="Toyota", max_price=12000)
    assert event is not None
    assert BehaviourEvent.objects.get().data == {"q": "Toyota", "max_price": 12000}


def test_no_behaviour_without_the_analytics_consent(buyer):
    # analytics is off until the user turns it on; withdrawing stops it at once
    assert behaviour.record_behaviour(buyer, "view", vehicle=1) is None
    from ex1000.privacy.services import set_consent

    set_consent(user=buyer, purpose="analytics", granted=True)
    assert behaviour.record_behaviour(buyer, "view", vehicle=1) is not None
    set_consent(user=buyer, purpose="analytics", granted=False)
    assert behaviour.record_behaviour(buyer, "view", vehicle=2) is None
    assert BehaviourEvent.objects.count() == 1


def test_no_behaviour_for_anonymous_visitors():
    from django.contrib.auth.models import AnonymousUser

    assert behaviour.record_behaviour(AnonymousUser(), "search", q="x") is None
    assert not BehaviourEvent.objects.exists()


# --- staff reads -------------------------------------------------------------------------


def test_an_operator_opening_a_user_in_the_admin_is_recorded(client, buyer, operator):
    client.force_login(operator)
    response = client.get(reverse("admin:accounts_user_change", args=[buyer.pk]))
    assert response.status_code == 200
    event = Event.objects.get(type=STAFF_READ)
    assert event.actor == operator
    assert (event.subject_type, event.subject_id) == ("user", str(buyer.pk))
    assert event.parameters["whose"] == [buyer.pk]
    assert "email" in event.parameters["fields"]
    assert event.parameters["view"] == "admin"


def test_an_operator_opening_their_own_record_is_not_a_staff_read(client, operator):
    client.force_login(operator)
    client.get(reverse("admin:accounts_user_change", args=[operator.pk]))
    assert not Event.objects.filter(type=STAFF_READ).exists()


def test_an_operator_opening_a_qualification_document_is_recorded(client, operator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ex1000.accounts import services
    from tests.factories import UnverifiedSupplierFactory

    owner = UnverifiedSupplierFactory()
    doc = services.upload_document(
        user=owner,
        kind="business_licence",
        file=SimpleUploadedFile("licence.pdf", pdf_file().read(), "application/pdf"),
    )
    client.force_login(operator)
    response = client.get(reverse("admin:accounts_qualificationdocument_change", args=[doc.pk]))
    assert response.status_code == 200
    response = client.get(reverse("accounts:document", args=[doc.pk]))
    assert response.status_code == 200
    reads = Event.objects.filter(type=STAFF_READ).order_by("id")
    assert [(e.subject_type, e.parameters["view"]) for e in reads] == [
        ("qualificationdocument", "admin"),
        ("qualificationdocument", "document file"),
    ]
    assert all(e.actor_id == operator.pk and e.parameters["whose"] == [owner.pk] for e in reads)
    assert "number" in reads[0].parameters["sensitive"]


def test_reading_the_user_for_the_log_does_not_vary_the_answer_on_the_cookie(
    client, buyer, settings
):
    # The log alone (the re-consent and two-factor gates read the user, and so the session,
    # on purpose).
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if "PolicyAcceptance" not in m and "TwoFactor" not in m
    ]
    client.force_login(buyer)
    response = client.get("/api/v1/incoterms")
    assert "Cookie" not in response.get("Vary", "")
    assert access_log.flush() == 1
    assert AccessRecord.objects.get().user == buyer
