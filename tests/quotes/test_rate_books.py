"""Importing rate books: the service, `manage.py import_rates`, the admin upload page, the
demo book and seed_demo."""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from ex1000 import pricing
from ex1000.core.errors import AppError
from ex1000.demo.management.commands.seed_demo import Command as SeedDemo
from ex1000.quotes.models import Place, RateBook
from ex1000.quotes.rate_books import import_rate_book, rate_book_summary
from tests.quotes.conftest import DEMO_FILE, book_document, demo_document

pytestmark = pytest.mark.django_db


def broken_document(version: str = "BAD-1") -> dict:
    doc = book_document(version)
    doc["main"][3]["per_vehicle"] = "nine hundred"
    doc["origin"][1]["mode"] = "ship"
    doc["places"][2]["code"] = "CNSHA"
    return doc


# --- the service ---------------------------------------------------------------------------


def test_import_stores_the_document_and_its_places(operator):
    document = book_document("IMP-1")
    book = import_rate_book(document=document, user=operator)
    assert book.version == "IMP-1"
    assert book.currency == "CNY"
    assert book.valid_from == date.fromisoformat(document["valid_from"])
    assert book.valid_to == date.fromisoformat(document["valid_to"])
    assert book.validity_days == 7
    assert book.imported_by == operator
    book.refresh_from_db()
    assert book.document == document
    places = {p.code: p for p in book.places.all()}
    assert set(places) == {"CNSHA", "CNHGS", "AEJEA", "KEMBA", "TZDAR", "KZALA"}
    assert places["CNSHA"].is_origin and not places["CNSHA"].is_destination
    assert places["CNHGS"].is_origin
    assert places["AEJEA"].is_destination and not places["AEJEA"].is_origin
    assert places["KEMBA"].is_destination and places["KZALA"].is_destination
    # In places, but no main carriage reaches it: not offered as a destination.
    assert not places["TZDAR"].is_destination and not places["TZDAR"].is_origin
    assert places["KZALA"].kind == "dry port" and places["KZALA"].country == "KZ"


def test_unknown_top_level_keys_are_kept_and_ignored():
    document = book_document("IMP-NOTE", note="demo figures")
    book = import_rate_book(document=document)
    assert book.document["note"] == "demo figures"


def test_a_bad_document_names_each_row_and_field_and_changes_nothing():
    with pytest.raises(AppError) as caught:
        import_rate_book(document=broken_document())
    assert caught.value.code == "invalid_rate_book"
    messages = caught.value.errors["document"]
    assert any(m.startswith("main[3].per_vehicle:") for m in messages), messages
    assert any(m.startswith("origin[1].mode:") for m in messages), messages
    assert any(m.startswith("places[2].code:") for m in messages), messages
    assert caught.value.status == 422
    assert not RateBook.objects.exists()
    assert not Place.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"version": "V" * 41}, "version"),
        (
            {"places": [{"code": "CNSHA-TOO-LONG", "name": "x", "country": "CN", "kind": "s"}]},
            "places[0].code",
        ),
        ({"valid_to": "2020-01-01"}, "valid_to"),
        ({"fx": {"USD": "0"}}, "fx.USD"),
    ],
)
def test_values_the_database_cannot_hold_are_refused_up_front(change, field):
    with pytest.raises(AppError) as caught:
        import_rate_book(document={**book_document("IMP-LIMIT"), **change})
    assert any(m.startswith(f"{field}:") for m in caught.value.errors["document"])
    assert not RateBook.objects.exists()


def test_not_a_json_object_is_refused():
    with pytest.raises(AppError):
        import_rate_book(document=["not", "an", "object"])


def test_an_existing_version_is_never_edited(rate_book):
    changed = book_document("TEST-1", validity_days=30)
    with pytest.raises(AppError) as caught:
        import_rate_book(document=changed)
    assert caught.value.status == 409
    assert "TEST-1" in caught.value.detail
    rate_book.refresh_from_db()
    assert rate_book.validity_days == 7
    assert RateBook.objects.count() == 1


