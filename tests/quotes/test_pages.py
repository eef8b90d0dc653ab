"""Quote pages: the vehicle calculator, landed prices on search, inquiries, revising and
accepting, as buyers, suppliers and strangers use them."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ex1000.core.money import display
from ex1000.orders.models import Order
from ex1000.quotes import adapter, preferences
from ex1000.quotes.models import Inquiry, InquiryStatus, QuoteVersion
from ex1000.quotes.options import QuoteOptions
from tests.factories import BuyerFactory, OperatorFactory, SupplierFactory, VehicleFactory

pytestmark = pytest.mark.django_db

CIF_JEBEL_ALI = {"incoterm": "CIF", "destination": "AEJEA", "mode": "roro", "currency": "USD"}


@pytest.fixture
def book(rate_book):
    return rate_book


@pytest.fixture
def seller():
    return SupplierFactory()


@pytest.fixture
def car(seller):
    return VehicleFactory(company=seller.company, quantity=3)


def price(vehicle, quantity=1, **options):
    chosen = QuoteOptions(**{**CIF_JEBEL_ALI, **options})
    return adapter.price(items=[(vehicle, quantity)], options=chosen)[0]


def money(amount, currency="USD", language="en"):
    return display(Decimal(amount), currency, language)


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def calculator(client, vehicle, **params):
    return client.get(
        reverse("quotes:calculator", args=[vehicle.pk]),
        {**CIF_JEBEL_ALI, "quantity": 1, **params},
        headers={"HX-Request": "true"},
    )


# --- the calculator ------------------------------------------------------------------------


def test_the_vehicle_page_prices_cif_jebel_ali_by_default(client, book, car):
    quote = price(car)

    response = client.get(reverse("catalog:vehicle_detail", args=[car.pk]))

    assert response.status_code == 200
    text = text_of(response)
    for line in quote.lines:
        assert money(line.amount) in text
    assert f"Total (CIF) {money(quote.total)}" in text
    assert "Cargo insurance" in text
    assert "Buyer's side, not included" in text


def test_the_calculator_shows_every_line_and_who_pays_it(client, book, car):
    response = calculator(client, car, incoterm="FOB")

    assert response.status_code == 200
    html = response.content.decode()
    quote = price(car, incoterm="FOB")
    assert {line.code for line in quote.lines} == {
        "vehicle_price",
        "platform_fee",
        "inland",
        "export",
        "handling",
    }
    for line in quote.lines:
        row = re.search(rf'<tr data-code="{line.code}">(.*?)</tr>', html, re.S).group(1)
        assert money(line.amount) in row
        assert "In the price" in row
    for code in ("main_carriage", "insurance", "unloading", "import_clearance", "duty", "vat"):
        row = re.search(rf'<tr class="buyer-side" data-code="{code}">(.*?)</tr>', html, re.S)
        assert row and "Buyer's side, not included" in row.group(1), code
    assert f"Total (FOB) {money(quote.total)}" in text_of(response)
    assert response["HX-Push-Url"].startswith(f"/vehicles/{car.pk}/?")


def test_the_calculator_shows_eligibility_reasons_and_validity(client, book, car):
    response = calculator(client, car, incoterm="DDP", destination="KEMBA")

    text = text_of(response)
    quote = price(car, incoterm="DDP", destination="KEMBA")
    assert not quote.eligible
    assert "Not eligible" in text
    assert "KE admits only right-hand drive" in text
    assert "Import duty" in text and "Import VAT" in text
    assert "Inspection" in text  # Kenya requires the pre-shipment inspection
    assert f"Total (DDP) {money(quote.total)}" in text
    assert "Valid until" in text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"incoterm": "FOB", "mode": "rail"}, "FOB is for sea transport only"),
        ({"destination": "KZALA"}, "No origin has rates for the whole route to KZALA by RoRo"),
        ({"incoterm": "DAP", "named_place": "Atlantis"}, "no rate for onward carriage"),
    ],
)
def test_a_refusal_shows_the_engine_message(client, book, car, params, message):
    response = calculator(client, car, **params)

    assert response.status_code == 200
    text = text_of(response)
    assert "This request cannot be priced." in text or "Check the options above." in text
    assert message in text


@pytest.mark.parametrize(
    "params",
    [
        {"destination": "NOWHERE"},
        {"incoterm": "XYZ"},
        {"quantity": "0"},
        {"quantity": "4"},  # 3 in stock
        {"quantity": "lots"},
        {"currency": "BTC"},
    ],
)
def test_bad_options_are_explained_never_a_500(client, book, car, params):
    response = calculator(client, car, **params)

    assert response.status_code == 200
    assert "Check the options above." in text_of(response)
    page = client.get(reverse("catalog:vehicle_detail", args=[car.pk]), {**CIF_JEBEL_ALI, **params})
    assert page.status_code == 200


def test_without_javascript_the_page_shows_the_chosen_result(client, book, car):
    response = client.get(
        reverse("catalog:vehicle_detail", args=[car.pk]),
        {**CIF_JEBEL_ALI, "incoterm": "CFR", "quantity": "2", "insurance": "on"},
    )

    quote = price(car, quantity=2, incoterm="CFR", insurance=True)
    assert f"Total (CFR) {money(quote.total)}" in text_of(response)
    assert re.search(
        r'<input type="checkbox" name="insurance"[^>]*checked', response.content.decode()
    )
    # A plain GET of the partial (no htmx) goes to the page with the same options.
    plain = client.get(reverse("quotes:calculator", args=[car.pk]), CIF_JEBEL_ALI)
    assert plain.status_code == 302
    assert plain["Location"].startswith(f"/vehicles/{car.pk}/?destination=AEJEA")


def test_without_a_rate_book_the_page_says_so(client, car):
    response = client.get(reverse("catalog:vehicle_detail", args=[car.pk]))

    assert response.status_code == 200
    assert "no rate book has been imported" in text_of(response)
    assert calculator(client, car).status_code == 200


def test_the_calculator_remembers_the_choice_for_the_next_vehicle(client, book, car, seller):
    calculator(client, car, incoterm="FOB", currency="EUR")
    other = VehicleFactory(company=seller.company)

    response = client.get(reverse("catalog:vehicle_detail", args=[other.pk]))

    quote = price(other, incoterm="FOB", currency="EUR")
    assert f"Total (FOB) {money(quote.total, 'EUR')}" in text_of(response)


# --- landed prices on search ----------------------------------------------------------------

PICK_KEMBA = {
    "lp": "1",
    "lp_destination": "KEMBA",
    "lp_incoterm": "CIF",
    "lp_mode": "roro",
    "lp_currency": "USD",
}


def test_cards_show_the_landed_price_the_quote_would_give(client, book, seller):
    cars = [
        VehicleFactory(company=seller.company, price=Decimal(p), steering="RHD", year=2022)
        for p in ("98000", "118000", "176500")
    ]

    response = client.get(reverse("catalog:search"), PICK_KEMBA)

    text = text_of(response)
    for vehicle in cars:
        total = price(vehicle, destination="KEMBA").total
        assert money(total) in text
    assert "Landed prices: CIF Mombasa (KEMBA)" in text
    assert "Not eligible" not in text
    html = response.content.decode()
    assert f"/vehicles/{cars[0].pk}/?destination=KEMBA&amp;incoterm=CIF" in html


def test_not_eligible_cars_carry_a_badge_with_the_reasons(client, book, seller):
    VehicleFactory(company=seller.company, steering="LHD")

    html = client.get(reverse("catalog:search"), PICK_KEMBA).content.decode()

    badge = re.search(r'<span class="badge badge-rejected" title="([^"]*)"', html)
    assert badge, "no badge"
    assert "KE admits only right-hand drive" in badge.group(1)


def test_landed_prices_cost_no_query_per_vehicle(client, book, seller, settings):
    settings.SEARCH_CACHE_SECONDS = 0  # every search computed: what a page costs
    VehicleFactory.create_batch(2, company=seller.company)
    client.get(reverse("catalog:search"), PICK_KEMBA)  # the book is parsed once per process
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("catalog:search"))
    VehicleFactory.create_batch(6, company=seller.company, steering="LHD")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("catalog:search"))

    assert text_of(response).count("Not eligible") == 8
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_picker_choice_is_remembered_in_the_session_and_a_cookie(client, book, car):
    first = client.get(reverse("catalog:search"), PICK_KEMBA)
    assert first.cookies[preferences.COOKIE_NAME].value == "CIF.KEMBA.roro.USD.1"

    again = client.get(reverse("catalog:search"))
    assert money(price(car, destination="KEMBA").total) in text_of(again)
    assert 'value="KEMBA" selected' in again.content.decode()

    other_session = Client()
    other_session.cookies[preferences.COOKIE_NAME] = "CIF.KEMBA.roro.USD.1"
    assert money(price(car, destination="KEMBA").total) in text_of(
        other_session.get(reverse("catalog:search"))
    )
    # The vehicle page's calculator starts from the same choice.
    detail = client.get(reverse("catalog:vehicle_detail", args=[car.pk]))
    assert f"Total (CIF) {money(price(car, destination='KEMBA').total)}" in text_of(detail)


def test_the_picker_switches_off(client, book, car):
    client.get(reverse("catalog:search"), PICK_KEMBA)

    response = client.get(reverse("catalog:search"), {**PICK_KEMBA, "lp_destination": ""})

    assert "Landed prices:" not in text_of(response)
    assert response.cookies[preferences.COOKIE_NAME].value.endswith(".0")
    assert "Landed prices:" not in text_of(client.get(reverse("catalog:search")))


def test_search_htmx_results_carry_landed_prices_and_the_filters_still_work(client, book, seller):
    byd = VehicleFactory(company=seller.company, make="BYD")
    VehicleFactory(company=seller.company, make="Toyota", model="Camry")

    response = client.get(
        reverse("catalog:search"),
        {**PICK_KEMBA, "make": "BYD", "lp_destination": "AEJEA"},
        headers={"HX-Request": "true"},
    )

    assert response["HX-Push-Url"] == "/vehicles/?make=BYD"
    text = text_of(response)
    assert "Camry" not in text
    assert money(price(byd).total) in text


def test_a_choice_the_engine_refuses_is_explained(client, book, car):
    response = client.get(reverse("catalog:search"), {**PICK_KEMBA, "lp_mode": "rail"})

    assert response.status_code == 200
    assert "Landed prices cannot be shown for this choice." in text_of(response)
    assert "CIF is for sea transport only" in text_of(response)


def test_a_tampered_cookie_is_ignored(book, car):
    visitor = Client()
    visitor.cookies[preferences.COOKIE_NAME] = "<script>.x.y.z.1"

    response = visitor.get(reverse("catalog:search"))

    assert response.status_code == 200
    assert "Landed prices:" not in text_of(response)


# --- requesting a quotation -----------------------------------------------------------------


def request_quotation(client, vehicle, **changes):
    data = {
        **CIF_JEBEL_ALI,
        "quantity": "2",
        "payment_terms": "30 % deposit",
        "message": "Two white ones, please.",
        **changes,
    }
    return client.post(reverse("catalog:vehicle_detail", args=[vehicle.pk]), data)


def test_a_buyer_requests_a_quotation_from_the_vehicle_page(client, book, buyer, car):
    client.force_login(buyer)
    page = client.get(reverse("catalog:vehicle_detail", args=[car.pk]))
    assert "Request a quotation" in text_of(page)
    assert 'name="payment_terms"' in page.content.decode()

    response = request_quotation(client, car, insurance="on")

    inquiry = Inquiry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quotes:inquiry_detail", args=[inquiry.pk])
    assert (inquiry.buyer, inquiry.supplier, inquiry.incoterm) == (buyer, car.company, "CIF")
    assert inquiry.items.get().quantity == 2
    assert inquiry.message == "Two white ones, please."
    first = inquiry.quotes.get()
    assert first.total == price(car, quantity=2, insurance=True).total

    detail = client.get(response["Location"])
    assert "Version 1" in text_of(detail)
    assert money(first.total) in text_of(detail)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quantity": "4"}, "Ensure this value is less than or equal to 3."),
        ({"incoterm": "FOB", "mode": "truck"}, "FOB is for sea transport only"),
        ({"destination": "KZALA"}, "No origin has rates"),
    ],
)
def test_a_refused_request_is_explained_on_the_form(client, book, buyer, car, changes, message):
    client.force_login(buyer)

    response = request_quotation(client, car, **changes)

    assert response.status_code == 400
    assert message in text_of(response)
    assert 'name="message"' in response.content.decode()
    assert not Inquiry.objects.exists()


def test_only_buyers_request_quotations(client, book, car, seller):
    response = request_quotation(client, car)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))

    client.force_login(seller)
    page = client.get(reverse("catalog:vehicle_detail", args=[car.pk]))
    assert 'name="payment_terms"' not in page.content.decode()
    assert request_quotation(client, car).status_code == 302
    assert not Inquiry.objects.exists()


# --- inquiries, revising, accepting ---------------------------------------------------------


@pytest.fixture
def inquiry(client, book, buyer, car):
    client.force_login(buyer)
    request_quotation(client, car)
    client.logout()
    return Inquiry.objects.get()


def test_each_party_sees_the_inquiry_and_nobody_else(client, inquiry, seller):
    url = reverse("quotes:inquiry_detail", args=[inquiry.pk])
    colleague = SupplierFactory(company=seller.company)
    for party in (inquiry.buyer, seller, colleague, OperatorFactory()):
        client.force_login(party)
        assert client.get(url).status_code == 200, party
    for stranger in (BuyerFactory(), SupplierFactory()):
        client.force_login(stranger)
        assert client.get(url).status_code == 404, stranger
        assert client.post(reverse("quotes:revise", args=[inquiry.pk])).status_code == 404
        first = inquiry.quotes.get()
        assert client.post(reverse("orders:accept", args=[first.pk])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_lists_show_each_party_its_own_inquiries(client, inquiry, seller):
    client.force_login(inquiry.buyer)
    mine = client.get(reverse("quotes:inquiries"))
    assert f"#{inquiry.pk}" in text_of(mine)
    assert "My inquiries" in text_of(mine)

    client.force_login(seller)
    assert client.get(reverse("quotes:inquiries"))["Location"] == reverse("quotes:supplier_inbox")
    inbox = client.get(reverse("quotes:supplier_inbox"))
    assert f"#{inquiry.pk}" in text_of(inbox)

    for stranger in (BuyerFactory(), SupplierFactory()):
        client.force_login(stranger)
        page = client.get(reverse("quotes:inquiries"), follow=True)
        assert f"#{inquiry.pk}" not in text_of(page)


def revise(client, inquiry, **data):
    return client.post(reverse("quotes:revise", args=[inquiry.pk]), data)


def test_the_supplier_revises_with_a_discount_and_the_versions_stand_side_by_side(
    client, inquiry, seller
):
    first = inquiry.quotes.get()
    client.force_login(seller)
    page = client.get(reverse("quotes:inquiry_detail", args=[inquiry.pk]))
    assert "Issue the new version" in text_of(page)
    assert page.content.decode().count('name="adjustment_') == 6  # three rows

    response = revise(
        client,
        inquiry,
        adjustment_0_label="Loyalty discount",
        adjustment_0_amount="-500",
        adjustment_1_label="",
        adjustment_1_amount="",
        adjustment_2_label="Extra keys",
        adjustment_2_amount="35.50",
        note="Best price this month.",
    )

    assert response.status_code == 302
    second = inquiry.quotes.get(version=2)
    assert second.total == first.total - Decimal("500") + Decimal("35.50")
    assert second.note == "Best price this month."
    assert [a["label"] for a in second.adjustments] == ["Loyalty discount", "Extra keys"]

    client.force_login(inquiry.buyer)
    html = client.get(reverse("quotes:inquiry_detail", args=[inquiry.pk])).content.decode()
    assert html.count('class="num version-head"') == 2
    text = text_of(client.get(reverse("quotes:inquiry_detail", args=[inquiry.pk])))
    assert "Version 1" in text and "Version 2" in text
    assert money(first.total) in text and money(second.total) in text
    assert "Loyalty discount" in text and money("-500") in text
    assert "Best price this month." in text
    # Only the latest version can be accepted.
    assert "Accept version 2" in text and "Accept version 1" not in text
    assert "Quotation (PDF)" in text
    assert "Proforma invoice (PDF)" not in text  # the proforma is the order's, once accepted


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"adjustment_0_label": "Discount"}, "Give the amount of this adjustment."),
        ({"adjustment_0_amount": "abc"}, "Enter a number."),
        ({"adjustment_0_amount": "-999999"}, "The adjustments would bring the total"),
        ({"incoterm": "FOB", "mode": "rail"}, "FOB is for sea transport only"),
    ],
)
def test_a_refused_revision_is_explained(client, inquiry, seller, data, message):
    client.force_login(seller)

    response = revise(client, inquiry, **data)

    assert response.status_code == 400
    assert message in text_of(response)
    assert inquiry.quotes.count() == 1


def test_the_buyer_cannot_revise(client, inquiry):
    client.force_login(inquiry.buyer)
    page = client.get(reverse("quotes:inquiry_detail", args=[inquiry.pk]))
    assert "Issue the new version" not in text_of(page)

    response = client.post(
        reverse("quotes:revise", args=[inquiry.pk]),
        {"adjustment_0_amount": "-100", "adjustment_0_label": "x"},
        follow=True,
    )

    assert "Only the supplier revises its quotations." in text_of(response)
    assert inquiry.quotes.count() == 1


def test_the_buyer_accepts_the_latest_version_and_sees_the_order_number(client, inquiry, seller):
    client.force_login(seller)
    revise(client, inquiry, adjustment_0_label="Discount", adjustment_0_amount="-200")
    first, second = inquiry.quotes.order_by("version")

    client.force_login(inquiry.buyer)
    stale = client.post(reverse("orders:accept", args=[first.pk]), follow=True)
    assert "A newer version exists" in text_of(stale)
    assert not Order.objects.exists()

    response = client.post(reverse("orders:accept", args=[second.pk]), follow=True)

    order = Order.objects.get()
    assert order.quote == second
    assert response.redirect_chain[-1][0] == reverse("quotes:inquiry_detail", args=[inquiry.pk])
    text = text_of(response)
    assert f"Order {order.number} created." in text
    assert f"Your order number is {order.number}" in text
    assert "Accept version" not in text
    assert Inquiry.objects.get().status == InquiryStatus.ACCEPTED
    again = client.post(reverse("orders:accept", args=[second.pk]), follow=True)
    assert "already been accepted" in text_of(again)


def test_the_supplier_cannot_accept(client, inquiry, seller):
    client.force_login(seller)
    first = inquiry.quotes.get()

    response = client.post(reverse("orders:accept", args=[first.pk]), follow=True)

    assert "You may not accept this quotation." in text_of(response)
    assert not Order.objects.exists()


def test_a_not_eligible_quote_has_no_accept_button(client, book, buyer, seller):
    lhd = VehicleFactory(company=seller.company, steering="LHD", quantity=2)
    client.force_login(buyer)
    request_quotation(client, lhd, destination="KEMBA", quantity="1")

    quote = QuoteVersion.objects.get()
    assert not quote.eligible
    text = text_of(client.get(reverse("quotes:inquiry_detail", args=[quote.inquiry_id])))
    assert "Not eligible" in text and "KE admits only right-hand drive" in text
    assert "Accept version" not in text
    refused = client.post(reverse("orders:accept", args=[quote.pk]), follow=True)
    assert "This quotation cannot be accepted: Vehicle" in text_of(refused)
    assert not Order.objects.exists()


def test_nav_links_for_buyers_and_suppliers(client, buyer, seller):
    client.force_login(buyer)
    assert 'href="/inquiries/">My inquiries' in client.get("/").content.decode()
    client.force_login(seller)
    assert 'href="/supplier/inquiries/">Inquiries' in client.get("/").content.decode()


def test_the_demo_book_prices_or_explains_every_term_and_destination(client, demo_rate_book):
    """Any choice the pickers offer answers with a table or the engine's reason, never a 500."""
    from ex1000.quotes.models import Place

    cities = ("Guangzhou", "Urumqi")
    cars = [VehicleFactory(city=city, quantity=2) for city in cities]
    destinations = Place.objects.filter(book=demo_rate_book, is_destination=True)
    assert destinations.count() >= 5
    priced = 0
    for vehicle in cars:
        for place in destinations:
            for mode in ("roro", "rail"):
                for term in adapter.pricing.INCOTERMS:
                    response = calculator(
                        client, vehicle, destination=place.code, incoterm=term, mode=mode
                    )
                    assert response.status_code == 200, (vehicle.city, place.code, term, mode)
                    text = text_of(response)
                    assert (
                        "Total (" in text
                        or "This request cannot be priced." in text
                        or "Check the options above." in text
                    )
                    priced += "Total (" in text
    assert priced > 100
    search = client.get(reverse("catalog:search"), {**PICK_KEMBA, "lp_destination": "AEJEA"})
    assert search.status_code == 200
    assert text_of(search).count("CIF Jebel Ali (AEJEA)") >= len(cars)


