"""Idempotency-Key: a retried creation returns the first response and creates nothing more."""

import pytest

from ex1000.core import idempotency
from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError
from ex1000.core.idempotency import request_hash, run_once
from ex1000.core.models import IdempotencyRecord
from ex1000.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Creator:
    """A creation that leaves a row behind each time it runs."""

    def __init__(self, user):
        self.user = user
        self.runs = 0

    def __call__(self):
        self.runs += 1
        row = Notification.objects.create(user=self.user, kind="created", title=str(self.runs))
        return 201, {"id": row.pk, "run": self.runs}


@pytest.fixture
def user(db):
    return UserFactory()


def _run(user, create, *, key="key-1", endpoint="/api/v1/things", payload=None):
    return run_once(
        user=user, key=key, endpoint=endpoint, payload=payload or {"a": 1}, create=create
    )


def test_without_a_key_every_request_creates(user):
    create = Creator(user)

    _run(user, create, key=None)
    _run(user, create, key=None)

    assert create.runs == 2
    assert not IdempotencyRecord.objects.exists()


def test_the_same_key_replays_the_first_response(user):
    create = Creator(user)

    first = _run(user, create)
    again = _run(user, create)

    assert first == (201, {"id": first[1]["id"], "run": 1}, False)
    assert again == (201, first[1], True)
    assert create.runs == 1
    assert Notification.objects.count() == 1
    record = IdempotencyRecord.objects.get()
    assert (record.key, record.endpoint, record.status) == ("key-1", "/api/v1/things", 201)
    assert record.request_hash == request_hash({"a": 1})


def test_the_same_key_with_a_different_request_is_refused(user):
    create = Creator(user)
    _run(user, create, payload={"a": 1})

    with pytest.raises(AppError) as caught:
        _run(user, create, payload={"a": 2})

    assert caught.value.status == 422
    assert caught.value.code == CoreError.IDEMPOTENCY_KEY_REUSED
    assert "Idempotency-Key" in caught.value.errors
    assert create.runs == 1


def test_the_hash_ignores_key_order():
    assert request_hash({"a": 1, "b": [1, 2]}) == request_hash({"b": [1, 2], "a": 1})
    assert request_hash({"a": 1}) != request_hash({"a": 2})


def test_keys_are_scoped_to_user_and_endpoint(user):
    create = Creator(user)
    other = UserFactory()

    _run(user, create)
    _run(other, Creator(other))
    _run(user, create, endpoint="/api/v1/other-things")

    assert create.runs == 2
    assert IdempotencyRecord.objects.count() == 3


@pytest.mark.parametrize("key", ["", "   ", "k" * 256, "clé", "a\tb"])
def test_malformed_keys_are_refused(user, key):
    with pytest.raises(AppError) as caught:
        _run(user, Creator(user), key=key)

    assert caught.value.code == CoreError.IDEMPOTENCY_KEY_INVALID

    assert not Notification.objects.exists()


def test_a_key_of_255_characters_is_fine(user):
    assert _run(user, Creator(user), key="k" * 255)[0] == 201


def test_a_failed_creation_stores_nothing_and_may_be_retried(user):
    def refuse():
        Notification.objects.create(user=user, kind="half-done", title="x")
        raise AppError(CoreError.CONFLICT)

    with pytest.raises(AppError):
        _run(user, refuse)

    assert not IdempotencyRecord.objects.exists()
    assert not Notification.objects.exists()  # rolled back with the failure
    assert _run(user, Creator(user))[2] is False


def test_a_concurrent_winner_is_answered_and_the_losers_creation_undone(user, monkeypatch):
    """Both requests missed each other's record; the second insert hits the constraint."""
    winner = IdempotencyRecord.objects.create(
        user=user,
        key="key-1",
        endpoint="/api/v1/things",
        request_hash=request_hash({"a": 1}),
        status=201,
        body={"id": 1, "run": "winner"},
    )
    lookups = []
    real = idempotency._stored

    def miss_first(scope):
        lookups.append(scope)
        return None if len(lookups) == 1 else real(scope)

    monkeypatch.setattr(idempotency, "_stored", miss_first)
    create = Creator(user)

    status, body, replayed = _run(user, create)

    assert (status, body, replayed) == (201, winner.body, True)
    assert create.runs == 1
    assert not Notification.objects.exists()  # the loser's row went with its transaction
    assert IdempotencyRecord.objects.count() == 1
