"""Quotation and proforma invoice PDFs: every line, every amount, the total, in the buyer's
language, with a CJK font embedded; served only to the parties."""

import os
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from ex1000.core.money import display
from ex1000.quotes.options import QuoteOptions as Options
from ex1000.quotes.pdf import document_context, quote_number, render_quote_pdf
from ex1000.quotes.presentation import line_label
from tests.factories import BuyerFactory, OperatorFactory, SupplierFactory
from tests.quotes.builders import issue_quote

pytestmark = pytest.mark.django_db

DISCOUNT = {"label": "Loyalty discount", "amount": "-250.00"}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        # .ci/run installs poppler-utils and sets REQUIRE_BROWSER: there, a missing tool fails.
        if os.environ.get("REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail(f"{name} is missing: apt-get install poppler-utils")
        pytest.skip(f"{name} is missing (apt-get install poppler-utils)")
    return path


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "quote.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return " ".join(out.split())  # table cells wrap: compare with single spaces


def pdf_fonts(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [_tool("pdffonts"), str(path)], capture_output=True, check=True, text=True
    ).stdout


def flat(text: str) -> str:
    return " ".join(str(text).split())


@pytest.fixture
def quote(rate_book):
    return issue_quote(book=rate_book, adjustments=[DISCOUNT], note="Price held for a week.")


def assert_every_line(text: str, quote, language: str) -> None:
    with translation.override(language):
        for line in quote.lines:
            assert flat(line_label(line)) in text, line_label(line)
            assert display(Decimal(line["amount"]), quote.currency, language) in text, line
            unit = display(Decimal(line["unit_amount"]), quote.currency, language)
            assert unit in text, line
        assert display(quote.total, quote.currency, language) in text


def test_quotation_in_chinese_has_every_line_amount_and_total(quote, tmp_path):
    pdf = render_quote_pdf(quote, language="zh-hans")

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert "报价单" in text
    assert "车辆价格" in text  # "Vehicle price"
    assert "Loyalty discount" in text  # the supplier's own wording stays as written
    assert quote_number(quote) in text
    assert quote.inquiry.items.get().vehicle.vin in text
    assert "TEST-1" in text
    assert_every_line(text, quote, "zh-hans")
    assert sum(Decimal(line["amount"]) for line in quote.lines) == quote.total


def test_the_pdf_embeds_a_cjk_font(quote, tmp_path):
    fonts = pdf_fonts(render_quote_pdf(quote, language="zh-hans"), tmp_path)

    assert "NotoSansCJK" in fonts.replace("-", ""), fonts


def test_quotation_in_english_names_parties_terms_and_provenance(quote, tmp_path):
    text = pdf_text(render_quote_pdf(quote, language="en"), tmp_path)

    assert "Quotation" in text and "Proforma invoice" not in text
    inquiry = quote.inquiry
    assert inquiry.buyer.company.name in text
    assert inquiry.supplier.name in text
    assert "Verified" in text
    assert "CIF" in text and "Jebel Ali (AEJEA)" in text and "Shanghai (CNSHA)" in text
    assert "RoRo" in text
    assert "30 % deposit, 70 % before shipment" in text
    assert "Price held for a week." in text
    assert "figures from the rate book in force on" in text.lower()
    assert "(version TEST-1)" in text
    # Under CIF the buyer pays unloading, import clearance and duties: said, not priced.
    assert "Not included: under CIF these are for the buyer" in text
    assert "Import duty" in text
    assert_every_line(text, quote, "en")


def test_a_not_eligible_quote_says_why(rate_book, tmp_path):
    quote = issue_quote(
        book=rate_book,
        quantity=1,
        options=Options(incoterm="CIF", destination="KEMBA", mode="roro", currency="USD"),
    )
    assert not quote.eligible

    text = pdf_text(render_quote_pdf(quote, language="en"), tmp_path)

    assert "Not eligible for import to the destination" in text
    assert "KE admits only right-hand drive" in text


def test_a_quotation_asks_for_no_payment(quote, tmp_path):
    """Payment is asked for by the order's proforma (deposit now), never by a quote."""
    text = pdf_text(render_quote_pdf(quote, language="en"), tmp_path)

    assert "Proforma" not in text
    assert "Pay " not in text
    assert "All payments go to the EX1000 escrow account only." in text


# --- GET /api/v1/quotes/{id}/pdf and the page --------------------------------------------


def test_the_buyer_downloads_the_pdf_in_their_language(quote, login_api, tmp_path):
    buyer = quote.inquiry.buyer
    buyer.language = "zh-hans"
    buyer.save()

    response = login_api(buyer).get(f"quotes/{quote.pk}/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert quote_number(quote) in response["Content-Disposition"]
    assert "报价单" in pdf_text(response.content, tmp_path)


def test_lang_and_proforma_parameters(quote, login_api, tmp_path):
    # Issue 6: the proforma is the order's; a quote without an order has none (the
    # order's proforma is tested in tests/orders/test_documents.py).
    response = login_api(quote.inquiry.buyer).get(f"quotes/{quote.pk}/pdf?proforma=true&lang=en")

    assert response.status_code == 409
    assert response.json()["code"] == "proforma_needs_order"


def test_an_accepted_quote_points_to_its_orders_proforma(quote, login_api):
    from ex1000.orders import services as order_services

    buyer = quote.inquiry.buyer
    order = order_services.accept_quote(quote=quote, buyer=buyer)
    response = login_api(buyer).get(f"quotes/{quote.pk}/pdf?proforma=true&lang=fr")

    assert response.status_code == 303
    assert response["Location"] == f"/api/v1/orders/{order.number}/documents/proforma.pdf?lang=fr"


def test_an_unknown_language_is_refused(quote, login_api):
    response = login_api(quote.inquiry.buyer).get(f"quotes/{quote.pk}/pdf?lang=xx")

    assert response.status_code == 422


def test_the_parties_get_the_pdf_others_get_404(quote, login_api, api):
    supplier_colleague = SupplierFactory(company=quote.inquiry.supplier)
    for party in (quote.inquiry.buyer, supplier_colleague, OperatorFactory()):
        assert login_api(party).get(f"quotes/{quote.pk}/pdf").status_code == 200, party
    for stranger in (BuyerFactory(), SupplierFactory()):
        response = login_api(stranger).get(f"quotes/{quote.pk}/pdf")
        assert response.status_code == 404, stranger
        assert response["Content-Type"].startswith("application/problem+json")
    assert login_api(BuyerFactory()).get("quotes/999999/pdf").status_code == 404
    assert api.get(f"quotes/{quote.pk}/pdf").status_code == 401


def test_the_openapi_document_lists_the_pdf_operation(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    operation = paths["/api/v1/quotes/{quote_id}/pdf"]["get"]
    assert "application/pdf" in operation["responses"]["200"]["content"]


def test_the_pdf_page_uses_the_session(quote, client):
    client.force_login(quote.inquiry.buyer)

    response = client.get(f"/quotes/{quote.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(BuyerFactory())
    assert client.get(f"/quotes/{quote.pk}/pdf/").status_code == 404
    client.logout()
    assert client.get(f"/quotes/{quote.pk}/pdf/").status_code == 302


def test_printing_leaves_pillow_strict_about_truncated_images(quote):
    """WeasyPrint's import switches Pillow's global on; the catalogue's photo checks need it
    off (a truncated upload must be refused in a process that has printed a PDF)."""
    from PIL import ImageFile

    render_quote_pdf(quote, language="en")

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


@pytest.mark.parametrize(
    ("term", "place"), [("FOB", "FOB Shanghai (CNSHA)"), ("CIF", "CIF Jebel Ali (AEJEA)")]
)
def test_the_document_names_the_place_of_the_incoterm(rate_book, term, place):
    """FOB names the port of origin, not the destination ("FOB Jebel Ali" was the bug)."""
    quote = issue_quote(
        book=rate_book,
        options=Options(
            incoterm=term, destination="AEJEA", origin="CNSHA", mode="roro", currency="USD"
        ),
    )
    with translation.override("en"):
        context = document_context(quote)
    assert context["incoterm_place"] == place
    html = render_to_string("quotes/quote_pdf.html", {**context, "escrow": {}})
    assert place in html and "FOB Jebel Ali" not in html