def test_the_search_page_counts_and_filters_what_the_chosen_destination_admits(
    client, book, seller
):
    this_year = timezone.now().year
    admitted = VehicleFactory(company=seller.company, steering="RHD", year=this_year - 2)
    VehicleFactory(company=seller.company, steering="LHD", year=this_year - 2)
    VehicleFactory(company=seller.company, steering="RHD", year=this_year - 12)  # too old

    page = client.get(reverse("catalog:search"), PICK_KEMBA)  # landed prices to Mombasa
    html = page.content.decode()

    facets = html[html.index('id="facets"') :]
    assert "Importable to Kenya" in facets
    assert "steering: Right-hand drive; at most 8 years old" in facets
    assert re.search(r"<span>Admitted</span><span class=\"count\">1</span>", facets)
    assert re.search(r"<span>Not admitted</span><span class=\"count\">2</span>", facets)

    # The remembered choice carries over: "Admitted" keeps only what Kenya takes.
    only = client.get(reverse("catalog:search"), {"eligible": "true"})
    cards = re.findall(r'href="/vehicles/(\d+)/', only.content.decode())
    assert {int(pk) for pk in cards} == {admitted.pk}


def test_importable_only_without_a_destination_is_dropped_and_said(client, book, seller):
    VehicleFactory(company=seller.company)

    page = client.get(reverse("catalog:search"), {"eligible": "true"})

    assert page.status_code == 200
    assert "needs a destination" in text_of(page)
    assert "Importable to" not in page.content.decode()