def test_summary_counts_rows(rate_book):
    summary = rate_book_summary(rate_book)
    assert summary.counts["places"] == 6
    assert summary.counts["main"] == 6
    assert "TEST-1" in summary.describe()


# --- manage.py import_rates ----------------------------------------------------------------


def test_command_imports_and_reports(tmp_path):
    path = tmp_path / "book.json"
    path.write_text(json.dumps(book_document("CMD-1")))
    out = io.StringIO()
    call_command("import_rates", str(path), stdout=out)
    text = out.getvalue()
    assert "CMD-1" in text and "6 places" in text and "6 main" in text
    assert RateBook.objects.get(version="CMD-1").places.count() == 6


def test_command_fails_listing_every_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(broken_document("CMD-BAD")))
    with pytest.raises(CommandError) as caught:
        call_command("import_rates", str(path))
    text = str(caught.value)
    assert "main[3].per_vehicle" in text and "origin[1].mode" in text and "places[2].code" in text
    assert not RateBook.objects.exists()


def test_command_exit_status_is_non_zero(tmp_path, capsys):
    from django.core.management import execute_from_command_line

    path = tmp_path / "bad.json"
    path.write_text("{not json")
    with pytest.raises(SystemExit) as caught:
        execute_from_command_line(["manage.py", "import_rates", str(path)])
    assert caught.value.code != 0
    assert "Not a JSON document" in capsys.readouterr().err


