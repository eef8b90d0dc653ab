"""The order's documents (orders.md, Documents): the sales contract and proforma invoice
show the parties, VINs, the schedule and the escrow account and render Chinese; the
commercial invoice and packing list exist only after ``ship``; each is rendered once per
language; a proforma cannot be had for a quote without an order; the supplier uploads
export papers, checked by content; only the parties see any of it."""

from __future__ import annotations

from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from ex1000.core.money import display
from ex1000.orders import documents
from ex1000.orders.models import OrderDocument
from tests.factories import BuyerFactory, OperatorFactory, SupplierFactory, UserFactory
from tests.helpers import assert_problem
from tests.orders.builders import accepted_order, pdf_file, stub_pdfs, trade_in_state
from tests.quotes import fixtures_inquiries as fx
from tests.quotes.test_pdf import pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db


def _money(amount, currency, language="en"):
    return display(amount, currency, language)


def _get_pdf(client, order, kind, lang="en"):
    return client.get(f"orders/{order.number}/documents/{kind}.pdf?lang={lang}")


# --- contents -------------------------------------------------------------------------------


def test_the_contract_shows_parties_vehicles_schedule_escrow_and_terms(tmp_path):
    order = accepted_order(payment_terms="30/70")
    document = documents.contract_document(order)

    text = pdf_text(document.file.read(), tmp_path)
    assert "Sales contract" in text and f"SC-{order.number}" in text
    assert order.supplier.name in text
    assert order.buyer.company.name in text and "Kazakhstan" in text
    assert order.buyer.email not in text  # parties by company, never personal contacts
    for vin in order.vins:
        assert vin in text
    assert "CIF Jebel Ali (AEJEA)" in text
    assert _money(order.total, "USD") in text
    assert _money(order.deposit, "USD") in text and _money(order.balance, "USD") in text
    assert order.deposit + order.balance == order.total
    assert settings.ESCROW_ACCOUNT_NUMBER in text and settings.ESCROW_SWIFT in text
    assert f"Payment reference {order.number}" in text
    assert "never asks anyone to pay a supplier directly" in text
    assert f"within {settings.ORDER_CLAIM_DAYS} days of arrival" in text
    assert "Not signed yet" in text


def test_an_f_term_names_the_place_of_origin(book, cars, buyer):
    order = accepted_order(buyer=buyer, cars=cars, incoterm="FOB")
    quote = order.quote

    context = documents.document_context(order, "contract", "en")

    assert quote.origin and quote.origin in context["named_place"]
    assert "AEJEA" not in context["named_place"]


def test_the_contract_in_chinese_renders_chinese_with_an_embedded_cjk_font(tmp_path):
    seller, cars = fx.supplier_with_listings(1, language="zh-hans")
    seller.company.name = "杭州远航汽车出口有限公司"
    seller.company.save()
    order = accepted_order(seller=seller, cars=cars)

    pdf = documents.generated_document(order, "contract", "zh-hans").file.read()

    text = pdf_text(pdf, tmp_path)
    assert "杭州远航汽车出口有限公司" in text
    assert "买家" in text  # "Buyer", from the translations
    assert order.vins[0] in text
    fonts = pdf_fonts(pdf, tmp_path)
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts  # embedded


def test_the_proforma_asks_for_the_deposit_now_and_the_balance_later(tmp_path):
    order = accepted_order(payment_terms="50/50")

    text = pdf_text(documents.generated_document(order, "proforma").file.read(), tmp_path)

    assert "Proforma invoice" in text and f"PI-{order.number}" in text
    assert f"Due now: the deposit, {_money(order.deposit, 'USD')} (50 %)" in text
    assert f"The balance, {_money(order.balance, 'USD')}, is due later" in text
    assert settings.ESCROW_ACCOUNT_NUMBER in text and order.number in text