@pytest.mark.parametrize(
    ("query", "said"),
    [({"destination": "ZZZZZ"}, "ZZZZZ"), ({"destination": "KEMBA", "mode": "air"}, "air")],
    ids=["unknown place", "unknown mode"],
)
def test_a_destination_the_rate_book_does_not_know_is_said_not_a_500(
    client, book, seller, query, said
):
    VehicleFactory(company=seller.company)

    page = client.get(reverse("catalog:search"), query)

    assert page.status_code == 200
    assert "1 car found" in text_of(page)
    assert "Importable to" not in page.content.decode()
    warning = page.content.decode().split('class="notice notice-warn" role="alert">')[1]
    assert said in warning.split("</div>")[0]  # the rate book's own message


@pytest.fixture
def big_and_small(seller):
    """A big car a little cheaper ex-works than a small one: by sea (freight by volume) it
    lands dearer; without freight (FOB) it stays the cheaper."""
    big = VehicleFactory(
        company=seller.company, price=100000, length_mm=5100, width_mm=1980, height_mm=1950
    )
    small = VehicleFactory(
        company=seller.company, price=101000, length_mm=4300, width_mm=1780, height_mm=1450
    )
    return big, small


def test_the_search_page_sorts_by_the_landed_price_it_shows(
    client, book, seller, api, big_and_small
):
    big, small = big_and_small
    middle = VehicleFactory(company=seller.company, price=150000)
    client.get(reverse("catalog:search"), PICK_KEMBA)  # remembered: CIF Mombasa, USD

    page = client.get(reverse("catalog:search"), {"sort": "landed_price"})

    html = page.content.decode()
    cards = [int(pk) for pk in dict.fromkeys(re.findall(r'href="/vehicles/(\d+)/', html))]
    assert cards == [small.pk, big.pk, middle.pk]  # ex-works order would be big, small, …
    assert '<option value="landed_price" selected>Landed price: low to high</option>' in html
    by_api = api.get("vehicles", {"destination": "KEMBA", "sort": "landed_price"}).json()
    assert [item["id"] for item in by_api["items"]] == cards


