"""The leftover scan of privacy.md: look for values in every text and JSON column of every
table, in the cache and in every stored file (inside PDFs and ZIPs too)."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import pickle
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connection
from django.db.models.fields.files import FieldFile
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from ex1000.privacy.export import rows_of

logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # stub PDFs of the tests are not whole


@dataclass(frozen=True)
class Hit:
    where: str  # "table.column", "cache:key" or "file:path"
    value: str

    def __str__(self) -> str:
        return f"{self.value!r} in {self.where}"


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, str):
        # SQLite keeps JSON with \u escapes: read it back as characters too.
        if value[:1] in '[{"':
            try:
                return value + json.dumps(json.loads(value), ensure_ascii=False)
            except ValueError:
                return value
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return None  # numbers, dates, booleans: not where a name or an address hides


def scan_database(values: list[str]) -> list[Hit]:
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, raw in zip(columns, row, strict=True):
                    text = _text(raw)
                    if not text:
                        continue
                    lowered = text.lower()
                    hits += [Hit(f"{table}.{column}", v) for v in values if v.lower() in lowered]
    return hits


def _cache_items() -> list[tuple[str, bytes]]:
    backend = cache._cache if hasattr(cache, "_cache") else None
    if isinstance(backend, dict):  # LocMemCache: key → pickled value
        return [(key, value) for key, value in backend.items()]
    client = cache._cache.get_client(write=False)  # RedisCache
    items = []
    for key in client.scan_iter(count=500):
        value = client.get(key)
        if value is not None:
            items.append((key.decode(), value))
    return items


def scan_cache(values: list[str]) -> list[Hit]:
    hits = []
    for key, raw in _cache_items():
        text = raw.decode("utf-8", "replace")
        with contextlib.suppress(Exception):  # a counter, or not a pickle at all
            text += repr(pickle.loads(raw))
        hits += [Hit(f"cache:{key}", v) for v in values if v.lower() in text.lower()]
    return hits


def _file_text(data: bytes) -> str:
    text = data.decode("utf-8", "replace")
    if data.startswith(b"%PDF"):
        # A stub, not a whole PDF, fails to parse: its bytes were read above.
        with contextlib.suppress(PdfReadError, ValueError, KeyError, TypeError):
            pages = PdfReader(io.BytesIO(data)).pages
            text += "\n".join(page.extract_text() or "" for page in pages)
    elif data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                text += "\n".join(_file_text(archive.read(n)) for n in archive.namelist())
        except zipfile.BadZipFile:
            pass
    return text


def stored_files() -> dict[str, Path]:
    """Every stored file, by name relative to its root ("private:orders/7/contract.pdf")."""
    found = {}
    for prefix, root in (("media", settings.MEDIA_ROOT), ("private", settings.PRIVATE_MEDIA_ROOT)):
        root = Path(root)
        if root.exists():
            for path in root.rglob("*"):
                if path.is_file():
                    found[f"{prefix}:{path.relative_to(root).as_posix()}"] = path
    return found


def scan_files(values: list[str]) -> list[Hit]:
    hits = []
    private = storages["private"]
    for name, path in stored_files().items():
        prefix, _colon, relative = name.partition(":")
        if prefix == "private":  # encrypted at rest: read what the storage holds
            with private.open(relative) as opened:
                data = opened.read()
        else:
            data = path.read_bytes()
        text = _file_text(data).lower()
        hits += [Hit(f"file:{name}", v) for v in values if v.lower() in text]
    return hits


def scan_everything(values: list[str]) -> list[Hit]:
    return scan_database(values) + scan_cache(values) + scan_files(values)


def held_columns(report: dict) -> set[str]:
    """ "table.column" of every field an erasure report says it kept under legal hold."""
    columns = set()
    for label, entry in report["held"].items():
        model = apps.get_model(label)
        for name in entry["fields"]:
            columns.add(f"{model._meta.db_table}.{model._meta.get_field(name).column}")
    return columns


def held_files(report: dict, user) -> set[str]:
    """The stored files that the held file fields of the user's rows still point at."""
    names = set()
    for label, entry in report["held"].items():
        model = apps.get_model(label)
        for obj in rows_of(model, model.personal_data, user):
            for name in entry["fields"]:
                value = getattr(obj, name)
                if isinstance(value, FieldFile) and value.name:
                    names.add(f"file:private:{value.name}")
    return names


def outside_hold(hits: list[Hit], report: dict, user) -> list[Hit]:
    allowed = held_columns(report) | held_files(report, user)
    return [hit for hit in hits if hit.where not in allowed]
