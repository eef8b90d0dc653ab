"""Privacy requests and complaints: tickets due in 15 days, the operator's queue and
decisions, the two-step deletion that locks the account, feedback from anyone, and
corrections of locked data with an audit record."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation

from ex1000.accounts.models import ApiToken
from ex1000.core.models import Event
from ex1000.privacy import hooks, tickets
from ex1000.privacy.models import PrivacyRequest, RequestStatus
from tests.factories import PASSWORD, BuyerFactory, SupplierFactory
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db


def _code_from(message) -> str:
    """The confirmation code: the indented line of the email."""
    lines = [line.strip() for line in message.body.splitlines() if line.startswith("    ")]
    assert len(lines) == 1, message.body
    return lines[0]


def _deletion(api, capture):
    with capture(execute=True):
        response = api.post("privacy/requests", {"type": "deletion"})
    assert response.status_code == 201, response.content
    return response.json()


# ---------------------------------------------------------------- tickets and their due date


def test_a_complaint_is_due_in_15_days(login_api, buyer):
    before = timezone.now()
    response = login_api(buyer).post(
        "privacy/requests", {"type": "complaint", "text": "A supplier called me at night."}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["type"] == "complaint"
    assert body["status"] == "pending"
    assert body["days_left"] == 15
    assert body["overdue"] is False
    ticket = PrivacyRequest.objects.get(pk=body["id"])
    assert ticket.user == buyer
    assert ticket.due_at - ticket.created_at == timedelta(days=15)
    assert ticket.created_at >= before
    opened = Event.objects.get(subject_type="privacyrequest", subject_id=str(ticket.pk))
    assert (opened.type, opened.to_state) == ("privacy_request.opened", "pending")
    assert opened.actor == buyer


def test_days_left_counts_down_and_goes_negative_when_overdue(buyer):
    ticket = tickets.open_request(user=buyer, type="access")
    start = ticket.created_at

    assert ticket.days_left(start + timedelta(hours=1)) == 15
    assert ticket.days_left(start + timedelta(days=10, hours=1)) == 5
    assert ticket.days_left(ticket.due_at) == 0
    assert ticket.days_left(ticket.due_at + timedelta(hours=2)) == -1
    assert ticket.days_overdue(ticket.due_at + timedelta(days=2, hours=2)) == 3
    assert ticket.is_overdue(ticket.due_at + timedelta(seconds=1))
    ticket.status = RequestStatus.COMPLETED
    assert ticket.days_left() is None


def test_a_user_lists_only_their_own_requests(login_api, buyer):
    tickets.open_request(user=buyer, type="access")
    tickets.open_request(user=buyer, type="complaint", text="Too many emails.")
    tickets.open_request(user=BuyerFactory(), type="access")

    body = login_api(buyer).get("privacy/requests", {"page_size": 1}).json()

    assert body["count"] == 2
    assert body["page"] == 1 and body["page_size"] == 1
    assert [item["type"] for item in body["items"]] == ["complaint"]  # newest first
    assert set(body["items"][0]) >= {"id", "status", "due_at", "days_left"}


def test_requests_need_a_login_and_a_known_type(api, login_api, buyer):
    assert assert_problem(api.post("privacy/requests", {"type": "access"}), 401)
    client = login_api(buyer)
    body = assert_problem(client.post("privacy/requests", {"type": "gossip"}), 422, "type")
    assert body["code"] == "invalid_choice"
    body = assert_problem(client.post("privacy/requests", {"type": "complaint"}), 422)
    assert "text" in body["errors"]


# ---------------------------------------------------------------- the operator's queue


def test_only_operators_see_the_queue_and_decide(api, login_api, buyer, supplier):
    ticket = tickets.open_request(user=buyer, type="access")

    assert_problem(api.get("ops/privacy/requests"), 401)
    for user in (buyer, supplier):
        client = login_api(user)
        assert assert_problem(client.get("ops/privacy/requests"), 403)["code"] == "operators_only"
        response = client.post(
            f"ops/privacy/requests/{ticket.pk}/decision", {"decision": "complete"}
        )
        assert assert_problem(response, 403)["code"] == "operators_only"
    ticket.refresh_from_db()
    assert ticket.status == RequestStatus.PENDING


def test_the_queue_is_oldest_due_first_with_days_left(login_api, operator, buyer):
    late = tickets.open_request(user=buyer, type="access")
    early = tickets.open_request(user=BuyerFactory(), type="complaint", text="Spam calls.")
    PrivacyRequest.objects.filter(pk=early.pk).update(due_at=timezone.now() + timedelta(days=3))
    tickets.open_request(user=buyer, type="deletion")

    client = login_api(operator)
    body = client.get("ops/privacy/requests", {"status": "pending"}).json()

    assert [item["id"] for item in body["items"]] == [early.pk, late.pk]
    assert [item["days_left"] for item in body["items"]] == [3, 15]
    assert body["items"][1]["user_email"] == buyer.email
    complaints = client.get("ops/privacy/requests", {"type": "complaint"}).json()
    assert [item["id"] for item in complaints["items"]] == [early.pk]
    waiting = client.get("ops/privacy/requests", {"status": "awaiting_confirmation"}).json()
    assert waiting["count"] == 1
    assert_problem(client.get("ops/privacy/requests", {"status": "lost"}), 422, "status")


def test_a_refusal_needs_a_reason(login_api, operator, buyer):
    ticket = tickets.open_request(user=buyer, type="access")
    client = login_api(operator)
    url = f"ops/privacy/requests/{ticket.pk}/decision"

    body = assert_problem(client.post(url, {"decision": "refuse", "reason": "  "}), 422, "reason")
    assert body["code"] == "reason_required"
    ticket.refresh_from_db()
    assert ticket.status == RequestStatus.PENDING

    response = client.post(url, {"decision": "refuse", "reason": "We hold nothing else."})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "refused"
    assert response.json()["reason"] == "We hold nothing else."
    again = client.post(url, {"decision": "complete"})
    assert assert_problem(again, 409)["code"] == "request_closed"


def test_the_answer_is_emailed_in_the_requesters_language(
    login_api, operator, django_capture_on_commit_callbacks
):
    russian = BuyerFactory(language="ru")
    ticket = tickets.open_request(user=russian, type="complaint", text="Жалоба")
    created = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    PrivacyRequest.objects.filter(pk=ticket.pk).update(created_at=created)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = login_api(operator).post(
            f"ops/privacy/requests/{ticket.pk}/decision",
            {"decision": "refuse", "reason": "Not our supplier.", "reply": "Call the police."},
        )

    assert response.status_code == 200, response.content
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [russian.email]
    with translation.override("ru"):
        russian_date = formats.date_format(created, "DATE_FORMAT")
    assert russian_date != formats.date_format(created, "DATE_FORMAT")
    assert russian_date in message.body
    assert "Not our supplier." in message.body and "Call the police." in message.body
    events = Event.objects.filter(subject_type="privacyrequest", subject_id=str(ticket.pk))
    decided = events.get(type="privacy_request.decided")
    assert (decided.from_state, decided.to_state, decided.actor) == ("pending", "refused", operator)


def test_an_operator_takes_a_ticket_then_completes_it(login_api, operator, buyer):
    ticket = tickets.open_request(user=buyer, type="access")
    client = login_api(operator)
    url = f"ops/privacy/requests/{ticket.pk}/decision"

    assert client.post(url, {"decision": "start"}).json()["status"] == "in_progress"
    body = client.post(url, {"decision": "complete", "reply": "Export sent."}).json()

    assert body["status"] == "completed"
    assert body["days_left"] is None
    assert body["handled_by"] == operator.pk
    types = list(
        Event.objects.filter(subject_type="privacyrequest", subject_id=str(ticket.pk)).values_list(
            "type", flat=True
        )
    )
    assert types == ["privacy_request.opened", "privacy_request.started", "privacy_request.decided"]


# ---------------------------------------------------------------- corrections


def test_an_approved_correction_changes_locked_company_data_with_an_audit_record(
    login_api, operator
):
    supplier = SupplierFactory()  # verified: the company name is locked
    old_name = supplier.company.name
    response = login_api(supplier).post(
        "privacy/requests",
        {
            "type": "correction",
            "text": "We were renamed.",
            "field": "company_name",
            "value": "Ningbo Motors Export Co., Ltd.",
        },
    )
    assert response.status_code == 201, response.content
    ticket_id = response.json()["id"]
    supplier.company.refresh_from_db()
    assert supplier.company.name == old_name  # nothing changes before the operator approves

    decided = login_api(operator).post(
        f"ops/privacy/requests/{ticket_id}/decision", {"decision": "complete"}
    )

    assert decided.status_code == 200, decided.content
    supplier.company.refresh_from_db()
    assert supplier.company.name == "Ningbo Motors Export Co., Ltd."
    audit = Event.objects.get(type="personal_data.corrected")
    assert (audit.subject_type, audit.subject_id) == ("user", str(supplier.pk))
    assert audit.actor == operator
    assert audit.parameters == {
        "field": "company_name",
        "old": old_name,
        "new": "Ningbo Motors Export Co., Ltd.",
        "request": ticket_id,
    }


def test_a_correction_of_a_user_field_is_applied_generically(login_api, operator, buyer):
    ticket = tickets.open_request(user=buyer, type="correction", field="name", value="Aigerim B.")

    tickets.decide_request(request_id=ticket.pk, operator=operator, decision="complete")

    buyer.refresh_from_db()
    assert buyer.name == "Aigerim B."
    assert Event.objects.filter(type="personal_data.corrected", subject_id=str(buyer.pk)).exists()


def test_a_correction_names_a_correctable_field(login_api, buyer):
    client = login_api(buyer)
    for field in ("password", "is_staff", "role"):
        response = client.post(
            "privacy/requests", {"type": "correction", "field": field, "value": "x"}
        )
        assert assert_problem(response, 422, "field")["code"] == "field_not_correctable"
    response = client.post("privacy/requests", {"type": "correction", "field": "name"})
    assert_problem(response, 422, "value")
    response = client.post(
        "privacy/requests", {"type": "correction", "field": "email", "value": "not-an-address"}
    )
    assert assert_problem(response, 422, "value")["code"] == "correction_invalid"


def test_a_correction_that_no_longer_fits_is_refused_and_nothing_changes(operator, buyer):
    other = BuyerFactory()
    ticket = tickets.open_request(
        user=buyer, type="correction", field="email", value=other.email.upper()
    )

    with pytest.raises(tickets.AppError) as refused:
        tickets.decide_request(request_id=ticket.pk, operator=operator, decision="complete")

    assert refused.value.code == "correction_invalid"
    ticket.refresh_from_db()
    buyer.refresh_from_db()
    assert ticket.status == RequestStatus.PENDING
    assert buyer.email != other.email


# ---------------------------------------------------------------- deletion, twice confirmed


def test_deletion_waits_for_the_emailed_code_in_the_users_language(
    login_api, django_capture_on_commit_callbacks
):
    user = BuyerFactory(language="ru")
    mail.outbox.clear()

    body = _deletion(login_api(user), django_capture_on_commit_callbacks)

    assert body["status"] == "awaiting_confirmation"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    ticket = PrivacyRequest.objects.get(pk=body["id"])
    assert ticket.confirmation_expires_at - ticket.created_at == timedelta(hours=24)
    with translation.override("ru"):
        until = formats.date_format(ticket.confirmation_expires_at, "DATETIME_FORMAT")
    assert until in message.body
    code = _code_from(message)
    assert code == tickets.deletion_token(ticket)
    assert code not in str(list(PrivacyRequest.objects.values()))  # only a nonce is stored
    user.refresh_from_db()
    assert user.is_active


def test_a_wrong_or_expired_code_is_refused(login_api, buyer, django_capture_on_commit_callbacks):
    client = login_api(buyer)
    body = _deletion(client, django_capture_on_commit_callbacks)
    url = f"privacy/requests/{body['id']}/confirm"

    wrong = assert_problem(client.post(url, {"token": "0" * 24}), 422, "token")
    assert wrong["code"] == "confirmation_invalid"
    assert assert_problem(client.post(url, {"token": ""}), 422)["code"] == "confirmation_invalid"

    code = _code_from(mail.outbox[-1])
    PrivacyRequest.objects.filter(pk=body["id"]).update(
        confirmation_expires_at=timezone.now() - timedelta(seconds=1)
    )
    expired = assert_problem(client.post(url, {"token": code}), 422, "token")
    assert expired["code"] == "confirmation_expired"
    buyer.refresh_from_db()
    assert buyer.is_active
    assert PrivacyRequest.objects.get(pk=body["id"]).status == RequestStatus.AWAITING_CONFIRMATION


def test_asking_again_sends_a_new_code_and_voids_the_old(
    login_api, buyer, django_capture_on_commit_callbacks
):
    client = login_api(buyer)
    first = _deletion(client, django_capture_on_commit_callbacks)
    old_code = _code_from(mail.outbox[-1])
    second = _deletion(client, django_capture_on_commit_callbacks)

    assert second["id"] == first["id"]
    new_code = _code_from(mail.outbox[-1])
    assert new_code != old_code
    url = f"privacy/requests/{first['id']}/confirm"
    assert assert_problem(client.post(url, {"token": old_code}), 422)["code"] == (
        "confirmation_invalid"
    )
    assert client.post(url, {"token": new_code}).status_code == 200


def test_another_users_deletion_cannot_be_confirmed(
    login_api, buyer, django_capture_on_commit_callbacks
):
    body = _deletion(login_api(buyer), django_capture_on_commit_callbacks)
    code = _code_from(mail.outbox[-1])

    response = login_api(BuyerFactory()).post(
        f"privacy/requests/{body['id']}/confirm", {"token": code}
    )

    assert_problem(response, 404)
    buyer.refresh_from_db()
    assert buyer.is_active


def test_confirming_schedules_the_erasure_and_locks_the_account_at_once(
    api, login_api, buyer, settings, django_capture_on_commit_callbacks
):
    settings.PRIVACY_DELETION_GRACE_DAYS = 7
    client = login_api(buyer)
    browser = Client()
    browser.force_login(buyer)
    assert browser.get("/api/v1/me").status_code == 200
    body = _deletion(client, django_capture_on_commit_callbacks)
    code = _code_from(mail.outbox[-1])

    response = client.post(f"privacy/requests/{body['id']}/confirm", {"token": code})

    assert response.status_code == 200, response.content
    confirmed = response.json()
    assert confirmed["status"] == "scheduled"
    ticket = PrivacyRequest.objects.get(pk=body["id"])
    assert ticket.scheduled_for - ticket.confirmed_at == timedelta(days=7)
    assert ticket.confirmation_nonce == ""
    buyer.refresh_from_db()
    assert not buyer.is_active
    assert not ApiToken.objects.filter(user=buyer, revoked_at__isnull=True).exists()
    # the token, the session and a new login all fail
    assert_problem(client.get("me"), 401)
    assert_problem(browser.get("/api/v1/me"), 401)
    login = api.post("auth/token", {"email": buyer.email, "password": PASSWORD})
    assert_problem(login, 403)
    assert login.json()["code"] == "deletion_scheduled"
    assert_problem(api.post("auth/token", {"email": buyer.email, "password": "wrong!"}), 401)
    page = Client().post(reverse("accounts:login"), {"email": buyer.email, "password": PASSWORD})
    assert page.status_code == 200 and "_auth_user_id" not in page.client.session
    assert Event.objects.filter(type="account.locked", subject_id=str(buyer.pk)).exists()
    assert Event.objects.filter(
        type="privacy_request.confirmed", from_state="awaiting_confirmation", to_state="scheduled"
    ).exists()


def _scheduled(buyer) -> PrivacyRequest:
    ticket = tickets.open_request(user=buyer, type="deletion")
    tickets.confirm_deletion(user=buyer, request_id=ticket.pk, token=tickets.deletion_token(ticket))
    return ticket


def test_logging_in_again_on_the_page_cancels_the_deletion(buyer):
    ticket = _scheduled(buyer)
    browser = Client()
    form = {"email": buyer.email, "password": PASSWORD}
    refused = browser.post(reverse("accounts:login"), form)
    text = refused.content.decode()
    assert "_auth_user_id" not in browser.session
    assert "will be erased on" in text and 'type="checkbox" name="cancel_deletion"' in text
    # The wrong password learns nothing about the deletion.
    wrong = Client().post(reverse("accounts:login"), {**form, "password": "not-it-at-all"})
    assert "will be erased" not in wrong.content.decode()

    done = browser.post(reverse("accounts:login"), {**form, "cancel_deletion": "on"}, follow=True)
    assert browser.session.get("_auth_user_id") == str(buyer.pk)
    assert "deletion of your account is cancelled" in done.content.decode()
    ticket.refresh_from_db()
    buyer.refresh_from_db()
    assert ticket.status == RequestStatus.CANCELLED and buyer.is_active
    assert tickets.process_due_deletions(now=timezone.now() + timedelta(days=30))["due"] == 0
    assert Event.objects.filter(type="privacy_request.cancelled", subject_id=str(ticket.pk))


def test_the_api_cancels_only_when_asked(api, buyer):
    ticket = _scheduled(buyer)
    old_tokens = ApiToken.objects.filter(user=buyer).count()
    body = {"email": buyer.email, "password": PASSWORD, "cancel_deletion": True}
    assert_problem(api.post("auth/token", {**body, "password": "wrong-password"}), 401)
    response = api.post("auth/token", body)
    assert response.status_code == 200, response.content
    ticket.refresh_from_db()
    assert ticket.status == RequestStatus.CANCELLED
    assert ApiToken.objects.filter(user=buyer, revoked_at__isnull=True).count() == 1
    assert ApiToken.objects.filter(user=buyer).count() == old_tokens + 1


def test_an_erased_account_cannot_be_reopened(api, buyer, settings):
    settings.PRIVACY_DELETION_GRACE_DAYS = 0
    _scheduled(buyer)
    email = buyer.email
    assert tickets.process_due_deletions()["erased"] == 1
    body = {"email": email, "password": PASSWORD, "cancel_deletion": True}
    assert_problem(api.post("auth/token", body), 401)


def test_a_scheduled_deletion_is_not_asked_twice_nor_decided_by_an_operator(operator, buyer):
    ticket = tickets.open_request(user=buyer, type="deletion")
    with pytest.raises(tickets.AppError) as refused:
        tickets.decide_request(request_id=ticket.pk, operator=operator, decision="complete")
    assert refused.value.code == "decided_by_erasure"

    tickets.confirm_deletion(user=buyer, request_id=ticket.pk, token=tickets.deletion_token(ticket))

    with pytest.raises(tickets.AppError) as again:
        tickets.open_request(user=buyer, type="deletion")
    assert again.value.code == "deletion_already_scheduled"
    with pytest.raises(tickets.AppError) as late:
        tickets.decide_request(
            request_id=ticket.pk, operator=operator, decision="refuse", reason="Open order."
        )
    assert late.value.code == "decided_by_erasure"


def test_a_due_deletion_waits_for_what_blocks_it_then_erases(buyer, settings, monkeypatch):
    settings.PRIVACY_DELETION_GRACE_DAYS = 0
    ticket = tickets.open_request(user=buyer, type="deletion")
    tickets.confirm_deletion(user=buyer, request_id=ticket.pk, token=tickets.deletion_token(ticket))
    monkeypatch.setattr(hooks, "erasure_blockers", [lambda user: ["EX-2026-000123"]])

    result = tickets.process_due_deletions()
    assert (result["due"], result["erased"], result["waiting"]) == (1, 0, 1)
    ticket.refresh_from_db()
    assert ticket.status == RequestStatus.SCHEDULED

    monkeypatch.setattr(hooks, "erasure_blockers", [])
    result = tickets.process_due_deletions()
    assert (result["due"], result["erased"], result["waiting"]) == (1, 1, 0)
    ticket.refresh_from_db()
    buyer.refresh_from_db()
    assert ticket.status == RequestStatus.COMPLETED
    assert buyer.email == f"deleted-user-{buyer.pk}@erased.invalid"
    assert tickets.process_due_deletions()["due"] == 0


# ---------------------------------------------------------------- feedback from anyone


def test_a_visitor_sends_feedback_with_an_email(api, login_api, operator):
    body = assert_problem(api.post("feedback", {"text": "Your site is slow."}), 422, "email")
    assert body["code"] == "contact_email_required"
    assert_problem(api.post("feedback", {"text": "Hi", "email": "nope"}), 422, "email")
    assert_problem(api.post("feedback", {"email": "a@example.com", "text": ""}), 422, "text")

    response = api.post(
        "feedback",
        {"type": "complaint", "text": "Someone used my photo.", "email": "visitor@example.org"},
        headers={"Accept-Language": "fr"},
    )

    assert response.status_code == 201, response.content
    ticket = PrivacyRequest.objects.get(pk=response.json()["id"])
    assert ticket.user is None
    assert (ticket.type, ticket.contact_email, ticket.language) == (
        "complaint",
        "visitor@example.org",
        "fr",
    )
    queue = login_api(operator).get("ops/privacy/requests", {"type": "complaint"}).json()
    assert queue["items"][0]["contact_email"] == "visitor@example.org"


def test_the_anonymous_requester_gets_the_answer_by_email(
    api, operator, django_capture_on_commit_callbacks
):
    response = api.post("feedback", {"text": "Question.", "email": "visitor@example.org"})
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        tickets.decide_request(
            request_id=response.json()["id"], operator=operator, decision="complete", reply="Yes."
        )

    assert [m.to for m in mail.outbox] == [["visitor@example.org"]]
    assert "Yes." in mail.outbox[0].body


def test_feedback_of_a_logged_in_user_is_theirs(api, login_api, buyer):
    response = login_api(buyer).post("feedback", {"text": "Great cars."})

    assert response.status_code == 201, response.content
    ticket = PrivacyRequest.objects.get(pk=response.json()["id"])
    assert (ticket.user, ticket.contact_email, ticket.type) == (buyer, "", "feedback")
    bad_token = api.post("feedback", {"text": "x"}, headers={"Authorization": "Bearer nope"})
    assert_problem(bad_token, 401)


def test_feedback_is_rate_limited(api, settings):
    settings.PRIVACY_FEEDBACK_PER_HOUR = 2
    payload = {"text": "Hello", "email": "visitor@example.org"}

    assert api.post("feedback", payload).status_code == 201
    assert api.post("feedback", payload).status_code == 201
    limited = api.post("feedback", payload)
    body = assert_problem(limited, 429)

    assert body["code"] == "rate_limited"
    assert int(limited["Retry-After"]) > 0
    assert PrivacyRequest.objects.count() == 2


# ---------------------------------------------------------------- pages


def test_my_requests_page_opens_a_request_and_lists_it(client, buyer):
    client.force_login(buyer)
    url = reverse("privacy:requests")

    response = client.post(url, {"type": "complaint", "text": "Wrong price shown."})

    assert response.status_code == 302
    ticket = PrivacyRequest.objects.get(user=buyer)
    page = client.get(url).content.decode()
    assert f'data-request="{ticket.pk}"' in page
    assert "Wrong price shown." in page
    assert 'data-days-left="15"' in page
    assert "countdown-green" in page


def test_the_deletion_is_confirmed_on_the_page_and_logs_out(
    client, buyer, django_capture_on_commit_callbacks
):
    client.force_login(buyer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:requests"), {"type": "deletion"})
    ticket = PrivacyRequest.objects.get(user=buyer)
    assert response["Location"] == reverse("privacy:confirm_deletion", args=[ticket.pk])
    confirm_url = response["Location"]

    wrong = client.post(confirm_url, {"token": "not-it"})
    assert wrong.status_code == 200
    buyer.refresh_from_db()
    assert buyer.is_active

    done = client.post(confirm_url, {"token": _code_from(mail.outbox[-1])})

    assert done.status_code == 302
    buyer.refresh_from_db()
    assert not buyer.is_active
    assert "_auth_user_id" not in client.session


def test_the_ops_queue_shows_countdowns_to_staff_only(client, operator, buyer):
    fresh = tickets.open_request(user=buyer, type="access")
    amber = tickets.open_request(user=buyer, type="complaint", text="Calls.")
    red = tickets.open_request(user=buyer, type="complaint", text="Spam.")
    late = tickets.open_request(user=buyer, type="complaint", text="Old.")
    now = timezone.now()
    PrivacyRequest.objects.filter(pk=amber.pk).update(due_at=now + timedelta(days=7))
    PrivacyRequest.objects.filter(pk=red.pk).update(due_at=now + timedelta(days=3))
    PrivacyRequest.objects.filter(pk=late.pk).update(due_at=now - timedelta(days=2, hours=1))

    client.force_login(buyer)
    assert client.get(reverse("ops:privacy_requests")).status_code == 404
    client.force_login(operator)
    page = client.get(reverse("ops:privacy_requests")).content.decode()

    positions = [page.index(f'data-request="{t.pk}"') for t in (late, red, amber, fresh)]
    assert positions == sorted(positions)  # the answer due soonest first
    assert page.count("countdown-red") == 2
    assert page.count("countdown-amber") == 1
    assert page.count("countdown-green") == 1
    assert "overdue by 3 days" in page


def test_an_operator_refuses_and_completes_from_the_page(client, operator, buyer):
    ticket = tickets.open_request(user=buyer, type="complaint", text="Calls.")
    client.force_login(operator)
    detail = reverse("ops:privacy_request", args=[ticket.pk])
    decide = reverse("ops:decide_privacy_request", args=[ticket.pk])

    assert "Calls." in client.get(detail).content.decode()
    client.post(decide, {"decision": "refuse", "reason": ""})
    ticket.refresh_from_db()
    assert ticket.status == RequestStatus.PENDING

    response = client.post(decide, {"decision": "complete", "reply": "We blocked the supplier."})

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.reply, ticket.handled_by) == (
        RequestStatus.COMPLETED,
        "We blocked the supplier.",
        operator,
    )
