"""The registry's purposes and retentions in the reader's language.

Every ``purpose`` and ``retention`` of a ``Personal`` declaration is marked for translation:
the export's "about", the record of processing (page, PDF, JSON, CSV, API) and the
operator's erasure report show it in the active language. What is stored — the erasure
report's reasons, the registry fingerprint — is English whatever language is active.
"""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from ex1000.core.personal_data import Erasure, registry
from ex1000.privacy import erasure, export, processing
from ex1000.privacy.consents import Purpose
from ex1000.privacy.models import Consent
from tests.factories import BuyerFactory

LANGUAGES = ["zh-hans", "ru", "ar", "es", "fr"]


def _texts() -> dict[str, set[str]]:
    """The registry's purposes and declared retentions (plus the default one), by kind."""
    texts: dict[str, dict[str, object]] = {"purpose": {}, "retention": {}}
    with translation.override("en"):
        for model, declaration in registry().items():
            for name, personal in declaration.fields.items():
                where = f"{model._meta.label}.{name}"
                texts["purpose"].setdefault(str(personal.purpose), (where, personal.purpose))
                if personal.retention:
                    texts["retention"].setdefault(
                        str(personal.retention), (where, personal.retention)
                    )
        texts["retention"].setdefault(
            str(processing.ACCOUNT_LIFE), ("privacy.processing", processing.ACCOUNT_LIFE)
        )
    return texts


def test_every_purpose_and_retention_is_marked_for_translation():
    unmarked = [
        f"{where} {kind}: {english!r}"
        for kind, found in _texts().items()
        for english, (where, value) in found.items()
        if not isinstance(value, Promise)
    ]
    assert not unmarked, "wrap these in gettext_lazy:\n" + "\n".join(sorted(unmarked))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_purpose_and_retention_is_translated(language):
    texts = _texts()
    assert len(texts["purpose"]) >= 40 and len(texts["retention"]) >= 5
    untranslated = []
    for kind, found in texts.items():
        for english, (where, value) in found.items():
            with translation.override(language):
                shown = str(value)
            if shown == english:
                untranslated.append(f"{where} {kind}: {english!r}")
    assert not untranslated, (
        f"not translated into {language} (makemessages, fill the .po, compilemessages):\n"
        + "\n".join(sorted(untranslated))
    )


def test_lazy_purposes_sort_and_serialise():
    purposes = [personal.purpose for d in registry().values() for personal in d.fields.values()]
    with translation.override("ru"):
        assert sorted(purposes, key=str)  # and lazy strings compare among themselves
        assert sorted(purposes[:5]) == sorted(purposes[:5], key=str)


def _russian(english: str) -> str:
    with translation.override("ru"):
        return translation.gettext(english)


@pytest.mark.django_db
def test_the_record_of_processing_json_is_in_russian(client, operator):
    client.force_login(operator)
    response = client.get(
        reverse("ops:privacy_processing_download", args=["json"]), HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 200
    data = json.loads(response.content)
    fields = {(f["model"], f["field"]): f for c in data["categories"] for f in c["fields"]}
    company = fields[("accounts.Company", "credit_code")]
    assert company["purpose"] == "верификация компании" == _russian("verify the business")
    consignee = fields[("orders.Consignee", "name")]
    assert consignee["purpose"] == "получение автомобилей (коносамент)"
    assert consignee["retention"] == "5 лет после завершения сделки"
    assert consignee["retention"] == _russian("5 years after completion")
    contact = next(c for c in data["categories"] if c["category"] == "contact")
    assert "получение автомобилей (коносамент)" in contact["purposes"]
    assert "receive the cars (B/L)" not in json.dumps(data, ensure_ascii=False)


@pytest.mark.django_db
def test_the_record_of_processing_csv_and_api_follow_the_language(client, operator, login_api):
    client.force_login(operator)
    response = client.get(
        reverse("ops:privacy_processing_download", args=["csv"]), HTTP_ACCEPT_LANGUAGE="fr"
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    (row,) = [r for r in rows if (r["model"], r["field"]) == ("accounts.User", "email")]
    assert row["purpose"] == "se connecter et recevoir les notifications"
    english = login_api(operator).get("ops/privacy/processing").json()
    fields = {(f["model"], f["field"]): f for c in english["categories"] for f in c["fields"]}
    assert fields[("accounts.User", "email")]["purpose"] == "log in and receive notices"


@pytest.mark.django_db
def test_the_export_explains_in_the_active_language():
    user = BuyerFactory(language="es")
    with translation.override("es"):
        document = export.export_data(user)
    about = document["about"]["accounts.User"]["fields"]
    assert about["email"]["purpose"] == "iniciar sesión y recibir notificaciones"
    json.dumps(document)  # no lazy object left in it
    with translation.override("ru"):
        assert export.registry_version() == document["registry_version"]


@pytest.mark.django_db
def test_erasure_stores_english_reasons_and_shows_them_translated():
    user = BuyerFactory(language="ru")
    Consent.objects.create(user=user, purpose=Purpose.ANALYTICS, granted=True)
    with translation.override("ru"):
        record = erasure.erase_user(user)
    record.refresh_from_db()
    held = record.report["held"]["privacy.Consent"]
    assert held["reasons"] == ["prove consent"]  # stored in English, not Russian
    json.dumps(record.report)
    with translation.override("ar"):
        assert record.registry_version == export.registry_version()
    expected = {
        "ru": "подтверждение согласия",
        "zh-hans": "证明已取得同意",
        "en": "prove consent",
    }
    for language, text in expected.items():
        with translation.override(language):
            (line,) = [
                line
                for line in erasure.report_lines(record)["held"]
                if line["model"] == str(Consent._meta.verbose_name_plural)
            ]
        assert line["reasons"] == [text]
    kept = [entry for entry in record.report["kept"].values() if entry.get("reason")]
    assert all(entry["reason"] == erasure.KEPT_REASON for entry in kept)


def test_the_kept_reason_is_translated():
    for language in LANGUAGES:
        with translation.override(language):
            assert translation.gettext(erasure.KEPT_REASON) != erasure.KEPT_REASON, language


def test_legal_hold_purposes_are_english_in_a_report_written_in_another_language():
    """The reasons come from the registry's LEGAL_HOLD fields: each has an English text."""
    held = [
        p for d in registry().values() for p in d.fields.values() if p.erasure == Erasure.LEGAL_HOLD
    ]
    assert held
    with translation.override("fr"):
        stored = {erasure._stored_text(p.purpose) for p in held}
    with translation.override("en"):
        assert stored == {str(p.purpose) for p in held}
