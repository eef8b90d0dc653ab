"""The record of processing: generated from the personal-data registry, complete for every
category, shown to staff only, downloadable as PDF / JSON / CSV."""

import csv
import io
import json
import subprocess

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from ex1000.core.personal_data import Category, registry, user_linked_models
from ex1000.privacy import processing
from tests.factories import BuyerFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def _declared_fields():
    return {
        (model._meta.label, name, personal.category.value)
        for model, declared in registry().items()
        for name, personal in declared.fields.items()
    }


def _recorded_fields(data):
    return {
        (f["model"], f["field"], category["category"])
        for category in data["categories"]
        for f in category["fields"]
    }


def test_every_registered_model_and_field_is_in_the_record():
    data = processing.record()
    declared = _declared_fields()
    assert declared  # the registry is not empty
    assert _recorded_fields(data) == declared
    assert data["undeclared_models"] == []
    recorded_models = {m for c in data["categories"] for m in c["models"]}
    recorded_models |= set(data["models_without_personal_fields"])
    assert {m._meta.label for m in user_linked_models()} == recorded_models


def test_categories_carry_the_registry_facts():
    by_category = {c["category"]: c for c in processing.record()["categories"]}
    assert list(by_category) == [c.value for c in Category]
    for model, declared in registry().items():
        for name, personal in declared.fields.items():
            entry = by_category[personal.category.value]
            assert personal.purpose in entry["purposes"]
            assert personal.erasure.value in entry["erasure"]
            if personal.sensitive:
                assert entry["sensitive"]
            if personal.hold_years:
                assert entry["legal_hold_years"] >= personal.hold_years
            (row,) = [
                f for f in entry["fields"] if (f["model"], f["field"]) == (model._meta.label, name)
            ]
            assert row["exported"] is personal.exported
            assert row["sensitive"] is personal.sensitive
            assert row["hold_years"] == personal.hold_years
    order = by_category["order"]
    assert order["legal_hold_years"] == 5
    assert any("legal" in basis.lower() for basis in order["legal_basis"])
    assert any("escrow bank" in r for r in by_category["payment_proof"]["recipients"])
    assert any("Logistics" in r for r in by_category["contact"]["recipients"])


def test_every_category_has_legal_basis_region_and_recipients():
    """A Category added to the registry without an entry in CATEGORY_PROCESSING fails here."""
    assert processing.incomplete() == []
    assert set(processing.CATEGORY_PROCESSING) == set(Category)


def test_a_category_without_a_mapping_makes_the_record_fail():
    mapping = dict(processing.CATEGORY_PROCESSING)
    del mapping[Category.PAYMENT_PROOF]
    assert processing.incomplete(mapping) == ["payment_proof"]
    with pytest.raises(ImproperlyConfigured, match="payment_proof"):
        processing.record(mapping)


@pytest.mark.parametrize("missing", ["legal_basis", "recipients"])
def test_an_empty_legal_basis_or_recipient_list_counts_as_missing(missing):
    from dataclasses import replace

    mapping = dict(processing.CATEGORY_PROCESSING)
    mapping[Category.CONSENT] = replace(mapping[Category.CONSENT], **{missing: ()})
    assert processing.incomplete(mapping) == ["consent"]


def test_the_storage_region_comes_from_the_setting(settings):
    settings.PRIVACY_STORAGE_REGION = "Testland (North)"
    data = processing.record()
    assert data["storage_region"] == "Testland (North)"
    assert {c["storage_region"] for c in data["categories"]} == {"Testland (North)"}
    settings.PRIVACY_STORAGE_REGION = ""
    assert processing.incomplete() == [c.value for c in Category]


PAGES = [
    reverse("ops:privacy_processing"),
    reverse("ops:privacy_processing_download", args=["pdf"]),
    reverse("ops:privacy_processing_download", args=["json"]),
    reverse("ops:privacy_processing_download", args=["csv"]),
]


@pytest.mark.parametrize("url", PAGES)
def test_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("factory", [BuyerFactory, SupplierFactory])
@pytest.mark.parametrize("url", PAGES)
def test_non_staff_see_nothing(client, factory, url):
    client.force_login(factory())
    assert client.get(url).status_code == 404


def test_staff_see_the_record_as_tables(client, operator):
    client.force_login(operator)
    response = client.get(reverse("ops:privacy_processing"))
    assert response.status_code == 200
    html = response.content.decode()
    for label, name, category in _declared_fields():
        assert f'data-field="{label}.{name}"' in html
        assert f'data-category="{category}"' in html
    assert "PIPL art. 13(2)" in html


def test_unknown_formats_are_not_found(client, operator):
    client.force_login(operator)
    url = reverse("ops:privacy_processing_download", args=["xml"])
    assert client.get(url).status_code == 404


def test_json_download(client, operator):
    client.force_login(operator)
    for response in (
        client.get(reverse("ops:privacy_processing_download", args=["json"])),
        client.get(reverse("ops:privacy_processing"), {"format": "json"}),
    ):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert "attachment" in response["Content-Disposition"]
        assert _recorded_fields(json.loads(response.content)) == _declared_fields()


def test_csv_download(client, operator):
    client.force_login(operator)
    response = client.get(reverse("ops:privacy_processing_download", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {(r["model"], r["field"], r["category"]) for r in rows} == _declared_fields()
    assert all(r["legal_basis"] and r["storage_region"] and r["recipients"] for r in rows)


def test_the_pdf_renders_with_the_registry_fields(client, operator, tmp_path):
    client.force_login(operator)
    response = client.get(reverse("ops:privacy_processing_download", args=["pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF")
    path = tmp_path / "record.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Record of processing" in text
    assert "credit_code" in text  # accounts.Company.credit_code
    assert "orders.Consignee" in text


def test_api_for_operators(login_api, operator):
    response = login_api(operator).get("ops/privacy/processing")
    assert response.status_code == 200
    assert _recorded_fields(response.json()) == _declared_fields()


@pytest.mark.parametrize("factory", [BuyerFactory, SupplierFactory])
def test_api_refuses_others(login_api, api, factory):
    assert api.get("ops/privacy/processing").status_code == 401
    response = login_api(factory()).get("ops/privacy/processing")
    assert response.status_code == 403
    assert response.json()["code"] == "operators_only"