def test_commercial_invoice_and_packing_list_after_ship(tmp_path, monkeypatch):
    trade = trade_in_state("shipped")
    order = trade.order
    shipment = order.shipments.get()

    invoice = pdf_text(
        documents.generated_document(order, "commercial_invoice").file.read(), tmp_path
    )
    packing = pdf_text(documents.generated_document(order, "packing_list").file.read(), tmp_path)

    for text in (invoice, packing):
        assert shipment.bl_number in text and shipment.container_number in text
        assert "MSC Anna" in text and "9074729" in text
        assert "Gulf Motors Trading LLC" in text and "Gulf Clearing Agents" in text
        assert "receiving@gulfmotors.example" not in text
        for vin in order.vins:
            assert vin in text
    assert _money(order.total, "USD") in invoice
    item = order.items[0]
    assert f"{item['length_mm']} {item['width_mm']} {item['height_mm']}" in packing


# --- rendered once --------------------------------------------------------------------------


def test_a_document_is_rendered_once_per_language(monkeypatch):
    stub_pdfs(monkeypatch)
    order = accepted_order()
    with mock.patch.object(documents, "_render", wraps=documents._render) as render:
        first = documents.generated_document(order, "proforma", "fr")
        again = documents.generated_document(order, "proforma", "fr")
        documents.generated_document(order, "proforma", "ar")

    assert again.pk == first.pk
    assert render.call_count == 2
    assert OrderDocument.objects.filter(order=order, generated=True).count() == 2


def test_the_api_serves_the_kept_rendering(monkeypatch, login_api):
    stub_pdfs(monkeypatch)
    order = accepted_order()
    client = login_api(order.buyer)

    with mock.patch.object(documents, "_render", wraps=documents._render) as render:
        responses = [_get_pdf(client, order, "contract") for _ in range(2)]

    assert render.call_count == 1
    for response in responses:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content) == b"%PDF-1.4 stub"


# --- when which document exists -------------------------------------------------------------


def test_before_ship_there_is_no_commercial_invoice_or_packing_list(monkeypatch, login_api):
    stub_pdfs(monkeypatch)
    order = accepted_order()
    client = login_api(order.buyer)

    listed = client.get(f"orders/{order.number}/documents").json()["items"]
    assert [(d["kind"], d["generated"]) for d in listed] == [
        ("contract", True),
        ("proforma", True),
    ]
    for kind in ("commercial_invoice", "packing_list"):
        body = assert_problem(_get_pdf(client, order, kind), 409)
        assert body["code"] == "document_not_available"
    assert _get_pdf(client, order, "export_licence").status_code == 404


def test_after_ship_all_four_are_listed_in_the_callers_language(monkeypatch, login_api):
    stub_pdfs(monkeypatch)
    trade = trade_in_state("shipped")
    trade.buyer.language = "ru"
    trade.buyer.save()

    listed = login_api(trade.buyer).get(f"orders/{trade.order.number}/documents").json()["items"]

    assert [d["kind"] for d in listed] == [
        "contract",
        "proforma",
        "commercial_invoice",
        "packing_list",
    ]
    assert {d["language"] for d in listed} == {"ru"}
    assert listed[2]["url"].endswith("/commercial_invoice.pdf?lang=ru")


# --- the old proforma of a quote ------------------------------------------------------------


def test_no_proforma_for_a_quote_without_an_order(book, cars, buyer_api):
    quote_id = buyer_api.post("inquiries", fx.inquiry_payload(*cars)).json()["quotes"][0]["id"]

    body = assert_problem(buyer_api.get(f"quotes/{quote_id}/pdf?proforma=true"), 409)

    assert body["code"] == "proforma_needs_order"
    assert buyer_api.get(f"quotes/{quote_id}/pdf").status_code == 200  # the quotation is


def test_the_proforma_of_an_accepted_quote_is_the_orders(monkeypatch, login_api):
    stub_pdfs(monkeypatch)
    order = accepted_order()
    client = login_api(order.buyer)

    response = client.get(f"quotes/{order.quote_id}/pdf?proforma=true&lang=es")

    assert response.status_code == 303
    assert response["Location"] == f"/api/v1/orders/{order.number}/documents/proforma.pdf?lang=es"
    assert client.get(response["Location"]).status_code == 200


# --- who sees them --------------------------------------------------------------------------


def test_the_parties_and_operators_see_the_documents(monkeypatch, login_api):
    stub_pdfs(monkeypatch)
    order = accepted_order()
    colleague = SupplierFactory(company=order.supplier)

    for user in (order.buyer, colleague, OperatorFactory()):
        client = login_api(user)
        assert client.get(f"orders/{order.number}/documents").status_code == 200
        assert _get_pdf(client, order, "contract").status_code == 200


