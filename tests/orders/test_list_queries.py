"""A page of orders costs a fixed number of queries, however many orders it holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import BuyerFactory
from tests.orders.builders import accepted_order, stub_pdfs

pytestmark = pytest.mark.django_db


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_order_list_does_not_query_per_order(book, login_api, monkeypatch):
    stub_pdfs(monkeypatch)
    buyer = BuyerFactory()
    client = login_api(buyer)
    accepted_order(buyer=buyer)
    accepted_order(buyer=buyer)
    _queries(client, "orders")  # the token's first use records itself once
    two = _queries(client, "orders")
    for _ in range(6):
        accepted_order(buyer=buyer)
    eight = _queries(client, "orders")

    assert eight == two
