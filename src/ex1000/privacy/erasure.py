"""Erasing an account, walked from the personal-data registry (privacy.md, "Deletion").

No list of models lives here. For every model linked to a user (core.personal_data), the
rows its ``subject`` path ties to the user are treated as the model declares:

- ``erase_rows``: the rows go, with their files, where nothing protects them (an inquiry
  with no order, notifications, access records); a protected row is treated field by field;
- field by field: ``DELETE`` clears the value (a file is removed), ``ANONYMISE`` puts the
  neutral value ("deleted user 17"), ``LEGAL_HOLD`` keeps it until the hold ends, when
  ``purge_expired_holds`` clears it too. A required value that cannot be emptied (a
  timestamp) stays and is reported, as it identifies no one once the account is anonymous;
- a row that other people reach through the same path (a company with other members) is
  theirs too: it is left alone and reported as shared.

Then what identifies the person — their contacts and the names erasure anonymises — is
scrubbed from the free text of other people's rows that may quote it (the registry's
``mentions``: an operator's note, a supplier's notice) and from Django's admin log, and the
events about the account lose their details. The report (``ErasureRecord.report``) lists
what was deleted, cleared, anonymised and kept, and why: field names and counts, never
values. Each erasure is also appended to the erasure log file, which ``restore`` replays.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import FieldDoesNotExist
from django.core.mail import send_mail
from django.db import DEFAULT_DB_ALIAS, models, router, transaction
from django.db.models import Q, TextField
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ex1000.core.events import SYSTEM, events_of, record_event
from ex1000.core.models import Event
from ex1000.core.personal_data import Category, Erasure, PersonalData, registry, user_linked_models

from . import hooks
from .export import SELF, registry_version, rows_of, subject_paths
from .models import ErasureRecord, PrivacyRequest, RequestStatus, RequestType

logger = logging.getLogger(__name__)

ANONYMOUS_NAME = "deleted user {id}"
ANONYMOUS_EMAIL = "deleted-user-{id}@erased.invalid"
# A value shorter than this is not searched for in other people's text ("Li" is in too
# many words); the registry's own fields are erased whatever their length.
MIN_SCRUBBED = 4
# Framework tables that quote a row in free text: Django's admin log names the object.
FRAMEWORK_MENTIONS = (("admin.LogEntry", ("object_repr", "change_message")),)
# Framework tables whose rows are about a login name (the email): django-axes' attempts.
FRAMEWORK_LOGINS = (
    ("axes.AccessAttempt", "username"),
    ("axes.AccessFailureLog", "username"),
    ("axes.AccessLog", "username"),
)
# Framework tables of the account's second factor (django-otp): the TOTP key and the
# recovery codes are deleted with the account, never kept for an anonymous one.
FRAMEWORK_CREDENTIALS = ("otp_totp.TOTPDevice", "otp_static.StaticDevice")
_KEEP = object()
# Why a required value stays (the report's "kept" reason): stored in English like the held
# fields' purposes, shown translated by ``report_lines``.
KEPT_REASON = gettext_noop("a required value; identifies no one once the account is anonymous")


def anonymous_name(user_id: int) -> str:
    return ANONYMOUS_NAME.format(id=user_id)


def is_erased(user) -> bool:
    return ErasureRecord.objects.filter(user_id=user.pk).exists()


def fingerprint(user) -> str:
    """Which account an erasure log entry is about, beyond its id: a keyed hash of the id
    and the time it joined (kept by the erasure). A restored database may give a logged
    id to someone new; the replay then leaves that person alone."""
    joined = user.date_joined.isoformat() if user.date_joined else ""
    return salted_hmac(
        "ex1000.privacy.erasure", f"{user.pk}:{joined}", algorithm="sha256"
    ).hexdigest()[:24]


def blocking(user) -> list[str]:
    """What must end before the erasure may run (the numbers of the user's open orders)."""
    found: list[str] = []
    for hook in hooks.erasure_blockers:
        found.extend(hook(user))
    return found


# ---------------------------------------------------------------- the report


@dataclass
class Report:
    now: Any
    deleted: dict[str, int] = field(default_factory=dict)
    cleared: dict[str, dict] = field(default_factory=dict)
    anonymised: dict[str, dict] = field(default_factory=dict)
    held: dict[str, dict] = field(default_factory=dict)
    kept: dict[str, dict] = field(default_factory=dict)
    shared: dict[str, int] = field(default_factory=dict)
    scrubbed: dict[str, int] = field(default_factory=dict)
    files_deleted: int = 0
    files_held: int = 0

    def add(self, section: dict, label: str, names: Iterable[str], rows: int, **extra) -> None:
        entry = section.setdefault(label, {"rows": 0, "fields": [], **extra})
        entry["rows"] += rows
        entry["fields"] = sorted(set(entry["fields"]) | set(names))

    def held_until(self):
        ends = [entry["until"] for entry in self.held.values()]
        return max(ends) if ends else None

    def as_json(self) -> dict[str, Any]:
        held = {
            label: {**entry, "until": entry["until"].isoformat()}
            for label, entry in self.held.items()
        }
        return {
            "deleted": self.deleted,
            "cleared": self.cleared,
            "anonymised": self.anonymised,
            "held": held,
            "kept": self.kept,
            "shared": self.shared,
            "scrubbed": self.scrubbed,
            "files": {"deleted": self.files_deleted, "held": self.files_held},
        }


# ---------------------------------------------------------------- values


def _cleared(model_field: models.Field) -> Any:
    """The empty value of a field, or _KEEP when it has none (a required timestamp)."""
    if isinstance(model_field, models.FileField):
        return ""
    if model_field.null:
        return None
    if isinstance(model_field, models.JSONField):
        return model_field.get_default()
    if isinstance(model_field, (models.CharField, models.TextField)):
        if model_field.choices and model_field.has_default():
            return model_field.get_default()  # "en", not a language that does not exist
        return ""
    return _KEEP


def _anonymous(model_field: models.Field, user_id: int) -> Any:
    if isinstance(model_field, models.EmailField):
        return ANONYMOUS_EMAIL.format(id=user_id)
    if isinstance(model_field, (models.CharField, models.TextField)):
        value = anonymous_name(user_id)
        return value[: model_field.max_length] if model_field.max_length else value
    return _cleared(model_field)


def _file_names(rows: models.QuerySet, names: Iterable[str]) -> list[tuple[Any, str]]:
    """(storage, name) of the stored files in ``names`` of ``rows``."""
    model = rows.model
    found = []
    for name in names:
        model_field = model._meta.get_field(name)
        if not isinstance(model_field, models.FileField):
            continue
        for value in rows.exclude(**{name: ""}).values_list(name, flat=True):
            if value:
                found.append((model_field.storage, value))
    return found


def _files_of(collector: Collector) -> list[tuple[Any, str]]:
    """Every file of every row a deletion takes with it (cascades included)."""
    found = []
    for model, instances in collector.data.items():
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for instance in instances:
            for model_field in file_fields:
                value: FieldFile = getattr(instance, model_field.attname)
                if value:
                    found.append((model_field.storage, value.name))
    for queryset in collector.fast_deletes:
        file_fields = [
            f.name for f in queryset.model._meta.concrete_fields if isinstance(f, models.FileField)
        ]
        found.extend(_file_names(queryset, file_fields))
    return found


def _remove_files(files: list[tuple[Any, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:  # already gone, or the disk refuses: the row no longer points at it
            logger.warning("could not delete %s", name)


# ---------------------------------------------------------------- walking the registry


def _to_many(model: type[models.Model], path: str) -> bool:
    """Whether ``path`` crosses a to-many relation (a company's members)."""
    current = model
    for part in path.split("__"):
        model_field = current._meta.get_field(part)
        if model_field.one_to_many or model_field.many_to_many:
            return True
        current = model_field.related_model
    return False


def _shared_ids(model, declaration: PersonalData, user, rows: models.QuerySet) -> set:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    others = user_model._base_manager.exclude(pk=user.pk)
    shared: set = set()
    for path in subject_paths(declaration):
        if path != SELF and _to_many(model, path):
            shared |= set(rows.filter(**{f"{path}__in": others}).values_list("pk", flat=True))
    return shared


def _rows(model, declaration: PersonalData, user) -> models.QuerySet:
    return rows_of(model, declaration, user, withheld=True)


def _own_rows(model, declaration: PersonalData, user) -> tuple[models.QuerySet, int]:
    """The user's rows, less those other people reach through the same path (a company
    with other members); and how many were left to them."""
    rows = _rows(model, declaration, user)
    shared = _shared_ids(model, declaration, user, rows)
    return (rows.exclude(pk__in=shared) if shared else rows), len(shared)


def _reached_through_many(model, declaration: PersonalData) -> bool:
    return any(path != SELF and _to_many(model, path) for path in subject_paths(declaration))


def _delete_rows(rows: models.QuerySet, report: Report, files: list) -> set:
    """Delete what nothing protects; returns the ids that stay (protected)."""
    model = rows.model
    using = router.db_for_write(model)
    stay: set = set()
    candidates = list(rows.values_list("pk", flat=True))
    batches = [candidates] if candidates else []
    while batches:
        batch = batches.pop()
        collector = Collector(using=using, origin=None)
        try:
            with transaction.atomic(using=using):
                collector.collect(list(model._base_manager.filter(pk__in=batch)))
                doomed = _files_of(collector)
                _, counts = collector.delete()
        except (ProtectedError, RestrictedError):
            if len(batch) == 1:
                stay.add(batch[0])
            else:  # find the protected rows by halving: the rest still goes
                middle = len(batch) // 2
                batches += [batch[:middle], batch[middle:]]
            continue
        files.extend(doomed)
        for label, count in counts.items():
            if count:
                report.deleted[label] = report.deleted.get(label, 0) + count
    return stay


def _stored_text(text) -> str:
    """A registry text (a lazy translation) as the report stores it: in English, whatever
    language is active, so stored reports never mix languages (``report_lines`` translates
    it for the reader)."""
    with translation.override("en"):
        return str(text)


def _erase_fields(model, declaration: PersonalData, rows, user, report: Report, files) -> None:
    label = model._meta.label
    pks = list(rows.values_list("pk", flat=True))
    if not pks:
        return
    rows = model._base_manager.filter(pk__in=pks)
    changes: dict[str, Any] = {}
    cleared, anonymised, kept = [], [], []
    held: dict[str, list[str]] = {}  # purpose (in English, as stored): fields
    hold_years = 0
    for name, personal in declaration.fields.items():
        model_field = model._meta.get_field(name)
        if personal.erasure == Erasure.LEGAL_HOLD:
            held.setdefault(_stored_text(personal.purpose), []).append(name)
            hold_years = max(hold_years, personal.hold_years or 0)
            continue
        if name == "password" and hasattr(model, "set_unusable_password"):
            changes[name] = make_password(None)
            cleared.append(name)
            continue
        if personal.erasure == Erasure.ANONYMISE:
            value = _anonymous(model_field, user.pk)
            bucket = anonymised
        else:
            value = _cleared(model_field)
            bucket = cleared
        if value is _KEEP:
            kept.append(name)
            continue
        if isinstance(model_field, models.FileField):
            files.extend(_file_names(rows, [name]))
        changes[name] = value
        bucket.append(name)
    if changes:
        rows.update(**changes)  # QuerySet.update: append-only ledgers refuse save()
    if cleared:
        report.add(report.cleared, label, cleared, len(pks))
    if anonymised:
        report.add(report.anonymised, label, anonymised, len(pks))
    if kept:
        report.add(
            report.kept,
            label,
            kept,
            len(pks),
            reason=KEPT_REASON,
        )
    if held:
        names = [name for group in held.values() for name in group]
        report.add(
            report.held,
            label,
            names,
            len(pks),
            reasons=sorted(held),
            until=report.now + timedelta(days=365 * hold_years + hold_years // 4),
        )
        report.files_held += len(_file_names(rows, names))


def _identifying_values(user, companies: list[models.Model]) -> list[str]:
    """What identifies the person in someone else's text: the contacts and the names that
    the registry anonymises, on the user row and on a company that is theirs alone."""
    values = set()
    declared = registry()
    for obj in [user, *companies]:
        declaration = declared.get(type(obj))
        if declaration is None:
            continue
        for name, personal in declaration.fields.items():
            if not (
                personal.exported
                and (personal.category == Category.CONTACT or personal.erasure == Erasure.ANONYMISE)
            ):
                continue
            value = getattr(obj, name)
            if isinstance(value, str) and len(value.strip()) >= MIN_SCRUBBED:
                values.add(value.strip())
    return sorted(values, key=len, reverse=True)  # the longest first: an email before a name


def _replace(value: Any, pattern: re.Pattern, label: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(label, value)
    if isinstance(value, list):
        return [_replace(item, pattern, label) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, pattern, label) for key, item in value.items()}
    return value


def _mention_columns() -> list[tuple[type[models.Model], str]]:
    columns = [
        (model, name) for model, declaration in registry().items() for name in declaration.mentions
    ]
    for label, names in FRAMEWORK_MENTIONS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        columns += [(model, name) for name in names]
    return sorted(columns, key=lambda column: (column[0]._meta.label, column[1]))


def _scrub_mentions(values: list[str], label: str, report: Report) -> None:
    if not values:
        return
    pattern = re.compile("|".join(re.escape(value) for value in values), re.IGNORECASE)
    for model, name in _mention_columns():
        model_field = model._meta.get_field(name)
        rows = model._base_manager.all()
        if isinstance(model_field, models.JSONField):
            rows = rows.annotate(_text=Cast(name, TextField()))
            column = "_text"
            # SQLite keeps JSON with \\u escapes; PostgreSQL's jsonb prints the characters.
            needles = {needle for value in values for needle in (value, json.dumps(value)[1:-1])}
        else:
            column, needles = name, set(values)
        match = Q(pk__in=[])
        for needle in needles:
            match |= Q(**{f"{column}__icontains": needle})
        changed = 0
        for pk, current in rows.filter(match).values_list("pk", name).iterator(chunk_size=500):
            new = _replace(current, pattern, label)
            if new != current:
                model._base_manager.filter(pk=pk).update(**{name: new})
                changed += 1
        if changed:
            report.scrubbed[f"{model._meta.label}.{name}"] = changed


def _forget_logins(user, email: str, report: Report) -> None:
    for label in FRAMEWORK_CREDENTIALS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        _, counts = model._base_manager.filter(user_id=user.pk).delete()
        for deleted_label, count in counts.items():
            report.deleted[deleted_label] = report.deleted.get(deleted_label, 0) + count
    for label, name in FRAMEWORK_LOGINS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        _, counts = model._base_manager.filter(**{f"{name}__iexact": email}).delete()
        if counts.get(label):
            report.deleted[label] = report.deleted.get(label, 0) + counts[label]


def _forget_account_events(user, report: Report) -> None:
    """The events about the account (a correction's old and new value, a consent change)
    keep their type and time, not their details."""
    about = events_of(user).exclude(parameters={}, note="")
    count = about.update(parameters={}, note="")
    if count:
        key = f"{Event._meta.label}.parameters"
        report.scrubbed[key] = report.scrubbed.get(key, 0) + count


# ---------------------------------------------------------------- the log file


def log_path() -> Path:
    return Path(settings.PRIVACY_ERASURE_LOG)


def _append_log(entry: dict[str, Any]) -> None:
    """One JSON line, flushed to disk before the erasure commits: a crash afterwards can
    at worst replay an erasure that already happened, never forget one."""
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_log(path: Path | None = None) -> list[dict[str, Any]]:
    path = path or log_path()
    if not path.exists():
        return []
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            int(entry["user"])
        except (ValueError, KeyError, TypeError):
            logger.error("erasure log line %s is not an entry; skipped", number)
            continue
        entries.append(entry)
    return entries


# ---------------------------------------------------------------- erasing


def _goodbye(address: str, language: str, held_until) -> Callable[[], None]:
    """The last email to the old address, sent once the erasure committed."""

    def send() -> None:
        with translation.override(language or settings.LANGUAGE_CODE):
            body = _("Your EX1000 account and the personal data it held have been erased.")
            if held_until is not None:
                body += "\n\n" + _(
                    "The law makes us keep some records (such as orders, payments and the "
                    "consents you gave) until %(date)s, without any personal data they do "
                    "not need; then they are erased too."
                ) % {"date": held_until.date().isoformat()}
            body += "\n\n" + _("Questions: %(email)s") % {"email": settings.PRIVACY_CONTACT_EMAIL}
            send_mail(_("Your EX1000 account has been erased"), body, None, [address])

    return send


def erase_user(user, *, request_id: int | None = None, replay: bool = False) -> ErasureRecord:
    """Erase the account now (privacy.md, "Deletion"); returns its erasure record."""
    using = router.db_for_write(type(user)) or DEFAULT_DB_ALIAS
    with transaction.atomic(using=using):
        user = type(user)._base_manager.select_for_update().get(pk=user.pk)
        now = timezone.now()
        report = Report(now=now)
        address, language = user.email, user.language
        declared = registry()
        linked = [(m, declared[m]) for m in user_linked_models() if declared.get(m)]
        linked = [(m, d) for m, d in linked if d.fields]
        # The company is theirs alone when no other account reaches it.
        own_companies = [
            obj
            for model, declaration in linked
            if model is not type(user) and _reached_through_many(model, declaration)
            for obj in _own_rows(model, declaration, user)[0]
        ]
        values = _identifying_values(user, own_companies)
        files: list[tuple[Any, str]] = []
        # Rows that exist only for the user go first (with what cascades from them) …
        for model, declaration in linked:
            if declaration.erase_rows and not any(
                p.erasure == Erasure.LEGAL_HOLD for p in declaration.fields.values()
            ):
                _delete_rows(_rows(model, declaration, user), report, files)
        # … then each remaining row field by field, the account itself last.
        for model, declaration in sorted(linked, key=lambda item: item[0] is type(user)):
            rows, shared = _own_rows(model, declaration, user)
            if shared:
                report.shared[model._meta.label] = shared
            _erase_fields(model, declaration, rows, user, report, files)
        type(user)._base_manager.filter(pk=user.pk).update(is_active=False)
        label = anonymous_name(user.pk)
        _scrub_mentions(values, label, report)
        _forget_logins(user, address, report)
        _forget_account_events(user, report)
        report.files_deleted = len(files)
        version = registry_version()
        record = ErasureRecord.objects.create(
            user_id=user.pk,
            request_id=request_id,
            at=now,
            registry_version=version,
            replay=replay,
            report=report.as_json(),
            held_until=report.held_until(),
        )
        if replay and request_id:
            record.request_id = _ticket_for_replay(user, request_id, now).pk
            record.save(update_fields=["request_id"])
        _close_deletion_requests(user, request_id, now)
        record_event(
            ("user", user.pk),
            "account.erased",
            actor=SYSTEM,
            erasure=record.pk,
            registry_version=version,
            replay=replay,
        )
        if not replay:
            _append_log(
                {
                    "user": user.pk,
                    "account": fingerprint(user),
                    "at": now.isoformat(),
                    "registry_version": version,
                }
                | ({"request": request_id} if request_id else {})
            )
        transaction.on_commit(lambda: _remove_files(files), using=using)
        if address and not replay and "@" in address:
            transaction.on_commit(
                _goodbye(address, language, record.held_until), using=using, robust=True
            )
    return record


def _ticket_for_replay(user, request_id: int, now) -> PrivacyRequest:
    """The deletion ticket a replayed erasure answers. A snapshot older than the request
    does not have it: it is written again, under its own number when that is free, so the
    account's history says why it was erased."""
    ticket = PrivacyRequest.objects.filter(pk=request_id, user=user).first()
    if ticket is not None:
        return ticket
    taken = PrivacyRequest.objects.filter(pk=request_id).exists()
    return PrivacyRequest.objects.create(
        **({} if taken else {"pk": request_id}),
        user=user,
        type=RequestType.DELETION,
        status=RequestStatus.SCHEDULED,  # closed right after, with an event, like the rest
        due_at=now,
        confirmed_at=now,
        scheduled_for=now,
    )


def _close_deletion_requests(user, request_id: int | None, now) -> None:
    """The deletion requests of the account are answered by its erasure (a replay finds
    them still scheduled in an older backup)."""
    waiting = PrivacyRequest.objects.filter(
        user=user,
        type=RequestType.DELETION,
        status__in=(RequestStatus.AWAITING_CONFIRMATION, RequestStatus.SCHEDULED),
    )
    for request in waiting:
        before = request.status
        PrivacyRequest.objects.filter(pk=request.pk).update(
            status=RequestStatus.COMPLETED, decided_at=now, confirmation_nonce=""
        )
        record_event(
            request,
            "privacy_request.erased",
            actor=SYSTEM,
            from_state=before,
            to_state=RequestStatus.COMPLETED,
        )


def replay_log(path: Path | None = None) -> dict[str, int]:
    """Erase again every logged account that a restored backup brought back."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    result = {"entries": 0, "replayed": 0, "already_erased": 0, "missing": 0}
    for entry in read_log(path):
        result["entries"] += 1
        user = user_model._base_manager.filter(pk=int(entry["user"])).first()
        if user is None or ("account" in entry and entry["account"] != fingerprint(user)):
            result["missing"] += 1  # not in the snapshot, or the id is someone else's now
        elif is_erased(user):
            result["already_erased"] += 1
        else:
            erase_user(user, request_id=entry.get("request"), replay=True)
            result["replayed"] += 1
    return result


# ---------------------------------------------------------------- the end of a legal hold


def purge_expired_holds(*, as_of=None, dry_run: bool = False) -> int:
    """Clear what erasures kept under legal hold once the hold is over; returns how many
    erasures were purged (or would be)."""
    as_of = as_of or timezone.now()
    due = ErasureRecord.objects.filter(held_until__lte=as_of, purged_at__isnull=True)
    if dry_run:
        return due.count()
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    declared = registry()
    purged = 0
    for record in due:
        user = user_model._base_manager.filter(pk=record.user_id).first()
        files: list[tuple[Any, str]] = []
        with transaction.atomic():
            if user is not None:
                for model in user_linked_models():
                    declaration = declared.get(model)
                    if declaration is None:
                        continue
                    names = [
                        name
                        for name, p in declaration.fields.items()
                        if p.erasure == Erasure.LEGAL_HOLD
                    ]
                    if not names:
                        continue
                    rows, _ = _own_rows(model, declaration, user)
                    changes = {}
                    for name in names:
                        value = _cleared(model._meta.get_field(name))
                        if value is not _KEEP:
                            changes[name] = value
                    files += _file_names(rows, changes)
                    if changes:
                        rows.update(**changes)
            ErasureRecord.objects.filter(pk=record.pk).update(purged_at=as_of)
            transaction.on_commit(lambda files=files: _remove_files(files))
        purged += 1
    return purged


# ---------------------------------------------------------------- reading the report


def _model_name(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name_plural)
    except (LookupError, ValueError):
        return label  # "core.Event (about the account)", or a model since removed


def _column_name(column: str) -> str:
    """ "core.Event.note" → "event log: note", in the active language."""
    label, _dot, name = column.rpartition(".")
    try:
        model = apps.get_model(label)
        return f"{model._meta.verbose_name_plural}: {model._meta.get_field(name).verbose_name}"
    except (LookupError, ValueError, FieldDoesNotExist):
        return column


def _reasons(entry: dict[str, Any]) -> list[str]:
    """The stored English reasons of a report entry (older reports: one ``reason``)."""
    reasons = entry.get("reasons") or ([entry["reason"]] if "reason" in entry else [])
    return [str(reason) for reason in reasons if reason]


def report_lines(record: ErasureRecord) -> dict[str, list[dict[str, Any]]]:
    """The report as the operator reads it: per section, the records (by their names in
    the active language), how many rows, which fields, and for held data why and until.

    The reasons are stored in English (the registry's purposes, ``KEPT_REASON``) and shown
    here in the active language."""
    report = record.report or {}
    lines: dict[str, list[dict[str, Any]]] = {}
    for section in ("held", "kept", "anonymised", "cleared"):
        lines[section] = [
            {
                "model": _model_name(label),
                "rows": entry.get("rows", 0),
                "fields": entry.get("fields", []),
                "reasons": [_(reason) for reason in _reasons(entry)],
                "until": entry.get("until", ""),
            }
            for label, entry in sorted((report.get(section) or {}).items())
        ]
    lines["deleted"] = [
        {"model": _model_name(label), "rows": count}
        for label, count in sorted((report.get("deleted") or {}).items())
    ]
    lines["scrubbed"] = [
        {"model": _column_name(column), "rows": count}
        for column, count in sorted((report.get("scrubbed") or {}).items())
    ]
    return lines


def record_for_request(request: PrivacyRequest) -> ErasureRecord | None:
    if request.type != RequestType.DELETION or request.user_id is None:
        return None
    return ErasureRecord.objects.filter(request_id=request.pk, user_id=request.user_id).first()


def logged_ids(path: Path | None = None) -> dict[str, int]:
    """The highest user and request ids in the erasure log: a restore keeps new rows from
    taking them again (privacy.backup)."""
    entries = read_log(path)
    return {
        "user": max((int(e["user"]) for e in entries), default=0),
        "request": max((int(e.get("request") or 0) for e in entries), default=0),
    }
