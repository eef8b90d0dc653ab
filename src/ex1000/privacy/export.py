"""Everything held about a user, read from the personal-data registry (privacy.md:
"access and inquiry at any time").

No list of models lives here: every model linked to a user (core.personal_data) that
declares exported personal fields contributes the rows its ``subject`` path ties to the
user, and of each row only those fields, plus its id. Rows that merely point at the user
(a supplier's event on the user's order, an operator's decision) belong to their own
subject and are not exported; a file is listed by name in the JSON and shipped in the ZIP.
"""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone, translation

from ex1000.core.personal_data import PersonalData, registry, user_linked_models

FORMAT_VERSION = 1
SELF = "self"
EXPORT_EXCLUDE = "export_exclude"  # a model's Q of the rows its subject may not see


def subject_paths(declaration: PersonalData) -> tuple[str, ...]:
    """A declaration names one path to the user; a tuple of paths is accepted too."""
    subject = declaration.subject
    return tuple(subject) if isinstance(subject, (tuple, list)) else (subject,)


def subject_q(declaration: PersonalData, user) -> Q:
    q = Q(pk__in=[])
    for path in subject_paths(declaration):
        q |= Q(pk=user.pk) if path == SELF else Q(**{path: user})
    return q


def exported_fields(declaration: PersonalData) -> list[str]:
    return [name for name, personal in declaration.fields.items() if personal.exported]


def exported_models() -> list[tuple[type[models.Model], PersonalData]]:
    """Models linked to a user with at least one exported personal field, by label."""
    declared = registry()
    linked = []
    for model in user_linked_models():
        declaration = declared.get(model)
        if declaration is not None and exported_fields(declaration):
            linked.append((model, declaration))
    return linked


def rows_of(model: type[models.Model], declaration: PersonalData, user, *, withheld=False):
    """The rows the declaration's subject path ties to ``user``; with ``withheld`` also those
    the export leaves out (the erasure reaches them all)."""
    manager = model._base_manager if withheld else model._default_manager
    try:
        # A path through a to-many relation (a company's members) may repeat a row: pick
        # the ids first rather than DISTINCT over every column (JSON ones included).
        matching = manager.filter(subject_q(declaration, user))
        exclude = None if withheld else getattr(model, EXPORT_EXCLUDE, None)
        if exclude is not None:
            matching = matching.exclude(exclude)
        matching = matching.values("pk")
        return manager.filter(pk__in=matching).order_by("pk")
    except FieldError as exc:
        raise ImproperlyConfigured(
            f"{model._meta.label}.personal_data.subject {declaration.subject!r} "
            f"does not lead to the user: {exc}"
        ) from exc


def registry_version() -> str:
    """A fingerprint of what the registry declares: changes when a field is added or its
    treatment changes, so an export (or an erasure) says which rules it followed.

    Computed in English: it is stored (on an export, an erasure record, the erasure log),
    so it must never depend on the language active at that moment."""
    parts = []
    with translation.override("en"):
        for model, declaration in sorted(registry().items(), key=lambda i: i[0]._meta.label):
            for name, p in sorted(declaration.fields.items()):
                parts.append(
                    f"{model._meta.label}.{name}:{p.category}:{p.erasure}:{int(p.exported)}:"
                    f"{subject_paths(declaration)}"
                )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _plain(value: Any) -> Any:
    """A field value as JSON: files by name, times in ISO 8601, decimals as strings."""
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    return str(value)  # a Country, a UUID, a lazy string…


def _row(obj: models.Model, names: list[str]) -> dict[str, Any]:
    row: dict[str, Any] = {"id": obj.pk}
    for name in names:
        row[name] = _plain(getattr(obj, name))
    return row


def _references(model: type[models.Model], obj: models.Model) -> dict[str, tuple[str, Any]]:
    """The row's foreign keys, as (target label, id): kept as ``links`` when the target
    row is in the same export (a payment's order), so the rows read as one story."""
    refs = {}
    for f in model._meta.concrete_fields:
        if f.is_relation and (f.many_to_one or f.one_to_one):
            value = getattr(obj, f.attname)
            if value is not None:
                refs[f.name] = (f.related_model._meta.label, value)
    return refs


def _about(model: type[models.Model], declaration: PersonalData) -> dict[str, Any]:
    """What a model's rows are and why each field is held, in the active language."""
    fields = {}
    for name in exported_fields(declaration):
        personal = declaration.fields[name]
        fields[name] = {
            "label": str(model._meta.get_field(name).verbose_name),
            "category": str(personal.category),
            "purpose": str(personal.purpose),
            "retention": str(personal.retention),
        }
    return {"name": str(model._meta.verbose_name_plural), "fields": fields}


@dataclass(frozen=True)
class ExportedFile:
    arcname: str  # where it goes in the ZIP
    file: FieldFile


def _collect(user) -> tuple[dict[str, Any], list[ExportedFile]]:
    data: dict[str, list[dict[str, Any]]] = {}
    about: dict[str, Any] = {}
    files: list[ExportedFile] = []
    pending: list[tuple[dict[str, Any], dict[str, tuple[str, Any]]]] = []
    for model, declaration in exported_models():
        label = model._meta.label
        names = exported_fields(declaration)
        for obj in rows_of(model, declaration, user):
            row = _row(obj, names)
            data.setdefault(label, []).append(row)
            pending.append((row, _references(model, obj)))
            for name in names:
                value = getattr(obj, name)
                if isinstance(value, FieldFile) and value.name:
                    base = posixpath.basename(value.name)
                    files.append(ExportedFile(f"files/{label}/{obj.pk}/{name}/{base}", value))
        if label in data:
            about[label] = _about(model, declaration)
    exported = {(label, row["id"]) for label, rows in data.items() for row in rows}
    for row, refs in pending:  # links only to rows of this same export, never beyond
        links = {name: pk for name, (label, pk) in refs.items() if (label, pk) in exported}
        if links:
            row["links"] = links
    document = {
        "format": FORMAT_VERSION,
        "user": {"id": user.pk, "email": user.email},
        "generated_at": timezone.now().isoformat(),
        "registry_version": registry_version(),
        "about": about,
        "data": data,
    }
    return document, files


def export_data(user) -> dict[str, Any]:
    """The export document: ``{"user", "generated_at", "registry_version", "about",
    "data": {"app.Model": [{"id", field: value, "links": {fk: id}}]}}``."""
    return _collect(user)[0]


def export_files(user) -> list[ExportedFile]:
    """The stored files among the exported fields, each under files/<model>/<id>/<field>/."""
    return _collect(user)[1]


def write_zip(user, out) -> dict[str, Any]:
    """Write ``export.json`` and the user's files to ``out`` (a binary file object).

    A file missing from storage is listed in ``missing_files`` instead of failing the
    whole export. Returns the export document as written."""
    document, files = _collect(user)
    missing = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in files:
            try:
                with (
                    item.file.storage.open(item.file.name, "rb") as handle,
                    archive.open(item.arcname, "w") as target,
                ):
                    while chunk := handle.read(1024 * 1024):
                        target.write(chunk)
            except (FileNotFoundError, OSError):
                missing.append(item.file.name)
        document["files"] = [item.arcname for item in files if item.file.name not in missing]
        document["missing_files"] = missing
        archive.writestr("export.json", dumps(document))
    return document


def zip_bytes(user) -> bytes:
    buffer = io.BytesIO()
    write_zip(user, buffer)
    return buffer.getvalue()


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)
