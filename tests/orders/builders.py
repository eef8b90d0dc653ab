"""Orders in any state of the state machine, built the way the product builds them: an
inquiry through the API, acceptance, then the services (perform, submit_payment,
set_consignee, create_shipment) with the right actor at each step.

    trade = trade_in_state("balance_paid")      # order, buyer, seller, operator
    order = order_in_state("shipped", payment_terms="50/50")

Signing renders the English contract (WeasyPrint, ~1 s); tests that do not look at PDFs
can call ``stub_pdfs(monkeypatch)`` first.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfWriter

from ex1000.accounts.models import User
from ex1000.core.money import quantize
from ex1000.orders import services
from ex1000.orders.models import Order, OrderStatus
from ex1000.quotes.models import QuoteVersion, RateBook
from tests.factories import BuyerFactory, OperatorFactory, VehicleFactory
from tests.quotes import fixtures_inquiries as fx

# The path through the state machine to each state (cancelled and disputed branch off).
PATH = (
    OrderStatus.PENDING_CONTRACT,
    OrderStatus.AWAITING_DEPOSIT,
    OrderStatus.DEPOSIT_PAID,
    OrderStatus.EXPORT_PROCESSING,
    OrderStatus.BALANCE_PAID,
    OrderStatus.SHIPPED,
    OrderStatus.ARRIVED,
    OrderStatus.COMPLETED,
    OrderStatus.SETTLED,
)
BRANCHES = {OrderStatus.CANCELLED: OrderStatus.PENDING_CONTRACT, OrderStatus.DISPUTED: "shipped"}

CONSIGNEE = {
    "name": "Omar Haddad",
    "company": "Gulf Motors Trading LLC",
    "address": "Warehouse 12, Al Quoz Industrial Area 3",
    "city": "Dubai",
    "country": "AE",
    "phone": "+971 50 123 4567",
    "email": "receiving@gulfmotors.example",
    "notify_party": "Gulf Clearing Agents, Jebel Ali Free Zone",
}
SHIPMENT = {
    "provider_name": "MSC",
    "mode": "roro",
    "bl_number": "MEDUJ1234567",
    "container_number": "CSQU3054383",
    "vessel_name": "MSC Anna",
    "vessel_imo": "9074729",
    "voyage": "FA612W",
}


@dataclass
class Trade:
    order: Order
    buyer: User
    seller: User
    operator: User

    def refresh(self) -> Trade:
        self.order = Order.objects.get(pk=self.order.pk)
        return self


STUB_PDF = b"%PDF-1.4 stub"


def stub_pdfs(monkeypatch) -> None:
    """Generated documents without WeasyPrint: for tests about anything but the PDFs."""
    monkeypatch.setattr("ex1000.orders.documents._render", lambda order, kind, lang: STUB_PDF)


def pdf_file(name: str = "proof.pdf", *, pages: int = 1) -> SimpleUploadedFile:
    """A real (blank) PDF, as an upload."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def accepted_order(
    *,
    buyer: User | None = None,
    seller: User | None = None,
    cars: list | None = None,
    quantity: int = 1,
    **inquiry: Any,
) -> Order:
    """An inquiry asked through the API (CIF Jebel Ali by RoRo in USD unless changed)
    and its first version accepted: an order in ``pending_contract``."""
    if not RateBook.objects.exists():
        fx.rate_book()
    if cars is None and seller is None:
        seller, cars = fx.supplier_with_listings(2)
    elif cars is None:
        cars = [VehicleFactory(company=seller.company, city="Hangzhou", quantity=3)]
    buyer = buyer or BuyerFactory()
    client = Client()
    client.force_login(buyer)
    response = client.post(
        "/api/v1/inquiries",
        fx.inquiry_payload(*cars, quantity=quantity, **inquiry),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    quote = QuoteVersion.objects.get(pk=response.json()["quotes"][0]["id"])
    return services.accept_quote(quote=quote, buyer=buyer)


def _seller_of(order: Order) -> User:
    return User.objects.filter(company_id=order.supplier_id, role="supplier").first()


def _advance(trade: Trade, to: str) -> None:
    order, buyer, seller, operator = trade.order, trade.buyer, trade.seller, trade.operator

    def act(action: str, actor: User, **params: Any) -> None:
        services.perform(order=order, action=action, actor=actor, params=params)

    if to == OrderStatus.AWAITING_DEPOSIT:
        act("sign", buyer)
        act("sign", seller)
    elif to == OrderStatus.DEPOSIT_PAID:
        payment = services.submit_payment(
            order=order,
            buyer=buyer,
            kind="deposit",
            amount=str(quantize(order.deposit, order.currency)),
            currency=order.currency,
            reference="TT-DEPOSIT-1",
            file=pdf_file(),
        )
        act("confirm_deposit", operator, payment=payment.pk)
    elif to == OrderStatus.EXPORT_PROCESSING:
        act("start_export", seller)
    elif to == OrderStatus.BALANCE_PAID:
        payment = services.submit_payment(
            order=order,
            buyer=buyer,
            kind="balance",
            amount=str(quantize(order.balance, order.currency)),
            currency=order.currency,
            reference="TT-BALANCE-1",
            file=pdf_file(),
        )
        act("confirm_balance", operator, payment=payment.pk)
    elif to == OrderStatus.SHIPPED:
        from ex1000.logistics.services import create_shipment

        services.set_consignee(order=order, buyer=buyer, data=CONSIGNEE)
        create_shipment(order=order, actor=seller, data=dict(SHIPMENT))
        act("ship", seller)
    elif to == OrderStatus.ARRIVED:
        act("arrive", seller)
    elif to == OrderStatus.COMPLETED:
        act("complete", buyer)
    elif to == OrderStatus.SETTLED:
        act("settle", operator)
    elif to == OrderStatus.CANCELLED:
        act("cancel", buyer, reason="Changed our plans.")
    elif to == OrderStatus.DISPUTED:
        act("dispute", buyer, reason="The second car has a damaged bumper.")
    trade.refresh()


def trade_in_state(status: str, *, operator: User | None = None, **accept: Any) -> Trade:
    """An order brought to ``status`` through the state machine, with its parties."""
    status = OrderStatus(status)
    order = accepted_order(**accept)
    trade = Trade(
        order=order,
        buyer=order.buyer,
        seller=accept.get("seller") or _seller_of(order),
        operator=operator or OperatorFactory(),
    )
    target = OrderStatus(BRANCHES.get(status, status))
    for state in PATH[1 : PATH.index(target) + 1]:
        _advance(trade, state)
    if status in BRANCHES:
        _advance(trade, status)
    assert trade.order.status == status, (trade.order.status, status)
    return trade


def order_in_state(status: str, **accept: Any) -> Order:
    return trade_in_state(status, **accept).order
