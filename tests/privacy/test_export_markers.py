"""The acceptance check of "access and inquiry at any time" (privacy.md, issue 7 §1):
a user with a unique marker in every exported personal field of every model linked to
them — walked from the registry, not listed here — finds every marker in their export and
none of another user's.

Each linked model needs a BUILDER below that returns the user's rows of it (built the way
the product builds them where it can). A model added to the registry with exported fields
and no builder fails ``test_every_linked_model_has_a_builder`` with its name.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_countries.fields import CountryField

from ex1000.accounts.models import (
    ApiToken,
    DocumentKind,
    QualificationDocument,
    VerificationRequest,
)
from ex1000.core.models import Event, IdempotencyRecord
from ex1000.core.personal_data import Personal, PersonalData, registry, user_linked_models
from ex1000.messaging.models import Attachment, Message, ThreadRead
from ex1000.messaging.services import mark_read, post_message, thread_for_inquiry
from ex1000.notifications.models import Notification, NotificationPreference
from ex1000.orders.models import Consignee, OrderDocument, Payment
from ex1000.privacy import export
from ex1000.privacy.disclosures import record_disclosure
from ex1000.privacy.models import (
    AccessRecord,
    BehaviourEvent,
    Consent,
    Disclosure,
    PolicyAcceptance,
    PrivacyRequest,
)
from ex1000.privacy.selectors import current_policy
from ex1000.privacy.services import accept_policy
from ex1000.privacy.tickets import open_request
from ex1000.quotes.models import Inquiry, QuoteVersion
from tests.factories import BuyerFactory
from tests.orders.builders import pdf_file, stub_pdfs, trade_in_state

pytestmark = pytest.mark.django_db


@dataclass
class World:
    """One buyer with a shipped order and everything around it."""

    user: Any
    trade: Any
    extra: dict[str, list[models.Model]] = field(default_factory=dict)


def build_world(state: str = "shipped") -> World:
    user = BuyerFactory()
    trade = trade_in_state(state, buyer=user)
    request = VerificationRequest.objects.create(user=user, company=user.company)
    QualificationDocument.objects.create(
        user=user,
        request=request,
        kind=DocumentKind.IMPORT_LICENCE,
        file=ContentFile(b"%PDF-1.4 licence", name="licence.pdf"),
        content_type="application/pdf",
        size=16,
    )
    ApiToken.objects.create(
        user=user, key_hash=f"{user.pk:064d}", expires_at=timezone.now() + timedelta(days=1)
    )
    IdempotencyRecord.objects.create(
        user=user,
        key="k1",
        endpoint="/api/v1/inquiries",
        request_hash="0" * 64,
        status=201,
        body={},
    )
    accept_policy(user=user, policy=current_policy(), ip="192.0.2.1", user_agent="UA")
    document = OrderDocument(
        order=trade.order, kind="other", content_type="application/pdf", size=4, uploaded_by=user
    )
    document.file.save("packing.pdf", ContentFile(b"%PDF"), save=False)
    document.save()
    Notification.objects.create(user=user, kind="test", title="t", body="b")
    NotificationPreference.objects.create(user=user, event="payment", email=False)
    open_request(user=user, type="complaint", text="The deposit took long to confirm.")
    AccessRecord.objects.create(
        user=user, at=timezone.now(), ip="192.0.2.9", method="GET", path="/orders/", status=200
    )
    BehaviourEvent.objects.create(user=user, kind="search", data={"q": "camry"})
    thread = thread_for_inquiry(trade.order.quote.inquiry)
    sent = post_message(thread, user, "When does it ship?", [pdf_file("customs.pdf")])
    mark_read(thread, user, sent.pk)
    for withheld in (False, True):  # a legal order's withheld row is never exported
        record_disclosure(
            user=user,
            recipient_kind="logistics_partner",
            recipient="Partner",
            fields=["consignee.name"],
            purpose="delivery",
            withheld=withheld,
        )
    return World(user=user, trade=trade)


def _by_user(model, **lookup):
    return lambda w: list(model.objects.filter(**{k: w.user for k in lookup}))


# label → the user's rows of that model. Written by hand on purpose: the test's own idea
# of what belongs to the user, checked against the export built from the registry.
BUILDERS = {
    "accounts.User": lambda w: [w.user],
    "accounts.Company": lambda w: [w.user.company],
    "accounts.VerificationRequest": _by_user(VerificationRequest, user=1),
    "accounts.QualificationDocument": _by_user(QualificationDocument, user=1),
    "accounts.ApiToken": _by_user(ApiToken, user=1),
    "core.Event": _by_user(Event, actor=1),
    "core.IdempotencyRecord": _by_user(IdempotencyRecord, user=1),
    "messaging.Message": _by_user(Message, author=1),
    "messaging.Attachment": lambda w: list(Attachment.objects.filter(message__author=w.user)),
    "messaging.ThreadRead": _by_user(ThreadRead, user=1),
    "notifications.Notification": _by_user(Notification, user=1),
    "notifications.NotificationPreference": _by_user(NotificationPreference, user=1),
    "orders.Order": lambda w: [w.trade.order],
    "orders.Consignee": lambda w: list(Consignee.objects.filter(order__buyer=w.user)),
    "orders.Payment": _by_user(Payment, submitted_by=1),
    "orders.OrderDocument": lambda w: list(
        OrderDocument.objects.filter(Q(uploaded_by=w.user) | Q(order__buyer=w.user))
    ),
    "privacy.PolicyAcceptance": _by_user(PolicyAcceptance, user=1),
    "privacy.Consent": _by_user(Consent, user=1),  # the grants of accepting the policy
    "privacy.PrivacyRequest": _by_user(PrivacyRequest, user=1),
    "privacy.AccessRecord": _by_user(AccessRecord, user=1),
    "privacy.BehaviourEvent": _by_user(BehaviourEvent, user=1),
    "privacy.Disclosure": lambda w: list(
        Disclosure.objects.filter(user=w.user, withheld_from_user=False)
    ),
    "quotes.Inquiry": _by_user(Inquiry, buyer=1),
    "quotes.QuoteVersion": lambda w: list(QuoteVersion.objects.filter(inquiry__buyer=w.user)),
}


def _exported_fields(decl: PersonalData) -> list[str]:
    return [name for name, p in decl.fields.items() if p.exported]


def linked_with_exports() -> list[tuple[type[models.Model], PersonalData]]:
    declared = registry()
    return [
        (m, declared[m])
        for m in user_linked_models()
        if m in declared and _exported_fields(declared[m])
    ]


def missing_builders(linked) -> list[str]:
    return [m._meta.label for m, _ in linked if m._meta.label not in BUILDERS]


class Marks:
    """Hands out distinctive values, one per (row, field), and remembers them."""

    def __init__(self, tag: str, number: int):
        self.tag, self.number, self.count = tag, number, 0
        self.expected: dict[tuple[str, int, str], Any] = {}  # (label, pk, field) → value
        self.strings: list[str] = []  # markers that must appear verbatim
        self.files: dict[str, bytes] = {}  # stored name → content

    def marker(self) -> str:
        self.count += 1
        return f"mk{self.tag}{self.count:04d}"

    def value_for(self, f: models.Field) -> tuple[Any, Any]:
        """(value to store, value the export shows)."""
        m = self.marker()
        n = self.count
        if isinstance(f, models.FileField):
            content = f"%PDF-1.4 {m}".encode()
            name = f.storage.save(f"markers/{m}.pdf", ContentFile(content))
            self.files[name] = content
            self.strings.append(m)
            return name, name
        if isinstance(f, models.EmailField):
            self.strings.append(m)
            return f"{m}@example.com", f"{m}@example.com"
        if isinstance(f, models.JSONField):
            self.strings.append(m)
            return {"marker": m}, {"marker": m}
        if isinstance(f, models.GenericIPAddressField):
            ip = f"10.{self.number}.{n // 250}.{n % 250 + 1}"
            return ip, ip
        if isinstance(f, models.DateTimeField):
            at = datetime(2001 + self.number, 1, 1, tzinfo=UTC) + timedelta(hours=n)
            return at, at.isoformat()
        if isinstance(f, models.DateField):
            day = date(2001 + self.number, 1, 1) + timedelta(days=n)
            return day, day.isoformat()
        if isinstance(f, models.BooleanField):
            return self.number % 2 == 1, self.number % 2 == 1
        if isinstance(f, models.IntegerField):
            return 1000 * self.number + n, 1000 * self.number + n
        if isinstance(f, models.DecimalField):
            value = Decimal(f"{1000 * self.number + n}.5")
            return value, str(value)
        if isinstance(f, CountryField):
            code = ("NZ", "FJ", "IS")[self.number % 3]
            return code, code
        if f.choices:
            values = [c[0] for c in f.flatchoices]
            value = values[(self.number + n) % len(values)]
            return value, value
        if isinstance(f, (models.CharField, models.TextField)):
            if f.max_length is None or f.max_length >= len(m):
                self.strings.append(m)
                return m, m
            short = (self.tag.upper() + "QXZ")[: f.max_length]  # a country code, a currency
            return short, short
        raise AssertionError(f"no marker for {f.model._meta.label}.{f.name} ({type(f).__name__})")


def mark(world: World, tag: str, number: int) -> Marks:
    """Put a marker into every exported personal field of every row the builders return."""
    marks = Marks(tag, number)
    for model, decl in linked_with_exports():
        rows = BUILDERS[model._meta.label](world)
        assert rows, f"the builder of {model._meta.label} returned no rows for the user"
        for row in rows:
            changes = {}
            for name in _exported_fields(decl):
                stored, shown = marks.value_for(model._meta.get_field(name))
                changes[name] = stored
                marks.expected[(model._meta.label, row.pk, name)] = shown
            model._default_manager.filter(pk=row.pk).update(**changes)
    return marks


def assert_export_contains(document: dict, marks: Marks) -> None:
    """Every (row, field) value the test set is in the export, on its row."""
    rows = {
        (label, row["id"]): row for label, entries in document["data"].items() for row in entries
    }
    missing = []
    for (label, pk, name), value in marks.expected.items():
        row = rows.get((label, pk))
        if row is None:
            missing.append(f"{label} #{pk}: row not exported")
        elif row.get(name) != value:
            missing.append(f"{label} #{pk}.{name}: {row.get(name)!r} != {value!r}")
    assert not missing, "the export misses:\n" + "\n".join(sorted(set(missing)))
    text = json.dumps(document, ensure_ascii=False)
    absent = [m for m in marks.strings if m not in text]
    assert not absent, f"markers missing from the export: {absent}"


def assert_export_lacks(document: dict, other: Marks) -> None:
    text = json.dumps(document, ensure_ascii=False)
    assert f"mk{other.tag}" not in text, "another user's marker is in the export"
    for label, entries in document["data"].items():
        ids = {row["id"] for row in entries}
        theirs = {pk for (lab, pk, _) in other.expected if lab == label}
        assert not ids & theirs, f"another user's {label} rows {ids & theirs} are in the export"


@pytest.fixture
def two_users(monkeypatch):
    stub_pdfs(monkeypatch)
    first, second = build_world(), build_world()
    return (first, mark(first, "a", 1)), (second, mark(second, "b", 2))


def test_every_linked_model_has_a_builder():
    missing = missing_builders(linked_with_exports())
    assert not missing, (
        f"models linked to a user with exported personal fields but no builder in "
        f"tests/privacy/test_export_markers.py: {missing} — add one to BUILDERS so the "
        f"marker test puts a marker in each of their fields"
    )


def test_a_model_without_builder_is_named(monkeypatch):
    class Fake:
        class _meta:  # stands in for a model's _meta
            label = "newapp.Thing"

    assert missing_builders([(Fake, PersonalData())]) == ["newapp.Thing"]


def test_export_holds_every_marker_of_the_user_and_none_of_another(two_users):
    (first, marks_a), (second, marks_b) = two_users
    assert marks_a.strings and marks_a.files
    document_a = export.export_data(first.user)
    document_b = export.export_data(second.user)

    assert_export_contains(document_a, marks_a)
    assert_export_lacks(document_a, marks_b)
    assert_export_contains(document_b, marks_b)
    assert_export_lacks(document_b, marks_a)
    # What is not exported stays out: the password hash.
    user_row = document_a["data"]["accounts.User"][0]
    assert "password" not in user_row
    first.user.refresh_from_db()
    assert first.user.password not in json.dumps(document_a)


def test_zip_holds_the_json_and_every_file_of_the_user(two_users):
    (first, marks_a), _ = two_users
    archive = zipfile.ZipFile(io.BytesIO(export.zip_bytes(first.user)))
    document = json.loads(archive.read("export.json"))
    assert_export_contains(document, marks_a)
    contents = {name: archive.read(name) for name in archive.namelist() if name != "export.json"}
    assert sorted(contents.values()) == sorted(marks_a.files.values())
    assert document["missing_files"] == []
    for content in contents.values():
        assert b"mkb" not in content


def test_a_new_personal_field_reaches_the_export(two_users, monkeypatch):
    """Declaring a field personal is all it takes: the export follows the registry."""
    (first, _), _ = two_users
    user_model = type(first.user)
    old = user_model.personal_data
    fields = {**old.fields, "role": Personal(old.fields["name"].category, "a new purpose")}
    not_personal = tuple(n for n in old.not_personal if n != "role")
    monkeypatch.setattr(
        user_model,
        "personal_data",
        PersonalData(fields=fields, not_personal=not_personal, subject=old.subject),
    )
    marks = mark(World(user=first.user, trade=first.trade), "c", 3)
    assert ("accounts.User", first.user.pk, "role") in marks.expected
    assert_export_contains(export.export_data(first.user), marks)


def test_an_export_that_drops_a_field_fails_the_check(two_users, monkeypatch):
    """The check itself bites: an export missing one declared field is caught."""
    (first, marks_a), _ = two_users
    real = export._row

    def without_phone(obj, names):
        return real(obj, [n for n in names if n != "phone"])

    monkeypatch.setattr(export, "_row", without_phone)
    with pytest.raises(AssertionError, match=r"accounts\.User #\d+\.phone"):
        assert_export_contains(export.export_data(first.user), marks_a)
