"""Policy versions: publishing announces them; a material one must be accepted again
before anything else (API 428, pages redirect); a non-material one does not block."""

import pytest
from django.core import mail
from django.urls import reverse

from ex1000.notifications.models import Notification
from ex1000.privacy import selectors, services
from ex1000.privacy.models import PolicyAcceptance, PolicyVersion
from tests.factories import BuyerFactory
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db

POLICY_URL = "/privacy/policy/"


def publish(version="2", material=True, **extra):
    return services.publish_policy(
        version=version,
        text="# New terms\nMore care.",
        material=material,
        summary="Longer retention of invoices.",
        notify=False,
        **extra,
    )


@pytest.fixture
def buyer_api(login_api, buyer):
    return login_api(buyer)  # logged in before the change


def test_material_version_answers_428_with_the_policy_link(buyer_api):
    publish()

    body = assert_problem(buyer_api.get("orders"), 428)

    assert body["code"] == "policy_acceptance_required"
    assert body["type"].endswith("policy_acceptance_required")
    assert body["policy_url"] == POLICY_URL
    assert body["version"] == "2"
    assert "2" in body["detail"]


def test_material_version_blocks_session_api_calls_too(client, buyer):
    client.force_login(buyer)
    publish()

    response = client.get("/api/v1/orders")

    assert response.status_code == 428
    assert response.json()["policy_url"] == POLICY_URL


def test_a_blocked_call_changes_nothing(buyer_api, buyer):
    publish()

    assert buyer_api.patch("me", {"name": "Changed"}).status_code == 428
    buyer.refresh_from_db()
    assert buyer.name != "Changed"


def test_accepting_through_the_api_unblocks(buyer_api, buyer):
    publish()
    assert buyer_api.get("orders").status_code == 428

    accepted = buyer_api.post("privacy/policy/accept")

    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["version"] == "2"
    assert buyer_api.get("orders").status_code == 200
    assert PolicyAcceptance.objects.filter(user=buyer, policy__version="2").exists()


def test_exempt_while_blocked(buyer_api):
    publish()

    assert buyer_api.get("privacy/policy").status_code == 200
    assert buyer_api.get("privacy/consents").status_code == 200
    assert buyer_api.get("me").status_code == 200
    assert buyer_api.delete("auth/token").status_code in (200, 204)


def test_non_material_version_does_not_block(buyer_api, client, buyer):
    publish(material=False)

    assert buyer_api.get("orders").status_code == 200
    client.force_login(buyer)
    assert client.get(reverse("orders:list")).status_code == 200


def test_accepting_a_later_version_satisfies_the_material_one(buyer_api):
    publish("2", material=True)
    publish("3", material=False)

    assert buyer_api.get("orders").status_code == 428
    assert buyer_api.post("privacy/policy/accept").json()["version"] == "3"
    assert buyer_api.get("orders").status_code == 200


def test_users_who_join_after_the_change_are_not_blocked(login_api):
    publish()
    newcomer = BuyerFactory()  # registered under version 2

    assert login_api(newcomer).get("orders").status_code == 200


def test_anonymous_requests_are_not_blocked(api, client):
    publish()

    assert api.get("vehicles").status_code == 200
    assert client.get("/").status_code == 200


def test_the_check_costs_one_query(buyer, client, django_assert_num_queries):
    publish()
    selectors.blocking_policy()  # cached, as it is after the first request
    user = BuyerFactory._meta.model.objects.get(pk=buyer.pk)

    with django_assert_num_queries(1):
        assert selectors.acceptance_pending(user) is not None


def test_pages_redirect_to_the_policy_and_return_after_accepting(client, buyer):
    client.force_login(buyer)
    publish()
    orders = reverse("orders:list")

    response = client.get(orders)

    assert response.status_code == 302
    assert response["Location"] == f"{POLICY_URL}?next=%2Forders%2F"
    page = client.get(response["Location"]).content.decode()
    assert 'action="/privacy/policy/accept/"' in page
    assert 'name="next" value="/orders/"' in page
    accepted = client.post(reverse("privacy:accept_policy"), {"next": orders})
    assert accepted.status_code == 302 and accepted["Location"] == orders
    assert client.get(orders).status_code == 200


def test_accept_refuses_to_return_to_another_site(client, buyer):
    client.force_login(buyer)
    publish()

    accepted = client.post(reverse("privacy:accept_policy"), {"next": "https://evil.example/"})

    assert accepted["Location"] == "/"


def test_htmx_requests_are_sent_to_the_policy_page(client, buyer):
    client.force_login(buyer)
    publish()

    response = client.get(reverse("orders:list"), HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(POLICY_URL)


def test_the_privacy_centre_and_logout_stay_reachable(client, buyer):
    client.force_login(buyer)
    publish()

    assert client.get(reverse("privacy:consents")).status_code == 200
    assert client.get(POLICY_URL).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("orders:list")).status_code == 302  # logged out: login page


