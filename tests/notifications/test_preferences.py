"""Notification preferences: per event type, in the app and by email, all on by default;
every sender goes through notify(), which honours them (docs/orders.md, Notifications).
Turning off one notification type stops those notifications and no others."""

import ast
import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from ex1000.notifications.events import KINDS, Event, event_of
from ex1000.notifications.models import Notification, NotificationPreference
from ex1000.notifications.selectors import preferences_of
from ex1000.notifications.services import notify, notify_all, set_preferences
from ex1000.orders.state_machine import Action
from tests.factories import UserFactory
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "ex1000"
ALL_EVENTS = [e.value for e in Event]
URL = "me/notification-preferences"


def _send(user, kind, title="Notice", link="/orders/1/"):
    return notify(user=user, kind=kind, title=gettext_lazy(title), body="Details.", link=link)


def _off(user, event, *, in_app=True, email=True):
    set_preferences(user=user, changes=[{"event": event, "in_app": in_app, "email": email}])


# --- the catalogue ----------------------------------------------------------------------------


def _kinds_in_senders() -> set[str]:
    """Every kind passed to notify()/notify_all() in src; a kind that cannot be read from the
    code (an expression this test does not know) fails, so it gets handled here."""
    found, unknown = set(), []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), str(path))
        constants = {
            t.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for t in node.targets
            if isinstance(t, ast.Name)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in {"notify", "notify_all"}:
                continue
            for kw in node.keywords:
                if kw.arg != "kind":
                    continue
                value = kw.value
                if isinstance(value, ast.Constant):
                    found.add(value.value)
                elif isinstance(value, ast.Name) and value.id in constants:
                    found.add(constants[value.id])
                elif isinstance(value, ast.Name) and value.id == "kind":
                    pass  # notify's own pass-through (notify_all's **notice)
                elif (
                    isinstance(value, ast.JoinedStr)
                    and ast.unparse(value) == "f'order_{action.value}'"
                ):
                    found.update(f"order_{a.value}" for a in Action)
                else:
                    unknown.append(f"{path.relative_to(SRC)}:{node.lineno}: {ast.unparse(value)}")
    assert not unknown, f"kinds this test cannot read; teach it: {unknown}"
    return found


def test_every_kind_a_sender_uses_has_an_event_type():
    used = _kinds_in_senders()
    assert {"quote_ready", "order_created", "shipment_created", "policy_published"} <= used
    assert used - set(KINDS) == set(), "add these kinds to notifications.events.KINDS"


def test_every_event_type_of_the_contract_is_in_the_catalogue():
    assert ALL_EVENTS == [
        "quote",
        "order_action",
        "payment",
        "shipment_created",
        "tracking_event",
        "new_message",
        "verification_result",
        "policy_change",
    ]
    assert all(str(e.label) for e in Event)


def test_a_kind_without_an_event_type_is_refused():
    with pytest.raises(LookupError, match="no_such_kind"):
        _send(UserFactory(), "no_such_kind")
    assert event_of("order_confirm_deposit") is Event.PAYMENT


# --- notify honours the preferences -----------------------------------------------------------


def test_by_default_everything_is_on(django_capture_on_commit_callbacks):
    user = UserFactory()
    assert [(p["event"], p["in_app"], p["email"]) for p in preferences_of(user)] == [
        (event, True, True) for event in ALL_EVENTS
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for kind in ("quote_ready", "order_ship", "payment_rejected", "shipment_created"):
            _send(user, kind, title=kind)
    assert Notification.objects.filter(user=user).count() == 4
    assert len(mail.outbox) == 4


def test_turning_off_one_types_email_stops_that_email_and_no_other(
    django_capture_on_commit_callbacks,
):
    user, other = UserFactory(), UserFactory()
    _off(user, "payment", email=False)

    with django_capture_on_commit_callbacks(execute=True):
        _send(user, "payment_rejected", title="payment rejected")
        _send(user, "order_confirm_deposit", title="deposit confirmed")
        _send(user, "quote_ready", title="quote ready")
        _send(other, "payment_rejected", title="their payment")

    assert sorted(m.subject for m in mail.outbox) == ["quote ready", "their payment"]
    # the in-app notices of the type stay
    assert set(Notification.objects.filter(user=user).values_list("kind", flat=True)) == {
        "payment_rejected",
        "order_confirm_deposit",
        "quote_ready",
    }


def test_in_app_off_leaves_no_row_but_still_emails(django_capture_on_commit_callbacks):
    user = UserFactory()
    _off(user, "shipment_created", in_app=False)

    with django_capture_on_commit_callbacks(execute=True):
        assert _send(user, "shipment_created", title="shipped", link="/orders/7/") is None
        kept = _send(user, "order_ship", title="order shipped")

    assert list(Notification.objects.filter(user=user)) == [kept]
    assert sorted(m.subject for m in mail.outbox) == ["order shipped", "shipped"]
    [email] = [m for m in mail.outbox if m.subject == "shipped"]
    assert email.to == [user.email]
    assert "Details." in email.body and email.body.endswith("/orders/7/")


def test_both_off_sends_nothing(django_capture_on_commit_callbacks):
    user = UserFactory()
    _off(user, "policy_change", in_app=False, email=False)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert notify_all([user], kind="policy_published", title=gettext_lazy("New policy")) == []

    assert callbacks == []
    assert not Notification.objects.filter(user=user).exists()
    assert mail.outbox == []


def test_an_inactive_user_with_in_app_off_gets_nothing(django_capture_on_commit_callbacks):
    user = UserFactory(is_active=False)
    _off(user, "quote", in_app=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert _send(user, "quote_ready") is None
    assert callbacks == [] and mail.outbox == []


# --- API ----------------------------------------------------------------------------------


def test_get_lists_every_event_type_all_on(login_api):
    body = login_api(UserFactory(language="fr")).get(URL)
    assert body.status_code == 200
    rows = body.json()
    assert [r["event"] for r in rows] == ALL_EVENTS
    assert all(r["in_app"] and r["email"] for r in rows)
    assert all(isinstance(r["label"], str) and r["label"] for r in rows)


def test_put_a_list_or_one_object(login_api):
    user = UserFactory()
    client = login_api(user)

    response = client.put(
        URL,
        [
            {"event": "payment", "in_app": True, "email": False},
            {"event": "quote", "in_app": False, "email": False},
        ],
    )
    assert response.status_code == 200, response.content
    rows = {r["event"]: (r["in_app"], r["email"]) for r in response.json()}
    assert rows["payment"] == (True, False)
    assert rows["quote"] == (False, False)
    assert rows["order_action"] == (True, True)

    response = client.put(URL, {"event": "quote", "in_app": True, "email": True})
    assert response.status_code == 200, response.content
    rows = {r["event"]: (r["in_app"], r["email"]) for r in client.get(URL).json()}
    assert rows["quote"] == (True, True)
    assert rows["payment"] == (True, False)  # not named: kept
    assert NotificationPreference.objects.filter(user=user).count() == 2


def test_put_validation(login_api):
    user = UserFactory()
    client = login_api(user)

    body = assert_problem(
        client.put(
            URL,
            [
                {"event": "quote", "in_app": True, "email": False},
                {"event": "nope", "in_app": True, "email": True},
            ],
        ),
        422,
        "event",
    )
    assert body["code"] == "unknown_notification_event"
    assert not NotificationPreference.objects.filter(user=user).exists()  # nothing saved

    body = assert_problem(
        client.put(URL, [{"event": "quote", "in_app": True, "email": True}] * 2), 422, "event"
    )
    assert body["code"] == "duplicate_notification_event"

    for bad, field in (
        ({"event": "quote", "in_app": "yes", "email": True}, "in_app"),
        ({"event": "quote", "in_app": 1, "email": True}, "in_app"),
        ({"event": 5, "in_app": True, "email": True}, "event"),
        ([{"event": "quote"}, {"event": "payment", "email": "no"}], "1.email"),
    ):
        response = client.put(URL, bad)
        assert response.status_code == 422, (bad, response.content)
        assert list(assert_problem(response, 422, field)["errors"]) == [field]
    for malformed in ('"quote"', [1, 2], []):
        assert assert_problem(client.put(URL, malformed), 400)["code"] == "malformed"
    assert not NotificationPreference.objects.filter(user=user).exists()


def test_a_channel_left_out_keeps_its_setting(login_api):
    user = UserFactory()
    client = login_api(user)
    client.put(URL, {"event": "quote", "in_app": False, "email": False})
    response = client.put(URL, {"event": "quote", "email": True})
    assert response.status_code == 200, response.content
    rows = {r["event"]: (r["in_app"], r["email"]) for r in response.json()}
    assert rows["quote"] == (False, True)
    response = client.put(URL, [{"event": "payment", "in_app": None, "email": False}])
    rows = {r["event"]: (r["in_app"], r["email"]) for r in response.json()}
    assert rows["payment"] == (True, False)  # None, like left out: unchanged (on)


def test_preferences_need_a_login(api):
    assert api.get(URL).status_code == 401
    assert api.put(URL, {"event": "quote", "in_app": True, "email": True}).status_code == 401


def test_the_openapi_description_documents_the_body():
    from ex1000.api import api

    operation = api.get_openapi_schema()["paths"]["/api/v1/me/notification-preferences"]["put"]
    assert "list of them" in operation["description"]


# --- the profile page -------------------------------------------------------------------------


def test_the_profile_page_shows_and_saves_the_preferences(client):
    user = UserFactory(language="ar")
    client.force_login(user)
    client.cookies["django_language"] = "ar"
    url = reverse("accounts:profile")

    html = client.get(url).content.decode()
    assert 'id="notifications"' in html
    for event in ALL_EVENTS:
        assert f'name="{event}-in_app"' in html and f'name="{event}-email"' in html

    ticked = {f"{e}-in_app": "on" for e in ALL_EVENTS} | {f"{e}-email": "on" for e in ALL_EVENTS}
    del ticked["payment-email"], ticked["new_message-in_app"]
    response = client.post(url, {"form": "notifications", **ticked})
    assert response.status_code == 302
    assert response["Location"].endswith("#notifications")

    rows = {p["event"]: (p["in_app"], p["email"]) for p in preferences_of(user)}
    assert rows["payment"] == (True, False)
    assert rows["new_message"] == (False, True)
    assert all(v == (True, True) for k, v in rows.items() if k not in {"payment", "new_message"})

    html = client.get(url).content.decode()
    boxes = re.findall(r'<input type="checkbox" name="([\w-]+)"[^>]*?( checked)?>', html)
    unticked = {name for name, checked in boxes if not checked}
    assert len(boxes) == 2 * len(ALL_EVENTS)
    assert unticked == {"payment-email", "new_message-in_app"}
    assert '<html lang="ar" dir="rtl">' in html
    with translation.override("ar"):
        assert str(Event.PAYMENT.label) in html