def test_command_refuses_a_duplicate_and_a_missing_file(tmp_path, rate_book):
    path = tmp_path / "again.json"
    path.write_text(json.dumps(book_document("TEST-1")))
    with pytest.raises(CommandError, match="exists already"):
        call_command("import_rates", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_rates", str(tmp_path / "missing.json"))


# --- the admin -----------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, operator):
    client.force_login(operator)
    return client


def _upload(client, document, name="book.json"):
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    return client.post(
        "/admin/quotes/ratebook/import/",
        {"file": SimpleUploadedFile(name, data, content_type="application/json")},
    )


def test_admin_changelist_offers_the_import_page(staff_client, rate_book):
    response = staff_client.get("/admin/quotes/ratebook/")
    assert response.status_code == 200
    assert b"/admin/quotes/ratebook/import/" in response.content
    assert b"TEST-1" in response.content
    detail = staff_client.get(f"/admin/quotes/ratebook/{rate_book.pk}/change/")
    assert detail.status_code == 200
    assert b"CNSHA" in detail.content  # places inline
    assert staff_client.get("/admin/quotes/place/").status_code == 200


def test_admin_upload_imports_as_the_operator(staff_client, operator):
    page = staff_client.get("/admin/quotes/ratebook/import/")
    assert page.status_code == 200 and b'type="file"' in page.content
    response = _upload(staff_client, book_document("ADM-1"))
    book = RateBook.objects.get(version="ADM-1")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/quotes/ratebook/{book.pk}/change/"
    assert book.imported_by == operator
    assert book.places.count() == 6


def test_admin_upload_shows_each_error(staff_client):
    response = _upload(staff_client, broken_document("ADM-BAD"))
    assert response.status_code == 422
    html = response.content.decode()
    for field in ("main[3].per_vehicle", "origin[1].mode", "places[2].code"):
        assert field in html
    assert not RateBook.objects.exists()
    garbage = _upload(staff_client, b"\xff\xfe not json")
    assert garbage.status_code == 422 and "Not a JSON document" in garbage.content.decode()


def test_admin_upload_refuses_a_duplicate(staff_client, rate_book):
    response = _upload(staff_client, book_document("TEST-1"))
    assert response.status_code == 422
    assert "exists already" in response.content.decode()


def test_admin_rate_books_cannot_be_added_or_edited(staff_client, rate_book):
    assert staff_client.get("/admin/quotes/ratebook/add/").status_code == 403
    response = staff_client.post(
        f"/admin/quotes/ratebook/{rate_book.pk}/change/", {"validity_days": 99}
    )
    assert response.status_code == 403
    rate_book.refresh_from_db()
    assert rate_book.validity_days == 7


def test_admin_lists_inquiries_and_quote_versions(staff_client):
    assert staff_client.get("/admin/quotes/inquiry/").status_code == 200
    assert staff_client.get("/admin/quotes/quoteversion/").status_code == 200


def test_non_staff_cannot_open_the_import_page(client, buyer):
    client.force_login(buyer)
    response = client.get("/admin/quotes/ratebook/import/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = _upload(client, book_document("ANON-1"))
    assert not RateBook.objects.exists()


# --- the demo book -------------------------------------------------------------------------


def test_demo_book_is_valid_and_says_it_is_demo_data():
    document = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    book = pricing.parse_rate_book(document)
    assert book.version == "2026-11-DEMO"
    assert (book.valid_from, book.valid_to) == (date(2026, 11, 1), date(2027, 3, 31))
    assert book.validity_days == 7
    assert "demo" in document["note"].lower()
    codes = {p.code for p in book.places}
    assert {"CNSHA", "CNTXG", "CNNSA", "CNTAO", "CNHGS"} <= codes
    assert {"AEJEA", "KEMBA", "TZDAR", "NGLOS", "KZALA", "UZTAS", "RUNVS", "BRSSZ"} <= codes
    assert {"USD", "EUR", "RUB", "KZT", "AED", "KES", "JPY", "KWD"} <= set(book.fx)
    # Every size class fits some container; oversize only the 40HQ.
    capacity = {(r.container, r.size_class) for r in book.container_capacity}
    assert {s for _, s in capacity} == {"small", "medium", "large", "oversize"}
    assert {c for c, s in capacity if s == "oversize"} == {"40HQ"}
    rules = {r.country: r for r in book.eligibility}
    assert rules["KE"].max_age_years == 8 and rules["KE"].steering == ("RHD",)
    assert rules["KE"].inspection == "pre-shipment"
    assert rules["TZ"].steering == ("RHD",)
    assert rules["KZ"].steering == ("LHD",) and rules["UZ"].steering == ("LHD",)
    assert rules["NG"].max_age_years == 12
    assert book.index.inspection_rate("pre-shipment", "KE").currency == "USD"
    assert {d.country for d in book.duties} >= {"AE", "KE", "TZ", "NG", "KZ", "UZ", "RU", "BR"}


@pytest.mark.parametrize(
    ("city", "mode", "destination"),
    [
        (city, mode, destination)
        for city in ("Hangzhou", "Beijing", "Guangzhou", "Urumqi", "Tianjin")
        for mode, destinations in (
            ("roro", ("AEJEA", "KEMBA", "TZDAR", "NGLOS", "RUNVS", "BRSSZ")),
            ("container", ("AEJEA", "KEMBA", "TZDAR", "NGLOS", "RUNVS", "BRSSZ")),
            ("rail", ("KZALA", "UZTAS")),
            ("truck", ("KZALA", "UZTAS")),
        )
        for destination in destinations
    ],
)
def test_demo_book_prices_every_demo_city_to_every_destination(city, mode, destination):
    book = pricing.parse_rate_book(demo_document())
    car = pricing.VehicleSpec(
        id=1,
        make="BYD",
        model="Song Plus",
        year=2024,
        price=Decimal("118000"),
        city=city,
        length_mm=4775,
        width_mm=1890,
        height_mm=1670,
        steering="RHD",
    )
    request = pricing.QuoteRequest(
        items=(pricing.QuoteItem(car, 2),),
        incoterm="DDP",
        destination=destination,
        mode=mode,
        currency="USD",
        quote_date=date(2026, 12, 1),
        insurance=True,
    )
    quote = pricing.quote(request, book)
    assert quote.total > 0 and quote.origin


def test_seed_demo_imports_the_demo_book_once():
    command = SeedDemo(stdout=io.StringIO())
    command.stats = Counter()
    command.rate_book()
    command.rate_book()
    book = RateBook.objects.get()
    assert book.version == "2026-11-DEMO"
    assert book.places.filter(is_destination=True).count() == 8
    assert command.stats["rate book"] == 1
