"""Backup and restore (privacy.md; issue 7 §3): backup → wipe → restore gives identical rows
and files; backup → erase a user → restore → the user's markers are gone again (the
erasure log is replayed); a tampered snapshot is refused and changes nothing. Runs on the
suite's database: SQLite locally, PostgreSQL in CI (pg_dump / pg_restore)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase

from ex1000.notifications.models import Notification
from ex1000.privacy import backup, erasure, tickets
from ex1000.privacy.models import ErasureRecord, PolicyVersion, PrivacyRequest, RequestStatus
from tests.factories import BuyerFactory
from tests.orders.builders import stub_pdfs
from tests.privacy.leftovers import outside_hold, scan_everything, stored_files
from tests.privacy.test_export_markers import build_world, mark

pytestmark = pytest.mark.django_db(transaction=True)


def table_digests() -> dict[str, str]:
    """Every table's rows, order-free, as one digest per table."""
    digests = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


def file_digests() -> dict[str, str]:
    return {name: hashlib.sha256(p.read_bytes()).hexdigest() for name, p in stored_files().items()}


@pytest.fixture
def trade_world(monkeypatch, settings):
    """A buyer with a settled order and a marker in every personal field. A transactional
    test starts from flushed tables: the policy that a migration publishes is put back."""
    PolicyVersion.objects.get_or_create(
        version="1", defaults={"text": "The policy.", "material": True}
    )
    settings.PRIVACY_DELETION_GRACE_DAYS = 0
    stub_pdfs(monkeypatch)
    world = build_world("settled")
    marks = mark(world, "r", 1)
    world.user.refresh_from_db()
    return world, marks


def test_backup_wipe_restore_gives_identical_rows_and_files(trade_world, tmp_path):
    rows, files = table_digests(), file_digests()
    assert any(name.startswith("private:") for name in files)
    call_command("backup", str(tmp_path / "snap"))
    manifest = json.loads((tmp_path / "snap" / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor and manifest["signature"]
    assert len(manifest["files"]) == len(files) + 1  # the files and the database dump

    Notification.objects.all().delete()  # the wipe: rows, a file, a newcomer
    BuyerFactory()
    victim_file = next(p for name, p in stored_files().items() if name.startswith("private:"))
    victim_file.unlink()
    assert table_digests() != rows and file_digests() != files

    call_command("restore", str(tmp_path / "snap"))
    assert table_digests() == rows
    assert file_digests() == files


def test_a_restored_backup_does_not_bring_an_erased_user_back(trade_world, tmp_path):
    world, marks = trade_world
    user = world.user
    identity = [user.email, user.phone, user.wechat, user.name]
    call_command("backup", str(tmp_path / "snap"))

    request = tickets.open_request(user=user, type="deletion")
    token = tickets.deletion_token(request)
    tickets.confirm_deletion(user=user, request_id=request.pk, token=token)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert tickets.process_due_deletions()["erased"] == 1
    assert ErasureRecord.objects.filter(user_id=user.pk, replay=False).count() == 1

    call_command("restore", str(tmp_path / "snap"))
    # The snapshot predates the erasure, and still the markers are gone again …
    record = ErasureRecord.objects.get(user_id=user.pk)
    found = scan_everything(identity + marks.strings)
    assert not [str(hit) for hit in outside_hold(found, record.report, user)]
    # … because the log was replayed: the restored database's record comes from it.
    assert record.replay is True
    user.refresh_from_db()
    assert user.email == f"deleted-user-{user.pk}@erased.invalid" and not user.is_active
    assert PrivacyRequest.objects.filter(user=user, status=RequestStatus.SCHEDULED).count() == 0
    # The log was not taken back by the restore; a second restore replays it again, once.
    call_command("restore", str(tmp_path / "snap"))
    assert ErasureRecord.objects.filter(user_id=user.pk).count() == 1


def _snapshot(tmp_path) -> Path:
    BuyerFactory()
    target = tmp_path / "snap"
    backup.backup(target)
    return target


def test_verify_passes_a_whole_snapshot(tmp_path, capsys):
    target = _snapshot(tmp_path)
    call_command("restore", str(target), verify=True)
    assert "every checksum matches" in capsys.readouterr().out


@pytest.mark.parametrize("tamper", ["file", "manifest", "extra", "missing"])
def test_a_tampered_snapshot_is_refused_and_nothing_changes(tmp_path, tamper):
    target = _snapshot(tmp_path)
    dump = target / json.loads((target / "manifest.json").read_text())["database"]
    if tamper == "file":
        data = bytearray(dump.read_bytes())
        data[len(data) // 2] ^= 0xFF
        dump.write_bytes(bytes(data))
        expected = "checksum does not match"
    elif tamper == "manifest":  # the files altered and the manifest rewritten to match
        dump.write_bytes(dump.read_bytes() + b"\0")
        manifest = json.loads((target / "manifest.json").read_text())
        manifest["files"][dump.name]["sha256"] = hashlib.sha256(dump.read_bytes()).hexdigest()
        manifest["files"][dump.name]["size"] = dump.stat().st_size
        (target / "manifest.json").write_text(json.dumps(manifest))
        expected = "signature does not match"
    elif tamper == "extra":
        (target / "private" / "planted.pdf").write_bytes(b"%PDF-1.4")
        expected = "not in the manifest"
    else:
        dump.unlink()
        expected = "missing"
    newcomer = BuyerFactory()  # after the snapshot: a refused restore must keep it

    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(target), verify=True)
    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(target))
    assert type(newcomer).objects.filter(pk=newcomer.pk).exists()


def test_a_snapshot_goes_into_an_empty_directory(tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "busy"))


