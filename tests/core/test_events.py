"""The event log is append-only: a record is written once and never changed or removed."""

import pytest

from ex1000.core.events import events_of, record_event
from tests.factories import BuyerFactory

pytestmark = pytest.mark.django_db


def test_a_record_is_written_once_and_never_changed_or_deleted():
    buyer = BuyerFactory()
    event = record_event(("order", 7), "sign", actor=buyer, note="signed", party="buyer")

    assert [e.type for e in events_of(("order", 7))] == ["sign"]
    assert (event.actor_role, event.parameters) == ("buyer", {"party": "buyer"})
    event.note = "changed"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert events_of(("order", 7)).get().note == "signed"


def test_the_system_is_an_actor_without_a_user():
    event = record_event(("order", 8), "complete")
    assert (event.actor, event.actor_role, event.actor_label) == (None, "system", "")
