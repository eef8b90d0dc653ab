"""Consents: one switch per purpose, an append-only ledger, one check for features."""

import pytest
from django.urls import reverse

from ex1000.core.models import Event
from ex1000.core.personal_data import registry, user_linked_models
from ex1000.privacy import selectors, services
from ex1000.privacy.consents import PURPOSES, Purpose
from ex1000.privacy.models import Consent, PolicyVersion
from tests.factories import BuyerFactory
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db


def test_defaults_without_a_ledger_row(buyer):
    assert services.has_consent(buyer, Purpose.LOGISTICS_SHARING)
    assert services.has_consent(buyer, Purpose.OVERSEAS_STORAGE)
    assert not services.has_consent(buyer, Purpose.MARKETING)
    assert not services.has_consent(buyer, "analytics")


def test_accepting_the_policy_at_registration_records_the_default_grants(buyer):
    policy = PolicyVersion.objects.latest()

    services.accept_policy(user=buyer, policy=policy, ip="203.0.113.9", user_agent="UA")

    rows = Consent.objects.filter(user=buyer)
    assert {(r.purpose, r.granted, r.source) for r in rows} == {
        ("logistics_sharing", True, "policy"),
        ("overseas_storage", True, "policy"),
    }
    assert all(r.policy == policy and r.ip == "203.0.113.9" for r in rows)


def test_withdrawal_takes_effect_at_once_and_both_rows_stay_in_the_ledger(buyer):
    services.set_consent(user=buyer, purpose="marketing", granted=True, ip="198.51.100.1")
    assert services.has_consent(buyer, Purpose.MARKETING)

    services.set_consent(user=buyer, purpose="marketing", granted=False, ip="198.51.100.2")

    assert not services.has_consent(buyer, Purpose.MARKETING)
    fresh = BuyerFactory._meta.model.objects.get(pk=buyer.pk)  # another request
    assert not services.has_consent(fresh, Purpose.MARKETING)
    ledger = list(Consent.objects.filter(user=buyer, purpose="marketing").order_by("at", "id"))
    assert [(r.granted, r.ip) for r in ledger] == [(True, "198.51.100.1"), (False, "198.51.100.2")]
    assert ledger[1].policy == PolicyVersion.objects.latest()
    events = Event.objects.filter(subject_type="user", subject_id=str(buyer.pk))
    assert [e.type for e in events.order_by("at", "id")] == ["consent_granted", "consent_withdrawn"]


def test_has_consent_is_one_query_for_every_purpose(buyer, django_assert_num_queries):
    fresh = BuyerFactory._meta.model.objects.get(pk=buyer.pk)
    with django_assert_num_queries(1):
        for purpose in Purpose:
            services.has_consent(fresh, purpose)


def test_repeating_the_current_choice_writes_nothing(buyer):
    services.set_consent(user=buyer, purpose="analytics", granted=True)
    assert services.set_consent(user=buyer, purpose="analytics", granted=True) is None
    assert Consent.objects.filter(user=buyer, purpose="analytics").count() == 1


def test_the_ledger_is_append_only(buyer):
    row = services.set_consent(user=buyer, purpose="analytics", granted=True)
    row.granted = False
    with pytest.raises(ValueError):
        row.save()


def test_the_ledger_is_in_the_personal_data_registry():
    declared = registry()[Consent]

    assert Consent in user_linked_models()
    assert {"purpose", "granted", "at", "ip", "user_agent"} <= set(declared.fields)
    assert all(declared.fields[f].exported for f in ("purpose", "granted", "at"))
    assert declared.undeclared(Consent) == []


def test_logistics_sharing_names_recipients_purpose_and_data():
    text = str(PURPOSES[Purpose.LOGISTICS_SHARING].description)
    for words in ("logistics partner", "consignee name", "receiving address", "VIN"):
        assert words in text


# --- API ---------------------------------------------------------------------


def test_api_lists_every_purpose(login_api, buyer):
    body = login_api(buyer).get("privacy/consents").json()

    assert [c["purpose"] for c in body] == [p.value for p in Purpose]
    first = body[0]
    assert set(first) >= {"purpose", "granted", "required_for", "description", "updated_at"}
    assert first["granted"] is True and first["updated_at"] is None


def test_api_put_withdraws_and_returns_the_list(login_api, buyer):
    client = login_api(buyer)

    response = client.client.put(
        "/api/v1/privacy/consents",
        {"purpose": "logistics_sharing", "granted": False},
        content_type="application/json",
        headers={"Authorization": f"Bearer {client.token}", "User-Agent": "Integrator/1"},
    )

    assert response.status_code == 200, response.content
    state = {c["purpose"]: c for c in response.json()}
    assert state["logistics_sharing"]["granted"] is False
    assert state["logistics_sharing"]["updated_at"]
    assert not services.has_consent(buyer, "logistics_sharing")
    assert Consent.objects.get(user=buyer).user_agent == "Integrator/1"


def test_api_refuses_an_unknown_purpose(login_api, buyer):
    client = login_api(buyer)

    response = client.client.put(
        "/api/v1/privacy/consents",
        {"purpose": "selling_data", "granted": True},
        content_type="application/json",
        headers={"Authorization": f"Bearer {client.token}"},
    )

    body = assert_problem(response, 422, "purpose")
    assert body["code"] == "unknown_consent_purpose"
    assert not Consent.objects.exists()


def test_api_needs_a_login(api):
    assert assert_problem(api.get("privacy/consents"), 401)["code"] == "not_authenticated"


# --- page --------------------------------------------------------------------


def test_page_shows_one_switch_per_purpose(client, buyer):
    client.force_login(buyer)

    page = client.get(reverse("privacy:consents")).content.decode()

    for purpose in Purpose:
        assert f'name="purpose" value="{purpose}"' in page
    assert page.count('type="submit" class="button') >= len(Purpose)


def test_page_switch_works_without_javascript(client, buyer):
    client.force_login(buyer)

    response = client.post(
        reverse("privacy:consents"), {"purpose": "logistics_sharing", "granted": "0"}
    )

    assert response.status_code == 302
    assert not services.has_consent(buyer, "logistics_sharing")
    page = client.get(response["Location"]).content.decode()
    assert "Consent withdrawn" in page


def test_page_switch_with_htmx_returns_the_list(client, buyer):
    client.force_login(buyer)

    response = client.post(
        reverse("privacy:consents"),
        {"purpose": "marketing", "granted": "1"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert 'id="consent-marketing"' in response.content.decode()
    assert services.has_consent(buyer, "marketing")


@pytest.mark.parametrize("language", ["zh-hans", "ar", "ru"])
def test_page_in_other_languages_and_rtl(client, buyer, language):
    buyer.language = language
    buyer.save()
    client.force_login(buyer)

    response = client.get(reverse("privacy:consents"), HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    if language == "ar":
        assert 'dir="rtl"' in response.content.decode()


def test_consent_states_selector_reports_the_latest_row(buyer):
    services.set_consent(user=buyer, purpose="analytics", granted=True)
    services.set_consent(user=buyer, purpose="analytics", granted=False)
    services.set_consent(user=buyer, purpose="analytics", granted=True)

    fresh = BuyerFactory._meta.model.objects.get(pk=buyer.pk)
    assert selectors.consent_states(fresh)[Purpose.ANALYTICS].granted is True
