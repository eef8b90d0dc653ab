"""A car is never sold twice, and one order has one transition at a time — proven on
PostgreSQL with real concurrent transactions (SQLite serialises writers anyway)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from ex1000.catalog.models import ListingStatus, Vehicle
from ex1000.core.errors import AppError
from ex1000.orders import services
from ex1000.orders.models import Order, OrderStatus, Payment
from ex1000.quotes import services as quote_services
from tests.factories import BuyerFactory, OperatorFactory
from tests.orders.test_trade import proof
from tests.quotes import fixtures_inquiries as fx

pytestmark = pytest.mark.django_db(transaction=True)


def _race(workers):
    """Run the callables at the same moment, each in its own connection."""
    start = threading.Barrier(len(workers))
    results: list = [None] * len(workers)

    def run(i, work):
        try:
            start.wait(timeout=20)
            results[i] = work()
        except AppError as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _quote(buyer, car, quantity=1):
    inquiry = quote_services.submit_inquiry(
        buyer=buyer,
        items=[(car.pk, quantity)],
        incoterm="CIF",
        destination="AEJEA",
        mode="roro",
        currency="USD",
    )
    return inquiry.quotes.get()


def test_ten_buyers_one_listing_of_three(postgres_only):
    fx.rate_book()
    _seller, [car] = fx.supplier_with_listings(1)  # quantity 3
    buyers = [BuyerFactory() for _ in range(10)]
    quotes = [_quote(b, car) for b in buyers]

    results = _race(
        [
            (lambda q=q, b=b: services.accept_quote(quote=q, buyer=b))
            for q, b in zip(quotes, buyers, strict=True)
        ]
    )

    orders = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, AppError)]
    assert len(orders) == 3, results
    assert len(refused) == 7
    assert {(e.status, e.code.value) for e in refused} == {(409, "vehicle_unavailable")}
    assert Order.objects.count() == 3
    car.refresh_from_db()
    assert (car.quantity_reserved, car.quantity_available) == (3, 0)
    assert car.status == ListingStatus.RESERVED
    # nothing of a refused acceptance is kept: its inquiry is still open
    accepted = {o.quote.inquiry_id for o in orders}
    assert all(q.inquiry.status == "open" for q in quotes if q.inquiry_id not in accepted)


def test_the_database_itself_refuses_overselling(postgres_only):
    _seller, [car] = fx.supplier_with_listings(1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vehicle.objects.filter(pk=car.pk).update(quantity_reserved=2, quantity_sold=2)


def test_two_concurrent_deposit_confirmations_have_one_winner(postgres_only):
    fx.rate_book()
    _seller, [car] = fx.supplier_with_listings(1)
    buyer = BuyerFactory()
    order = services.accept_quote(quote=_quote(buyer, car), buyer=buyer)
    from ex1000.accounts.models import User

    seller = User.objects.filter(company_id=order.supplier_id).first()
    services.perform(order=order, action="sign", actor=buyer)
    services.perform(order=order, action="sign", actor=seller)
    payment = services.submit_payment(
        order=order,
        buyer=buyer,
        kind="deposit",
        amount=str(order.deposit),
        currency=order.currency,
        reference="TT-1",
        file=proof(),
    )
    operators = [OperatorFactory(), OperatorFactory()]

    results = _race(
        [
            (
                lambda op=op: services.perform(
                    order=order, action="confirm_deposit", actor=op, params={"payment": payment.pk}
                )
            )
            for op in operators
        ]
    )

    winners = [r for r in results if isinstance(r, Order)]
    losers = [r for r in results if isinstance(r, AppError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].status == 409
    order.refresh_from_db()
    assert order.status == OrderStatus.DEPOSIT_PAID
    assert Payment.objects.get(pk=payment.pk).status == "confirmed"
    from ex1000.core.events import events_of

    assert [e.type for e in events_of(order)].count("confirm_deposit") == 1
    assert sum(p.amount for p in Payment.objects.filter(status="confirmed")) == Decimal(
        order.deposit
    )
