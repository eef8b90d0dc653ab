"""Retention: records past their period are gone, IPs truncated after 30 days, the dry
run changes nothing, and the report counts what was done."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ex1000.core import schedules
from ex1000.core.events import record_event
from ex1000.core.models import Event
from ex1000.privacy import retention
from ex1000.privacy.models import AccessRecord, BehaviourEvent

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def access(days_ago, ip="203.0.113.77", user=None):
    return AccessRecord.objects.create(
        user=user, at=NOW - timedelta(days=days_ago), ip=ip, method="GET", path="/", status=200
    )


def outcome(report, category, model=""):
    return next(o for o in report if o.category == category and (not model or o.model == model))


@pytest.fixture
def records(buyer):
    old = access(181, user=buyer)
    kept = access(100, ip="2001:db8:1:2:3:4:5:6", user=buyer)
    fresh = access(10, ip="198.51.100.23")
    mapped = access(40, ip="::ffff:192.0.2.99")
    BehaviourEvent.objects.create(user=buyer, kind="search", at=NOW - timedelta(days=366))
    recent_event = BehaviourEvent.objects.create(
        user=buyer, kind="view", at=NOW - timedelta(days=300)
    )
    event = record_event(buyer, "login", actor=buyer, ip="192.0.2.55", at=NOW - timedelta(31))
    new_event = record_event(buyer, "login", actor=buyer, ip="192.0.2.56", at=NOW)
    return {
        "old": old,
        "kept": kept,
        "fresh": fresh,
        "mapped": mapped,
        "recent_event": recent_event,
        "event": event,
        "new_event": new_event,
    }


def test_records_past_their_period_are_gone_and_old_ips_truncated(records):
    report = retention.enforce_retention(as_of=NOW)

    assert not AccessRecord.objects.filter(pk=records["old"].pk).exists()
    assert list(BehaviourEvent.objects.all()) == [records["recent_event"]]
    for name, ip in [
        ("kept", "2001:db8:1::"),  # IPv6 to /48
        ("fresh", "198.51.100.23"),  # younger than 30 days: untouched
        ("mapped", "::ffff:192.0.2.0"),
    ]:
        records[name].refresh_from_db()
        assert records[name].ip == ip, name
    assert Event.objects.get(pk=records["event"].pk).ip == "192.0.2.0"  # IPv4 to /24
    assert Event.objects.get(pk=records["new_event"].pk).ip == "192.0.2.56"

    assert outcome(report, "access_records").count == 1
    assert outcome(report, "behaviour_events").count == 1
    assert outcome(report, "ip_truncation", "privacy.AccessRecord").count == 2
    assert outcome(report, "ip_truncation", "core.Event").count == 1
    logged = Event.objects.get(type="retention_enforced")
    assert {"category": "access_records", "action": "removed", "count": 1} in [
        {k: line[k] for k in ("category", "action", "count")}
        for line in logged.parameters["report"]
    ]


def test_a_second_run_changes_nothing(records):
    retention.enforce_retention(as_of=NOW)
    again = retention.enforce_retention(as_of=NOW)
    assert all(o.count == 0 for o in again), [str(o) for o in again]


def test_the_dry_run_changes_nothing_but_counts_the_same(records):
    before = sorted(AccessRecord.objects.values_list("pk", "ip"))
    events_before = sorted(Event.objects.values_list("pk", "ip"))
    dry = retention.enforce_retention(as_of=NOW, dry_run=True)
    assert sorted(AccessRecord.objects.values_list("pk", "ip")) == before
    assert sorted(Event.objects.values_list("pk", "ip")) == events_before
    assert BehaviourEvent.objects.count() == 2
    real = retention.enforce_retention(as_of=NOW)
    assert [(o.category, o.model, o.count) for o in dry] == [
        (o.category, o.model, o.count) for o in real
    ]


def test_periods_are_operator_configurable(records, settings):
    settings.PRIVACY_RETENTION_DAYS = {"access_records": 90, "ip_truncation": 5}
    report = retention.enforce_retention(as_of=NOW)
    assert outcome(report, "access_records").count == 2  # 181 and 100 days old
    records["fresh"].refresh_from_db()
    assert records["fresh"].ip == "198.51.100.0"


def test_the_command_prints_per_category_and_honours_dry_run(records):
    out = StringIO()
    call_command("enforce_retention", "--as-of", "2026-12-01", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "dry run, nothing changed" in text
    assert "access_records: 1 would be removed in privacy.AccessRecord" in text
    assert "ip_truncation: 1 would be truncated in core.Event (ip)" in text
    assert AccessRecord.objects.count() == 4
    out = StringIO()
    call_command("enforce_retention", "--as-of", "2026-12-01", stdout=out)
    assert "access_records: 1 removed in privacy.AccessRecord" in out.getvalue()
    assert "behaviour_events: 1 removed in privacy.BehaviourEvent" in out.getvalue()
    assert AccessRecord.objects.count() == 3


def test_as_of_a_future_day_purges_what_that_day_would(records):
    out = StringIO()
    call_command("enforce_retention", "--as-of", "2027-03-01", "--dry-run", stdout=out)
    assert "access_records: 2 would be removed" in out.getvalue()  # the 100-day one too


def test_a_bad_date_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("enforce_retention", "--as-of", "yesterday")


def test_every_device_access_ip_column_is_covered_and_aged():
    columns = {(m._meta.label, f): age for m, f, age in retention.ip_columns()}
    assert columns["privacy.AccessRecord", "ip"] == "at"
    assert columns["core.Event", "ip"] == "at"
    assert None not in columns.values()
    # Evidence under legal hold keeps its whole address for the hold (who accepted a
    # contract), as the consent ledger's proof does.
    assert ("orders.Order", "accepted_ip") not in columns


@pytest.mark.parametrize(
    ("ip", "cut"),
    [
        ("203.0.113.77", "203.0.113.0"),
        ("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::"),
        ("::1", "::"),
        ("::ffff:10.1.2.3", "::ffff:10.1.2.0"),
    ],
)
def test_truncate_ip(ip, cut):
    assert retention.truncate_ip(ip) == cut
    assert retention.truncate_ip(cut) == cut


def test_apps_hooks_run_and_a_failing_hook_does_not_stop_the_rest(records, monkeypatch):
    seen = []

    def inquiries(as_of, days, dry_run):
        seen.append((as_of, days["inquiries"], dry_run))
        return [retention.Outcome("inquiries", retention.REMOVED, 3, "quotes.Inquiry")]

    def broken(as_of, days, dry_run):
        raise RuntimeError("boom")

    monkeypatch.setattr(retention, "RETENTION_HOOKS", [broken, inquiries])
    report = retention.enforce_retention(as_of=NOW, dry_run=True)
    assert seen == [(NOW, 730, True)]
    assert outcome(report, "inquiries").count == 3
    assert outcome(report, "broken").action == retention.FAILED


def test_the_schedule_job_runs_once_a_day(records):
    assert "enforce_retention" in schedules.JOBS
    AccessRecord.objects.create(
        at=timezone.now() - timedelta(days=400), method="GET", path="/", status=200
    )
    first = schedules.run_all(["enforce_retention"])["enforce_retention"]
    assert first["access_records removed"] >= 1
    assert schedules.run_all(["enforce_retention"])["enforce_retention"] == "already done today"


def test_inquiries_without_an_order_go_two_years_after_their_last_activity(monkeypatch):
    from django.test import Client

    from ex1000.quotes.models import Inquiry, QuoteVersion
    from tests.orders.builders import accepted_order, stub_pdfs
    from tests.quotes import fixtures_inquiries as fx

    stub_pdfs(monkeypatch)
    ordered = accepted_order().quote.inquiry
    _, cars = fx.supplier_with_listings(1)
    client = Client()
    client.force_login(ordered.buyer)

    def inquiry():
        response = client.post(
            "/api/v1/inquiries", fx.inquiry_payload(*cars), content_type="application/json"
        )
        assert response.status_code == 201, response.content
        return Inquiry.objects.get(pk=response.json()["id"])

    old, quoted_lately, recent = inquiry(), inquiry(), inquiry()
    long_ago = timezone.now() - timedelta(days=800)
    Inquiry.objects.filter(pk__in=[ordered.pk, old.pk, quoted_lately.pk]).update(
        updated_at=long_ago
    )
    QuoteVersion.objects.filter(inquiry__in=[ordered, old]).update(created_at=long_ago)

    dry = retention.enforce_retention(dry_run=True)
    assert outcome(dry, "inquiries").count == 1
    assert Inquiry.objects.filter(pk=old.pk).exists()

    done = retention.enforce_retention()
    assert outcome(done, "inquiries").count == 1
    assert not Inquiry.objects.filter(pk=old.pk).exists()
    assert not QuoteVersion.objects.filter(inquiry_id=old.pk).exists()
    assert set(Inquiry.objects.values_list("pk", flat=True)) >= {
        ordered.pk,
        quoted_lately.pk,
        recent.pk,
    }