def test_after_a_restore_no_one_new_takes_an_erased_id_nor_is_erased_in_its_place(
    tmp_path, settings
):
    settings.PRIVACY_DELETION_GRACE_DAYS = 0
    BuyerFactory()
    call_command("backup", str(tmp_path / "one"))
    leaver = BuyerFactory()  # joins after the snapshot, then leaves
    request = tickets.open_request(user=leaver, type="deletion")
    token = tickets.deletion_token(request)
    tickets.confirm_deletion(user=leaver, request_id=request.pk, token=token)
    assert tickets.process_due_deletions()["erased"] == 1

    call_command("restore", str(tmp_path / "one"))  # the snapshot has never seen them
    newcomer = BuyerFactory()
    assert newcomer.pk > leaver.pk
    assert tickets.open_request(user=newcomer, type="complaint", text="Hi").pk > request.pk

    # Even when an id was given out again (another restore, another tool), the log's
    # account fingerprint keeps the replay off the person who has it now.
    erasure._append_log({"user": newcomer.pk, "account": "someone-else", "at": "2026-01-01"})
    call_command("backup", str(tmp_path / "two"))
    call_command("restore", str(tmp_path / "two"))
    newcomer.refresh_from_db()
    assert newcomer.is_active and "@erased.invalid" not in newcomer.email
    assert not ErasureRecord.objects.filter(user_id=newcomer.pk).exists()


def test_a_replayed_erasure_writes_its_deletion_ticket_again(trade_world, tmp_path):
    world, _ = trade_world
    user = world.user
    call_command("backup", str(tmp_path / "snap"))
    request = tickets.open_request(user=user, type="deletion")
    token = tickets.deletion_token(request)
    tickets.confirm_deletion(user=user, request_id=request.pk, token=token)
    assert tickets.process_due_deletions()["erased"] == 1

    call_command("restore", str(tmp_path / "snap"))
    ticket = PrivacyRequest.objects.get(pk=request.pk)
    assert ticket.user_id == user.pk and ticket.type == "deletion"
    assert ticket.status == RequestStatus.COMPLETED
    record = ErasureRecord.objects.get(user_id=user.pk)
    assert record.request_id == ticket.pk and record.replay
