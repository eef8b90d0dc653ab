"""Backup and restore (privacy.md, "security … backup"; operators' contract at its end).

``backup(DIR)`` writes one snapshot: the database (SQLite through its online backup API,
PostgreSQL with ``pg_dump``), the public and the private media roots, and
``manifest.json`` with the SHA-256 of every file, signed with an HMAC of SECRET_KEY so that
a manifest rewritten to match altered files is refused too. ``verify(DIR)`` lists what
does not match; ``restore(DIR)`` refuses a snapshot with any problem, restores the database
and both roots, then replays the erasure log (privacy.erasure): an account erased after
the snapshot was taken is erased again, so a backup never brings a deleted user back.
The log itself lives outside the database and the media roots, and is not restored.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from . import erasure
from .export import registry_version
from .models import PrivacyRequest

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
ROOTS = {"media": "MEDIA_ROOT", "private": "PRIVATE_MEDIA_ROOT"}
_SALT = "ex1000.privacy.backup"


class BackupError(Exception):
    """A snapshot that cannot be written, read or trusted; the message says why."""


@dataclass(frozen=True)
class Summary:
    files: int
    bytes: int
    engine: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _signature(manifest: dict[str, Any]) -> str:
    body = json.dumps({k: v for k, v in manifest.items() if k != "signature"}, sort_keys=True)
    return salted_hmac(_SALT, body, algorithm="sha256").hexdigest()


def _engine() -> str:
    return connection.vendor  # "sqlite" or "postgresql"


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    conf = connection.settings_dict
    env = {**os.environ}
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if conf.get(key):
            args += [flag, str(conf[key])]
    return env, [*args, "-d", str(conf["NAME"])]


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (postgresql-client)") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} failed: {exc.stderr.strip()[-500:]}") from exc


def _dump_database(target: Path) -> str:
    engine = _engine()
    if engine == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(target / SQLITE_FILE)) as copy:
            connection.connection.backup(copy)  # a consistent online copy
        return SQLITE_FILE
    if engine == "postgresql":
        env, args = _pg_env_and_args()
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target / PG_FILE),
                *args,
            ],
            env,
        )
        return PG_FILE
    raise BackupError(f"no backup for the {engine} database")


def _root(name: str) -> Path:
    return Path(getattr(settings, ROOTS[name]))


def backup(directory: str | Path) -> Summary:
    """Write a snapshot into ``directory`` (new or empty)."""
    target = Path(directory)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: a snapshot goes into a new directory")
    target.mkdir(parents=True, exist_ok=True)
    database = _dump_database(target)
    for name in ROOTS:
        source = _root(name)
        if source.exists():
            shutil.copytree(source, target / name, dirs_exist_ok=True)
        else:
            (target / name).mkdir()
    files = {}
    for path in sorted(p for p in target.rglob("*") if p.is_file()):
        relative = path.relative_to(target).as_posix()
        if relative != MANIFEST:
            files[relative] = {"sha256": _sha256(path), "size": path.stat().st_size}
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "engine": _engine(),
        "database": database,
        "registry_version": registry_version(),
        "erasure_log_entries": len(erasure.read_log()),
        "files": files,
    }
    manifest["signature"] = _signature(manifest)
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return Summary(files=len(files), bytes=sum(f["size"] for f in files.values()), engine=_engine())


def read_manifest(directory: str | Path) -> dict[str, Any]:
    path = Path(directory) / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"{path} is missing: not a snapshot") from exc
    except ValueError as exc:
        raise BackupError(f"{path} is not valid JSON") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: unknown snapshot format")
    return manifest


def verify(directory: str | Path) -> list[str]:
    """Every way the snapshot differs from its manifest (empty: it is whole)."""
    source = Path(directory)
    try:
        manifest = read_manifest(source)
    except BackupError as exc:
        return [str(exc)]
    problems = []
    if not constant_time_compare(str(manifest.get("signature", "")), _signature(manifest)):
        problems.append("the manifest's signature does not match (altered, or another key)")
    listed = manifest.get("files") or {}
    for relative, expected in sorted(listed.items()):
        path = source / relative
        if not path.is_file():
            problems.append(f"{relative}: missing")
        elif path.stat().st_size != expected.get("size") or _sha256(path) != expected.get("sha256"):
            problems.append(f"{relative}: checksum does not match")
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source).as_posix()
        if relative != MANIFEST and relative not in listed:
            problems.append(f"{relative}: not in the manifest")
    if manifest.get("database") not in listed:
        problems.append("the database dump is not in the manifest")
    return problems


def _restore_database(source: Path, manifest: dict[str, Any]) -> None:
    engine = _engine()
    if manifest.get("engine") != engine:
        raise BackupError(
            f"the snapshot is of a {manifest.get('engine')} database, this one is {engine}"
        )
    if engine == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(source / manifest["database"])) as snapshot:
            snapshot.backup(connection.connection)
        return
    env, args = _pg_env_and_args()
    for alias in connections:  # pg_restore needs the tables free of our own locks
        connections[alias].close()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            *args,
            str(source / manifest["database"]),
        ],
        env,
    )


def _restore_root(source: Path, root: Path) -> None:
    """Replace ``root``'s contents with ``source``'s: copied beside it, then swapped."""
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = root.with_name(root.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging)
    old = root.with_name(root.name + ".before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if root.exists():
        root.rename(old)
    staging.rename(root)
    shutil.rmtree(old, ignore_errors=True)


def _advance_sequence(model, at_least: int) -> None:
    """The table's next id will be above ``at_least`` (never below its rows' ids)."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if _engine() == "postgresql":
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST(%s, "
                f"(SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) "
                f"FROM {connection.ops.quote_name(table)})) + 1, false)",
                [table, column, at_least],
            )
        else:  # SQLite: Django's AUTOINCREMENT keys count in sqlite_sequence
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            if row is None:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, at_least]
                )
            elif row[0] < at_least:
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [at_least, table]
                )


def _keep_logged_ids_unused() -> None:
    """A snapshot's id counters are older than the erasure log: without this, the next
    account (or request) could take the id of one erased since, and be confused with it."""
    highest = erasure.logged_ids()
    _advance_sequence(apps.get_model(settings.AUTH_USER_MODEL), highest["user"])
    _advance_sequence(PrivacyRequest, highest["request"])


def restore(directory: str | Path) -> dict[str, Any]:
    """Restore a verified snapshot, then replay the erasure log; returns what was done."""
    source = Path(directory)
    problems = verify(source)
    if problems:
        raise BackupError("the snapshot is refused:\n  " + "\n  ".join(problems))
    manifest = read_manifest(source)
    _restore_database(source, manifest)
    for name in ROOTS:
        _restore_root(source / name, _root(name))
    cache.clear()  # nothing cached may describe the data as it was before the restore
    _keep_logged_ids_unused()
    replayed = erasure.replay_log()
    return {
        "created_at": manifest["created_at"],
        "files": len(manifest["files"]),
        "replay": replayed,
    }
