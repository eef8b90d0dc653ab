"""Search answers and pages kept whole in the cache (PostgreSQL, where the catalogue has a
version): a repeated search is served without reading a listing, and whatever it shows —
a listing, its photos, its supplier, the rate book's landed prices, the day's eligibility,
the visitor's own choice, name and language — is never an old or another visitor's one."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time
from PIL import Image

from ex1000.catalog import selectors, services
from ex1000.quotes import preferences
from ex1000.quotes.rate_books import import_rate_book
from tests.factories import BuyerFactory, SupplierFactory, VehicleFactory
from tests.pricing.books import document
from tests.quotes.conftest import book_document
from tests.quotes.test_pages import PICK_KEMBA, money, price, text_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SEARCH = reverse("catalog:search")


def read_listings(call):
    """``call()``'s answer and whether answering it read any listing (a kept answer reads
    only the catalogue's version)."""
    with CaptureQueriesContext(connection) as queries:
        answer = call()
    return answer, any('"catalog_vehicle"' in query["sql"] for query in queries)


def kept(call):
    """``call()`` asked twice: the second answer is the first, kept, without a listing read."""
    first = call()
    again, read = read_listings(call)
    assert not read, "the repeated search was computed again"
    assert kept_part(again.content) == kept_part(first.content)
    return again


