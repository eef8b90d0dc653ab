"""The disclosure log (privacy.md: "sharing only necessary data with logistics partners",
"disclosure under legal orders"; api.md: GET /privacy/disclosures, POST /ops/disclosures)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import translation

from ex1000.core.models import Event
from ex1000.privacy import export
from ex1000.privacy.disclosures import disclosures_of, record_disclosure
from ex1000.privacy.models import Disclosure, RecipientKind
from tests.factories import BuyerFactory
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db

LEGAL = {
    "authority": "Auckland District Court",
    "reference": "CIV-2026-404-0017",
    "data": ["name", "email", "orders"],
}


def _partner_handover(user, **extra):
    return record_disclosure(
        user=user,
        recipient_kind=RecipientKind.LOGISTICS_PARTNER,
        recipient="Pacific Car Shipping Ltd",
        fields=["consignee.name", "consignee.phone", "consignee.address", "vehicle.vin"],
        purpose="deliver the vehicle of order EX-0001",
        reference="shipment 42",
        **extra,
    )


# --- the service -----------------------------------------------------------------------


def test_a_partner_handover_is_one_row_without_operator(buyer):
    disclosure = _partner_handover(buyer)
    assert Disclosure.objects.count() == 1
    assert disclosure.recorded_by is None
    assert disclosure.withheld_from_user is False
    assert disclosure.data == [
        "consignee.name",
        "consignee.phone",
        "consignee.address",
        "vehicle.vin",
    ]
    assert list(disclosures_of(buyer)) == [disclosure]


def test_a_text_description_is_kept_as_one_item(buyer):
    disclosure = record_disclosure(
        user=buyer,
        recipient_kind="authority",
        recipient="Customs",
        fields="the consignee's name and address",
        purpose="customs clearance",
    )
    assert disclosure.data == ["the consignee's name and address"]


def test_the_log_is_append_only(buyer):
    disclosure = _partner_handover(buyer)
    disclosure.purpose = "something else"
    with pytest.raises(ValueError, match="append-only"):
        disclosure.save()


# --- POST /ops/disclosures -------------------------------------------------------------


def test_only_operators_record_a_legal_disclosure(login_api, buyer):
    other = BuyerFactory()
    response = login_api(buyer).post("ops/disclosures", {"user": other.pk, **LEGAL})
    body = assert_problem(response, 403)
    assert body["code"] == "operators_only"
    assert not Disclosure.objects.exists()


def test_anonymous_cannot_record(api, buyer):
    response = api.post("ops/disclosures", {"user": buyer.pk, **LEGAL})
    assert response.status_code == 401
    assert not Disclosure.objects.exists()


def test_an_operator_records_a_legal_disclosure(login_api, operator, buyer):
    response = login_api(operator).post("ops/disclosures", {"user": buyer.pk, **LEGAL})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["user"] == buyer.pk
    assert body["recipient_kind"] == "authority"
    assert body["recipient"] == LEGAL["authority"]
    assert body["reference"] == LEGAL["reference"]
    assert body["data"] == LEGAL["data"]
    assert body["recorded_by"] == operator.pk
    assert body["withheld_from_user"] is False
    disclosure = Disclosure.objects.get()
    assert disclosure.recorded_by == operator
    event = Event.objects.get(type="legal_disclosure_recorded")
    assert event.subject_id == str(disclosure.pk)
    assert event.actor == operator
    assert event.parameters["reference"] == LEGAL["reference"]


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"user": 10**9}, "user", "disclosure_user_unknown"),
        ({"authority": "  "}, "authority", "disclosure_recipient_required"),
        ({"data": []}, "data", "disclosure_data_required"),
        ({"data": " "}, "data", "disclosure_data_required"),
    ],
)
def test_validation_errors_have_codes(login_api, operator, buyer, change, field, code):
    payload = {"user": buyer.pk, **LEGAL, **change}
    response = login_api(operator).post("ops/disclosures", payload)
    body = assert_problem(response, 422, field)
    assert body["code"] == code
    assert not Disclosure.objects.exists()


def test_a_missing_authority_is_a_validation_error(login_api, operator, buyer):
    payload = {"user": buyer.pk, "reference": "x", "data": ["name"]}
    response = login_api(operator).post("ops/disclosures", payload)
    assert_problem(response, 422, "authority")


# --- what the user sees ----------------------------------------------------------------


def test_the_user_sees_a_disclosure_not_withheld(login_api, operator, buyer):
    login_api(operator).post("ops/disclosures", {"user": buyer.pk, **LEGAL})
    _partner_handover(buyer)
    body = login_api(buyer).get("privacy/disclosures").json()
    assert body["count"] == 2
    assert body["page"] == 1 and body["page_size"] == 20
    kinds = [item["recipient_kind"] for item in body["items"]]
    assert sorted(kinds) == ["authority", "logistics_partner"]
    legal = next(i for i in body["items"] if i["recipient_kind"] == "authority")
    assert legal["recipient"] == LEGAL["authority"]
    assert legal["data"] == LEGAL["data"]
    assert "recorded_by" not in legal and "withheld_from_user" not in legal


def test_a_withheld_disclosure_is_never_shown_to_the_user(login_api, operator, buyer):
    response = login_api(operator).post(
        "ops/disclosures", {"user": buyer.pk, **LEGAL, "withheld_from_user": True}
    )
    assert response.status_code == 201
    assert response.json()["withheld_from_user"] is True
    assert Disclosure.objects.get().withheld_from_user

    client = login_api(buyer)
    body = client.get("privacy/disclosures").json()
    assert body == {"items": [], "count": 0, "page": 1, "page_size": 20}
    document = export.export_data(buyer)
    assert "privacy.Disclosure" not in document["data"]
    assert LEGAL["reference"] not in json.dumps(document)
    # nor the operator's event about it
    assert "legal_disclosure_recorded" not in json.dumps(document)


def test_the_export_holds_the_users_disclosures_but_not_the_withheld(buyer, operator):
    shown = _partner_handover(buyer)
    record_disclosure(
        user=buyer,
        recipient_kind="authority",
        recipient="Secret Authority",
        fields=["everything"],
        purpose="sealed order",
        reference="SEALED-1",
        recorded_by=operator,
        withheld=True,
    )
    _partner_handover(BuyerFactory())  # someone else's
    document = export.export_data(buyer)
    rows = document["data"]["privacy.Disclosure"]
    assert [row["id"] for row in rows] == [shown.pk]
    assert rows[0]["recipient"] == "Pacific Car Shipping Ltd"
    assert rows[0]["data"] == shown.data
    assert rows[0]["reference"] == "shipment 42"
    text = json.dumps(document)
    assert "SEALED-1" not in text and "Secret Authority" not in text
    assert "privacy.Disclosure" in document["about"]


def test_a_user_sees_only_their_own(login_api, buyer):
    _partner_handover(BuyerFactory())
    assert login_api(buyer).get("privacy/disclosures").json()["count"] == 0


def test_pagination(login_api, buyer):
    for _ in range(3):
        _partner_handover(buyer)
    body = login_api(buyer).get("privacy/disclosures", {"page": 2, "page_size": 2}).json()
    assert body["count"] == 3 and len(body["items"]) == 1


# --- the page --------------------------------------------------------------------------


def test_the_page_lists_the_users_disclosures(client, buyer, operator):
    _partner_handover(buyer)
    record_disclosure(
        user=buyer,
        recipient_kind="authority",
        recipient="Secret Authority",
        fields=["everything"],
        purpose="sealed order",
        recorded_by=operator,
        withheld=True,
    )
    client.force_login(buyer)
    response = client.get(reverse("privacy:disclosures"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Pacific Car Shipping Ltd" in page
    assert "Consignee: name; Consignee: phone" in page
    assert "Secret Authority" not in page
    assert 'name="viewport"' in page  # the base layout: usable on a phone


def test_the_page_is_translated_and_linked_from_the_policy(client, buyer):
    client.force_login(buyer)
    assert reverse("privacy:disclosures") in client.get(reverse("privacy:policy")).content.decode()
    with translation.override("en"):
        empty = client.get(reverse("privacy:disclosures")).content.decode()
    assert "None of your data has been disclosed" in empty


def test_the_page_needs_a_login(client):
    response = client.get(reverse("privacy:disclosures"))
    assert response.status_code == 302


def test_the_disclosure_reads_in_the_buyers_language(login_api, client):
    from ex1000.privacy.disclosures import record_disclosure
    from tests.factories import BuyerFactory

    buyer = BuyerFactory(language="ru")
    record_disclosure(
        user=buyer,
        recipient_kind="logistics_partner",
        recipient="Khorgos Gateway Logistics LLP",
        fields=["consignee.name", "consignee.phone"],
        purpose="deliver the cars to the consignee",
    )
    body = login_api(buyer).get("privacy/disclosures", headers={"Accept-Language": "ru"}).json()
    (item,) = body["items"]
    assert item["data"] == ["consignee.name", "consignee.phone"]  # machine-readable, as stored
    assert item["purpose"] == "deliver the cars to the consignee"
    client.force_login(buyer)
    client.cookies["django_language"] = "ru"
    page = client.get("/privacy/disclosures/").content.decode()
    assert "доставка автомобилей грузополучателю" in page
    assert "Грузополучатель: телефон" in page or "грузополучатель: телефон" in page.lower()
    assert "consignee.phone" not in page