def test_sort_by_landed_price_without_a_destination_is_dropped_and_said(client, book, seller):
    VehicleFactory(company=seller.company)

    page = client.get(reverse("catalog:search"), {"sort": "landed_price"})

    assert page.status_code == 200
    assert "Sorting by landed price needs a destination" in text_of(page)
    assert "1 car found" in text_of(page)


def test_the_landed_sort_follows_the_prices_shown_not_the_address(
    client, book, seller, big_and_small
):
    """Prices shown FOB (no sea freight), the address naming Mombasa (CIF by default): the
    big car, cheaper ex-works, comes first as its FOB price says — under CIF Mombasa its
    freight would put it after the small one."""
    big, small = big_and_small
    client.get(reverse("catalog:search"), {**PICK_KEMBA, "lp_incoterm": "FOB"})

    page = client.get(reverse("catalog:search"), {"sort": "landed_price", "destination": "KEMBA"})

    html = page.content.decode()
    cards = [int(pk) for pk in dict.fromkeys(re.findall(r'href="/vehicles/(\d+)/', html))]
    assert cards == [big.pk, small.pk]
    assert "FOB" in text_of(page)
    cif = client.get(reverse("catalog:search"), {**PICK_KEMBA, "sort": "landed_price"})
    cif_cards = re.findall(r'href="/vehicles/(\d+)/', cif.content.decode())
    assert [int(pk) for pk in dict.fromkeys(cif_cards)] == [small.pk, big.pk]


def test_without_landed_prices_shown_the_landed_sort_is_dropped_and_said(client, book, seller):
    VehicleFactory(company=seller.company)

    page = client.get(reverse("catalog:search"), {"sort": "landed_price", "destination": "KEMBA"})

    assert "Sorting by landed price needs a destination" in text_of(page)
    assert "Importable to Kenya" in page.content.decode()  # the address's destination stays
