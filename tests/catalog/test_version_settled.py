"""Search keeps nothing while a change to the catalogue is being committed (PostgreSQL).
The version advances at commit a moment before the change can be seen; an answer read in
that moment would show the old listing under the new version, and be served until the
next change."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connections

from ex1000.catalog import selectors
from tests.factories import VehicleFactory
from tests.quotes.test_kept_answers import kept, read_listings

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def committing(vehicle_id: int):
    """Another connection whose change to this listing is being committed: its commit-time
    triggers have run (SET CONSTRAINTS … IMMEDIATE runs them now) and it is not visible."""
    other = connections.create_connection("default")
    other.set_autocommit(False)
    with other.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_vehicle SET price = price + 1000 WHERE id = %s", [vehicle_id]
        )
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return other


def asking_price(answer) -> Decimal:
    return Decimal(answer.json()["items"][0]["price"]["amount"])


def test_a_change_being_committed_is_shown_once_visible_not_an_answer_kept_from_before(
    postgres_only, api
):
    car = VehicleFactory(price=Decimal("100000"))
    kept(lambda: api.get("vehicles"))

    other = committing(car.pk)
    try:
        assert selectors.catalogue_version() is None
        during = api.get("vehicles")
        assert asking_price(during) == Decimal("100000")  # not visible yet
        _again, read = read_listings(lambda: api.get("vehicles"))
        assert read, "an answer from before the change was kept under its version"
        other.commit()
    finally:
        other.close()

    assert asking_price(api.get("vehicles")) == Decimal("101000")
    assert asking_price(kept(lambda: api.get("vehicles"))) == Decimal("101000")
    assert selectors.catalogue_version() is not None