def test_anyone_else_gets_404(monkeypatch, login_api):
    stub_pdfs(monkeypatch)
    trade = trade_in_state("shipped")
    order = trade.order
    partner = UserFactory(role="logistics")
    order.shipments.update(partner=partner.company)
    upload = OrderDocument.objects.create(
        order=order, kind="other", file="x.pdf", size=1, sha256="0" * 64
    )

    for user in (BuyerFactory(), SupplierFactory(), partner):
        client = login_api(user)
        assert_problem(client.get(f"orders/{order.number}/documents"), 404)
        assert_problem(_get_pdf(client, order, "contract"), 404)
        assert_problem(client.get(f"orders/{order.number}/documents/{upload.pk}"), 404)


# --- the supplier's uploads -----------------------------------------------------------------


def _upload(client, order, kind="export_licence", file=None):
    return client.upload(
        f"orders/{order.number}/documents",
        {"kind": kind, "file": file or pdf_file("licence.pdf")},
    )


def test_the_supplier_uploads_an_export_paper_the_buyer_downloads_it(monkeypatch, login_api):
    stub_pdfs(monkeypatch)
    trade = trade_in_state("deposit_paid")
    order = trade.order

    response = _upload(login_api(trade.seller), order)

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["generated"], body["content_type"]) == (
        "export_licence",
        False,
        "application/pdf",
    )
    assert body["size"] > 0 and body["uploaded_at"]
    buyer = login_api(trade.buyer)
    listed = buyer.get(f"orders/{order.number}/documents").json()["items"]
    assert listed[-1]["id"] == body["id"]
    download = buyer.get(body["url"])
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert trade.buyer.notifications.filter(kind="order_document").exists()


def test_only_the_supplier_uploads(monkeypatch, login_api):
    stub_pdfs(monkeypatch)
    order = accepted_order()

    body = assert_problem(_upload(login_api(order.buyer), order), 403)
    assert body["code"] == "not_allowed"
    assert_problem(_upload(login_api(SupplierFactory()), order), 404)


@pytest.mark.parametrize(
    ("kind", "file", "code"),
    [
        ("export_licence", SimpleUploadedFile("a.pdf", b"not a pdf at all"), "unsupported_file"),
        ("export_licence", SimpleUploadedFile("a.pdf", b"%PDF-1.4 broken"), "unsupported_file"),
        ("contract", None, "invalid_document_kind"),
        ("passport", None, "invalid_document_kind"),
    ],
)
def test_bad_uploads_are_refused_with_their_code(monkeypatch, login_api, kind, file, code):
    stub_pdfs(monkeypatch)
    order = accepted_order()

    response = _upload(login_api(_supplier(order)), order, kind=kind, file=file)

    assert assert_problem(response, 422)["code"] == code
    assert not order.documents.filter(generated=False).exists()


def test_a_file_over_10_mb_is_refused(monkeypatch, login_api):
    stub_pdfs(monkeypatch)
    order = accepted_order()
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))

    response = _upload(login_api(_supplier(order)), order, file=big)

    assert assert_problem(response, 422, "file")["code"] == "file_too_large"


def _supplier(order):
    return order.supplier.members.filter(role="supplier").first()


def test_arabic_documents_run_right_to_left(monkeypatch):
    from django.template.loader import render_to_string
    from django.utils import translation

    order = accepted_order()
    with translation.override("ar"):
        html = render_to_string(
            documents.TEMPLATES["proforma"], documents.document_context(order, "proforma", "ar")
        )

    assert 'dir="rtl"' in html and 'lang="ar"' in html


def test_a_cancelled_order_has_no_proforma_but_keeps_its_contract(book, login_api):
    from tests.orders.builders import trade_in_state

    trade = trade_in_state("cancelled")
    client = login_api(trade.buyer)
    base = f"orders/{trade.order.number}/documents"
    assert client.get(f"{base}/contract.pdf").status_code == 200
    refused = client.get(f"{base}/proforma.pdf")
    assert refused.status_code == 409
    assert refused.json()["code"] == "document_not_available"
    assert client.get(f"{base}/packing_list.pdf").status_code == 409