def kept_part(content: bytes) -> bytes:
    """What is kept: the API answer, or the page's form and results (the page around them,
    with its per-request nonce and menu, is rendered each time)."""
    if b'<form id="search-form"' not in content:
        return content
    return content.split(b'<form id="search-form"')[1].split(b"\n</form>")[0]


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 30, 30)).save(out, "JPEG")
    return SimpleUploadedFile("car.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def seller():
    return SupplierFactory()


@pytest.fixture
def car(seller):
    return VehicleFactory(company=seller.company, steering="RHD", year=2022)


def test_a_photo_added_shows_in_the_next_answer_and_page(postgres_only, api, client, seller, car):
    kept(lambda: api.get("vehicles"))
    kept(lambda: client.get(SEARCH))

    photo = services.add_photo(user=seller, vehicle=car, file=jpeg())

    items = api.get("vehicles").json()["items"]
    assert [p["thumbnail_url"] for p in items[0]["photos"]] == [photo.thumbnail.url]
    assert f'<img src="{photo.thumbnail.url}"' in client.get(SEARCH).content.decode()


def test_a_supplier_renamed_or_verified_shows_at_once(postgres_only, api, client, car):
    company = car.company
    company.verification_status = "pending"
    company.save()
    kept(lambda: api.get("vehicles"))
    assert "Verified" not in text_of(kept(lambda: client.get(SEARCH)))

    company.name = "Hangzhou Export Motors Ltd"
    company.verification_status = "approved"
    company.save()  # as the operators' admin does: no catalogue service involved

    supplier = api.get("vehicles").json()["items"][0]["supplier"]
    assert (supplier["company_name"], supplier["verified"]) == ("Hangzhou Export Motors Ltd", True)
    page = text_of(client.get(SEARCH))
    assert "Hangzhou Export Motors Ltd ✓ Verified" in page


def test_a_buyer_registering_keeps_the_answers(postgres_only, api, client, car):
    """A new company (every registration makes one) has no listings: nothing shown changes."""
    kept(lambda: api.get("vehicles"))
    BuyerFactory()
    _answer, read = read_listings(lambda: api.get("vehicles"))
    assert not read


def test_a_new_rate_book_prices_the_next_answer_and_page(postgres_only, api, client, car):
    import_rate_book(document=book_document())
    query = {"destination": "KEMBA", "currency": "USD"}
    before = kept(lambda: api.get("vehicles", query)).json()["items"][0]["landed_price"]
    client.get(SEARCH, PICK_KEMBA)  # the visitor shows landed prices, CIF Mombasa in USD
    kept(lambda: client.get(SEARCH))

    fx = {**document()["fx"], "USD": "6.50"}  # the dollar dearer: fewer dollars a car
    import_rate_book(document=book_document(version="TEST-2", fx=fx))

    after = api.get("vehicles", query).json()["items"][0]["landed_price"]
    new_total = price(car, destination="KEMBA").total
    assert Decimal(after["amount"]) == new_total != Decimal(before["amount"])
    assert money(new_total) in text_of(client.get(SEARCH))


def test_each_visitor_sees_their_own_choice_and_name(postgres_only, client, car, settings):
    import_rate_book(document=book_document())
    shows_landed = money(price(car, destination="KEMBA").total)
    chooser = client
    first = chooser.get(SEARCH, PICK_KEMBA)
    assert first.cookies[preferences.COOKIE_NAME].value == "CIF.KEMBA.roro.USD.1"
    assert shows_landed in text_of(kept(lambda: chooser.get(SEARCH)))

    stranger = Client()
    assert shows_landed not in text_of(kept(lambda: stranger.get(SEARCH)))

    buyer = BuyerFactory(name="Amina Odhiambo")
    signed_in = Client()
    signed_in.force_login(buyer)
    assert "Amina Odhiambo" in text_of(signed_in.get(SEARCH))
    assert "Amina Odhiambo" not in text_of(stranger.get(SEARCH))
    assert shows_landed in text_of(chooser.get(SEARCH))

    # Choosing again is answered anew and remembered, though the page was kept.
    again = chooser.get(SEARCH, {**PICK_KEMBA, "lp_currency": "EUR"})
    assert again.cookies[preferences.COOKIE_NAME].value == "CIF.KEMBA.roro.EUR.1"
    assert money(price(car, destination="KEMBA", currency="EUR").total, "EUR") in text_of(
        chooser.get(SEARCH)
    )


def test_each_language_has_its_own_page(postgres_only, client, car):
    english = kept(lambda: client.get(SEARCH, HTTP_ACCEPT_LANGUAGE="en"))
    russian = kept(lambda: client.get(SEARCH, HTTP_ACCEPT_LANGUAGE="ru"))
    assert "1 car found" in text_of(english)
    assert "1 car found" not in text_of(russian)
    assert 'lang="ru"' in russian.content.decode()


def test_the_results_alone_for_htmx_and_the_whole_page_otherwise(postgres_only, client, car):
    whole = kept(lambda: client.get(SEARCH, {"make": "BYD"}))
    partial = kept(lambda: client.get(SEARCH, {"make": "BYD"}, HTTP_HX_REQUEST="true"))
    assert "<html" in whole.content.decode() and "<html" not in partial.content.decode()
    assert partial.headers["HX-Push-Url"] == f"{SEARCH}?make=BYD"
    assert re.search(r'id="results"', partial.content.decode())


def test_a_filter_changed_with_the_price_choice_unchanged_is_kept(postgres_only, client, car):
    """The form sends the picker's fields with every filter change: unchanged, they need no
    remembering, and the answer is kept; a new choice is answered anew and remembered."""
    import_rate_book(document=book_document())
    client.get(SEARCH, PICK_KEMBA)  # chosen and remembered
    shows_landed = money(price(car, destination="KEMBA").total)

    filtered = {**PICK_KEMBA, "make": car.make}
    answer = kept(lambda: client.get(SEARCH, filtered, HTTP_HX_REQUEST="true"))
    assert shows_landed in text_of(answer)
    assert preferences.COOKIE_NAME not in answer.cookies  # nothing new to remember

    changed = client.get(SEARCH, {**filtered, "lp_currency": "EUR"}, HTTP_HX_REQUEST="true")
    assert changed.cookies[preferences.COOKIE_NAME].value == "CIF.KEMBA.roro.EUR.1"
    assert money(price(car, destination="KEMBA", currency="EUR").total, "EUR") in text_of(changed)


def test_parameters_search_does_not_know_share_the_kept_page_another_release_does_not(
    postgres_only, client, car, monkeypatch
):
    page = kept(lambda: client.get(SEARCH, {"make": "BYD"}))
    tagged, read = read_listings(lambda: client.get(SEARCH, {"make": "BYD", "utm_source": "x"}))
    assert not read and kept_part(tagged.content) == kept_part(page.content)

    # Another deploy (its code, its templates) computes its own answers.
    monkeypatch.setattr(selectors, "_code_release", lambda: "next-release")
    _answer, read = read_listings(lambda: client.get(SEARCH, {"make": "BYD"}))
    assert read


def test_a_car_that_ages_out_at_new_year_is_no_longer_importable(postgres_only, api, seller):
    # Kenya admits right-hand-drive cars at most 8 years old (this year − model year).
    with freeze_time("2030-12-31 23:00:00"):
        import_rate_book(document=book_document())
        old = VehicleFactory(company=seller.company, steering="RHD", year=2022)
        query = {"destination": "KEMBA", "eligible": "true"}
        ids = [item["id"] for item in kept(lambda: api.get("vehicles", query)).json()["items"]]
        assert ids == [old.pk]
    with freeze_time("2031-01-01 01:00:00"):
        answer = api.get("vehicles", query).json()
        assert answer["items"] == [] and answer["count"] == 0