# --- publishing ----------------------------------------------------------------


def test_ops_endpoint_publishes_and_notifies_every_active_user(
    login_api, operator, buyer, supplier, django_capture_on_commit_callbacks
):
    gone = BuyerFactory(is_active=False)
    buyer.language = "zh-hans"
    buyer.save()
    ops = login_api(operator)

    with django_capture_on_commit_callbacks(execute=True):
        response = ops.post(
            "ops/policy-versions",
            {
                "version": "2",
                "text": "# Terms v2",
                "material": True,
                "summary": "New partners.",
                "translations": {"zh-hans": "# 条款 v2"},
            },
        )

    assert response.status_code == 201, response.content
    assert response.json()["material"] is True
    assert PolicyVersion.objects.latest().translations == {"zh-hans": "# 条款 v2"}
    told = set(Notification.objects.filter(kind="policy_published").values_list("user", flat=True))
    assert told == {operator.pk, buyer.pk, supplier.pk}
    assert gone.pk not in told
    assert len(mail.outbox) == 3
    chinese = Notification.objects.get(user=buyer, kind="policy_published")
    assert "2" in chinese.title  # rendered in zh-hans once the translation pass has run
    assert chinese.link == POLICY_URL
    # and now the operator too must accept it
    assert ops.get("ops/verifications").status_code == 428


@pytest.mark.parametrize("who", ["buyer", "supplier"])
def test_ops_endpoint_is_for_operators_only(login_api, request, who):
    response = login_api(request.getfixturevalue(who)).post(
        "ops/policy-versions", {"version": "2", "text": "x", "material": True}
    )

    assert assert_problem(response, 403)["code"] == "operators_only"
    assert not PolicyVersion.objects.filter(version="2").exists()


def test_ops_endpoint_needs_a_login(api):
    response = api.post("ops/policy-versions", {"version": "2", "text": "x"})

    assert assert_problem(response, 401)["code"] == "not_authenticated"


def test_a_version_is_published_once(login_api, operator):
    ops = login_api(operator)
    current = PolicyVersion.objects.latest().version

    response = ops.post("ops/policy-versions", {"version": current, "text": "Other text"})

    assert assert_problem(response, 409)["code"] == "policy_version_exists"


def test_unknown_translation_language_is_refused(login_api, operator):
    response = login_api(operator).post(
        "ops/policy-versions", {"version": "2", "text": "x", "translations": {"xx": "y"}}
    )

    assert assert_problem(response, 422, "translations")["code"] == "validation"


def test_publishing_in_the_admin_goes_through_the_service(
    client, operator, buyer, django_capture_on_commit_callbacks
):
    client.force_login(operator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:privacy_policyversion_add"),
            {
                "version": "2",
                "material": "on",
                "summary": "Admin",
                "text": "# v2",
                "translations": "{}",
            },
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert PolicyVersion.objects.latest().version == "2"
    assert Notification.objects.filter(user=buyer, kind="policy_published").exists()


# --- translations --------------------------------------------------------------


def test_chinese_policy_page_shows_the_translation_marked_as_such(client):
    page = client.get(POLICY_URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "隐私政策" in page
    assert 'lang="zh-hans"' in page
    assert "?original=1" in page


def test_other_languages_show_the_binding_english_text_with_a_note(client):
    page = client.get(POLICY_URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "EX1000 Privacy Policy" in page
    assert 'lang="en" dir="ltr"' in page


def test_the_api_serves_the_translations(api):
    body = api.get("privacy/policy").json()

    assert "zh-hans" in body["translations"]


def test_admin_keeps_published_text_and_accepts_translations_later(client, operator):
    client.force_login(operator)
    client.post(
        reverse("admin:privacy_policyversion_add"),
        {"version": "2", "summary": "A", "text": "# v2", "translations": ""},
    )
    policy = PolicyVersion.objects.get(version="2")
    assert policy.translations == {}

    response = client.post(
        reverse("admin:privacy_policyversion_change", args=[policy.pk]),
        {"translations": '{"zh-hans": "# 第二版"}', "text": "tampered"},
    )

    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.translations == {"zh-hans": "# 第二版"} and policy.text == "# v2"
    assert client.get(reverse("admin:privacy_consent_changelist")).status_code == 200


def test_admin_refuses_translations_into_unknown_languages(client, operator):
    client.force_login(operator)

    response = client.post(
        reverse("admin:privacy_policyversion_add"),
        {"version": "2", "summary": "A", "text": "# v2", "translations": '{"xx": "y"}'},
    )

    assert response.status_code == 200
    assert not PolicyVersion.objects.filter(version="2").exists()
