"""Inquiry behaviour (search, view, estimate, inquiry) is recorded for analytics only with
the user's consent — from the places a buyer really does those things."""

import pytest

from ex1000.privacy.models import BehaviourEvent
from ex1000.privacy.services import set_consent
from tests.quotes import fixtures_inquiries as fx

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(db):
    return fx.rate_book()


def _walk(client, car):
    client.get("/vehicles/", {"make": car.make})
    client.get(f"/vehicles/{car.pk}/")
    client.post(
        "/api/v1/quotes/estimate",
        {"items": [{"vehicle_id": car.pk}], "incoterm": "CIF", "destination": "AEJEA"},
        content_type="application/json",
    )
    client.post("/api/v1/inquiries", fx.inquiry_payload(car), content_type="application/json")


def test_with_the_analytics_consent_each_step_is_one_event(book, client, buyer):
    _seller, [car] = fx.supplier_with_listings(1)
    set_consent(user=buyer, purpose="analytics", granted=True)
    client.force_login(buyer)

    _walk(client, car)

    kinds = list(
        BehaviourEvent.objects.filter(user=buyer).order_by("id").values_list("kind", flat=True)
    )
    assert kinds == ["search", "view", "estimate", "inquiry"]
    view = BehaviourEvent.objects.get(kind="view")
    assert view.data == {"vehicle": car.pk}


def test_without_it_nothing_is_recorded(book, client, buyer):
    _seller, [car] = fx.supplier_with_listings(1)
    client.force_login(buyer)

    _walk(client, car)

    assert not BehaviourEvent.objects.exists()
