"""Catalogue pages: what a visitor, a buyer and a supplier see and can do."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from ex1000.catalog.models import ImportJob, ImportStatus, ListingStatus, Vehicle, VehiclePhoto
from tests.factories import (
    BuyerFactory,
    SupplierFactory,
    UnverifiedSupplierFactory,
    VehicleFactory,
    new_vin,
)

pytestmark = pytest.mark.django_db


def listing(**changes):
    data = {
        "make": "Toyota",
        "model": "Camry",
        "variant": "2.5G",
        "year": "2021",
        "vin": new_vin(),
        "mileage_km": "40000",
        "fuel": "petrol",
        "transmission": "automatic",
        "drive": "fwd",
        "body_type": "sedan",
        "steering": "LHD",
        "length_mm": "4885",
        "width_mm": "1840",
        "height_mm": "1455",
        "city": "guangzhou",
        "price": "135000",
        "quantity": "1",
        "status": "published",
    }
    data.update(changes)
    return data


def jpeg(size=(640, 480)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 16, 46)).save(buffer, "JPEG")
    return SimpleUploadedFile("car.jpg", buffer.getvalue(), "image/jpeg")


def facet_count(html: str, label: str) -> int:
    match = re.search(rf"<span>{re.escape(label)}</span><span class=\"count\">(\d+)</span>", html)
    assert match, f"no facet {label!r}"
    return int(match.group(1))


@pytest.fixture
def stock():
    supplier = SupplierFactory()
    byd = [
        VehicleFactory(company=supplier.company, created_by=supplier, year=2022),
        VehicleFactory(company=supplier.company, created_by=supplier, year=2021, price=99000),
    ]
    camry = VehicleFactory(
        company=supplier.company,
        make="Toyota",
        model="Camry",
        variant="2.5G",
        fuel="petrol",
        body_type="sedan",
        year=2020,
        price=Decimal("135000"),
    )
    draft = VehicleFactory(company=supplier.company, make="Hidden", status=ListingStatus.DRAFT)
    return {"supplier": supplier, "byd": byd, "camry": camry, "draft": draft}


# --- public pages -----------------------------------------------------------------------


def test_home_shows_latest_published_listings_and_popular_makes(client, stock):
    response = client.get(reverse("catalog:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Toyota Camry" in html and "BYD Song Plus" in html
    assert "Hidden" not in html
    assert 'href="/vehicles/?make=BYD"' in html
    assert 'action="/vehicles/"' in html  # the hero search box


def test_search_filters_and_counts_facets(client, stock):
    html = client.get(reverse("catalog:search")).content.decode()
    assert "3 cars found" in html
    assert facet_count(html, "BYD") == 2 and facet_count(html, "Toyota") == 1
    assert facet_count(html, "SUV") == 2 and facet_count(html, "Sedan") == 1
    assert facet_count(html, "Plug-in hybrid") == 2

    html = client.get(
        reverse("catalog:search"), {"make": "byd", "year_min": "2022"}
    ).content.decode()
    assert "1 car found" in html
    assert reverse("catalog:vehicle_detail", args=[stock["byd"][0].pk]) in html
    assert reverse("catalog:vehicle_detail", args=[stock["camry"].pk]) not in html
    assert facet_count(html, "2022") == 1


def test_search_cards_show_price_mileage_city_and_verified_supplier(client, stock):
    html = client.get(reverse("catalog:search"), {"make": "Toyota"}).content.decode()
    assert "CN¥135,000" in html
    assert "30,000 km" in html
    assert "Hangzhou" in html
    assert stock["supplier"].company.name in html
    assert "Verified" in html


def test_search_sorts_by_price(client, stock):
    html = client.get(reverse("catalog:search"), {"sort": "price"}).content.decode()
    assert html.index("CN¥99,000") < html.index("CN¥118,000") < html.index("CN¥135,000")


def test_empty_form_fields_are_ignored_like_a_browser_sends_them(client, stock):
    response = client.get(reverse("catalog:search"), {"q": "", "year_min": "", "fuel": ""})
    assert response.status_code == 200
    assert "3 cars found" in response.content.decode()


def test_invalid_filters_are_explained_not_a_500(client, stock):
    response = client.get(reverse("catalog:search"), {"year_min": "soon", "fuel": "coal"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "“Year from” is not valid and was ignored." in html
    assert "“Fuel” is not valid and was ignored." in html
    assert "3 cars found" in html

    response = client.get(
        reverse("catalog:search"), {"year_min": "2023", "year_max": "2020", "make": "BYD"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "“Year from” is above “Year to”, so both were ignored." in html
    assert "2 cars found" in html  # the other filters still apply


def test_htmx_search_returns_only_the_results_and_the_facets(client, stock):
    response = client.get(
        reverse("catalog:search"), {"fuel": "petrol", "q": ""}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<header" not in html
    assert 'id="results"' in html and "1 car found" in html
    assert 'id="facets" class="facets" hx-swap-oob="true"' in html
    assert response["HX-Push-Url"] == "/vehicles/?fuel=petrol"


def test_the_filter_panel_counts_the_filters_in_use(client, stock):
    """A from–to range is one filter; the sort order is none. The count follows htmx."""
    query = {"fuel": "petrol", "year_min": "2019", "year_max": "2021", "sort": "price"}
    html = client.get(reverse("catalog:search"), query).content.decode()
    assert '<details class="filter-panel">' in html  # folded: a phone sees the cars first
    assert '<span class="filter-count" aria-hidden="true">2</span>' in html
    assert "2 in use" in html
    partial = client.get(
        reverse("catalog:search"), {**query, "make": "Toyota"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'id="filter-count" class="filter-count-wrap" hx-swap-oob="true"' in partial
    assert '<span class="filter-count" aria-hidden="true">3</span>' in partial
    plain = client.get(reverse("catalog:search"), {"sort": "price"}).content.decode()
    assert 'class="filter-count"' not in plain


def test_search_page_drives_htmx_and_still_works_as_a_plain_form(client, stock):
    html = client.get(reverse("catalog:search")).content.decode()
    assert 'hx-get="/vehicles/"' in html and 'hx-target="#results"' in html
    assert 'hx-push-url="true"' in html
    assert 'method="get" action="/vehicles/"' in html
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert "https://" not in html.replace("https://ex1000.example", "")


def test_more_cars_from_this_supplier(client, stock):
    other = VehicleFactory(make="Geely", model="Monjaro")
    company = stock["supplier"].company
    detail = client.get(
        reverse("catalog:vehicle_detail", args=[stock["camry"].pk])
    ).content.decode()
    assert f"/vehicles/?supplier={company.pk}" in detail
    html = client.get(reverse("catalog:search"), {"supplier": company.pk}).content.decode()
    assert "3 cars found" in html and f"Showing cars from {company.name}." in html
    assert reverse("catalog:vehicle_detail", args=[other.pk]) not in html


def test_pagination(client):
    supplier = SupplierFactory()
    VehicleFactory.create_batch(26, company=supplier.company)
    html = client.get(reverse("catalog:search")).content.decode()
    assert "26 cars found" in html and 'href="/vehicles/?page=2"' in html
    page2 = client.get(reverse("catalog:search"), {"page": "2"}).content.decode()
    assert page2.count('class="card"') == 2


def test_vehicle_detail_shows_specs_and_supplier_but_no_personal_contacts(client):
    supplier = SupplierFactory(phone="+8613800138000", wechat="dealer_wang")
    vehicle = VehicleFactory(company=supplier.company, created_by=supplier, engine_cc=1498)
    response = client.get(reverse("catalog:vehicle_detail", args=[vehicle.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "BYD Song Plus" in html and vehicle.vin in html
    assert "Engine size (cc)" in html and "1,498" in html
    assert "Front-wheel drive" in html and "4775 × 1890 × 1670 mm" in html
    assert supplier.company.name in html and "Verified" in html
    for private in (supplier.email, supplier.phone, "13800138000", "dealer_wang", supplier.name):
        assert private not in html


def test_vehicle_gallery_switches_photos(client):
    supplier = SupplierFactory()
    vehicle = VehicleFactory(company=supplier.company)
    from ex1000.catalog import services

    first = services.add_photo(user=supplier, vehicle=vehicle, file=jpeg())
    second = services.add_photo(user=supplier, vehicle=vehicle, file=jpeg())
    html = client.get(reverse("catalog:vehicle_detail", args=[vehicle.pk])).content.decode()
    assert f'id="gallery-main-image" src="{first.image.url}"' in html
    assert f'data-full="{second.image.url}"' in html
    html = client.get(
        reverse("catalog:vehicle_detail", args=[vehicle.pk]), {"photo": "1"}
    ).content.decode()
    assert f'id="gallery-main-image" src="{second.image.url}"' in html


def test_drafts_are_not_public(client, stock):
    response = client.get(reverse("catalog:vehicle_detail", args=[stock["draft"].pk]))
    assert response.status_code == 404


# --- the supplier's workspace ----------------------------------------------------------


def test_workspace_needs_login(client):
    response = client.get(reverse("catalog:supplier_dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_buyers_are_told_the_workspace_is_for_suppliers(client):
    client.force_login(BuyerFactory())
    response = client.get(reverse("catalog:vehicle_create"))
    assert response.status_code == 403
    assert "For suppliers only" in response.content.decode()


def test_dashboard_lists_own_listings_only(client, stock):
    other = VehicleFactory(make="Geely", model="Monjaro")
    client.force_login(stock["supplier"])
    html = client.get(reverse("catalog:supplier_dashboard")).content.decode()
    assert stock["draft"].vin in html and stock["camry"].vin in html
    assert other.vin not in html
    assert reverse("catalog:vehicle_create") in html


def dashboard(client, **query) -> str:
    response = client.get(reverse("catalog:supplier_dashboard"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_dashboard_pages_through_many_listings(client):
    supplier = SupplierFactory()
    cars = VehicleFactory.create_batch(27, company=supplier.company, created_by=supplier)
    client.force_login(supplier)
    first = dashboard(client)
    assert first.count('class="row-thumb"') == 25
    assert "Page 1 of 2" in first and 'href="?page=2"' in first
    second = dashboard(client, page="2")
    assert second.count('class="row-thumb"') == 2 and "Page 2 of 2" in second
    # The newest change first: the first two made are on the second page.
    assert cars[0].vin in second and cars[1].vin in second and cars[0].vin not in first
    assert "<strong>27</strong>Published" in second  # the counts are of all the listings


def test_dashboard_finds_listings_by_make_model_or_vin(client, stock):
    client.force_login(stock["supplier"])
    camry, byd = stock["camry"], stock["byd"]
    html = dashboard(client, q="camry")
    assert camry.vin in html and byd[0].vin not in html
    assert "1 listing matches." in html and 'value="camry"' in html
    html = dashboard(client, q="toyota CAM")
    assert camry.vin in html and byd[0].vin not in html
    html = dashboard(client, q=byd[1].vin[-6:])
    assert byd[1].vin in html and byd[0].vin not in html and camry.vin not in html
    html = dashboard(client, q="Lamborghini")
    assert "No listings match this search." in html and camry.vin not in html


def test_dashboard_filters_by_status_and_pages_keep_the_filters(client, stock):
    supplier = stock["supplier"]
    VehicleFactory.create_batch(
        26, company=supplier.company, make="Geely", status=ListingStatus.DRAFT
    )
    client.force_login(supplier)
    html = dashboard(client, status="draft")
    assert stock["draft"].vin not in html  # 27 drafts, the oldest on page 2
    assert stock["camry"].vin not in html and "27 listings match." in html
    assert '<option value="draft" selected>' in html
    assert 'href="?status=draft&amp;page=2"' in html
    html = dashboard(client, status="draft", page="2")
    assert stock["draft"].vin in html and html.count('class="row-thumb"') == 2
    html = dashboard(client, status="draft", q="hidden")
    assert stock["draft"].vin in html and "1 listing matches." in html
    html = dashboard(client, status="sold")
    assert "No listings match this search." in html
    html = dashboard(client, status="nonsense", page="2")  # not a status: all 30 listings
    assert stock["camry"].vin in html and html.count('class="row-thumb"') == 5


def test_unverified_supplier_sees_a_notice_not_an_error(client):
    supplier = UnverifiedSupplierFactory()
    client.force_login(supplier)
    html = client.get(reverse("catalog:supplier_dashboard")).content.decode()
    assert "Your company is not verified yet" in html
    assert reverse("accounts:profile") + "#documents" in html

    for url in (reverse("catalog:vehicle_create"), reverse("catalog:import_upload")):
        response = client.get(url)
        assert response.status_code == 403
        assert "Upload my business licence" in response.content.decode()
    response = client.post(reverse("catalog:vehicle_create"), listing())
    assert response.status_code == 403
    assert not Vehicle.objects.exists()


def test_supplier_adds_a_car(client, supplier):
    client.force_login(supplier)
    assert client.get(reverse("catalog:vehicle_create")).status_code == 200
    response = client.post(reverse("catalog:vehicle_create"), listing())
    vehicle = Vehicle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:vehicle_photos", args=[vehicle.pk])
    assert vehicle.company == supplier.company and vehicle.city == "Guangzhou"
    assert vehicle.status == ListingStatus.PUBLISHED and vehicle.published_at
    assert "camry" in client.get(reverse("catalog:search"), {"q": "camry"}).content.decode().lower()


def test_listing_mistakes_are_shown_on_the_form(client, supplier):
    client.force_login(supplier)
    response = client.post(
        reverse("catalog:vehicle_create"), listing(vin="LGXCE4CB0K1234567", year="1890")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "VIN check digit (9th character) does not match." in html
    assert "Enter a plausible model year." in html
    assert html.count("VIN check digit (9th character) does not match.") == 1
    assert not Vehicle.objects.exists()


def test_supplier_edits_own_listing(client, stock):
    camry = stock["camry"]
    client.force_login(stock["supplier"])
    page = client.get(reverse("catalog:vehicle_edit", args=[camry.pk])).content.decode()
    assert camry.vin in page
    data = listing(vin=camry.vin, price="129000", make="Toyota", model="Camry")
    response = client.post(reverse("catalog:vehicle_edit", args=[camry.pk]), data)
    assert response.status_code == 302
    camry.refresh_from_db()
    assert camry.price == Decimal("129000")


def test_another_suppliers_listing_is_404_everywhere(client, stock):
    intruder = SupplierFactory()
    client.force_login(intruder)
    camry = stock["camry"]
    for name in ("catalog:vehicle_edit", "catalog:vehicle_photos"):
        assert client.get(reverse(name, args=[camry.pk])).status_code == 404
    assert (
        client.post(reverse("catalog:vehicle_edit", args=[camry.pk]), listing()).status_code == 404
    )
    assert client.post(reverse("catalog:vehicle_withdraw", args=[camry.pk])).status_code == 404
    camry.refresh_from_db()
    assert camry.status == ListingStatus.PUBLISHED and camry.make == "Toyota"


def test_withdraw(client, stock):
    camry = stock["camry"]
    client.force_login(stock["supplier"])
    response = client.post(reverse("catalog:vehicle_withdraw", args=[camry.pk]), follow=True)
    assert "was withdrawn" in response.content.decode()
    camry.refresh_from_db()
    assert camry.status == ListingStatus.WITHDRAWN
    assert client.get(reverse("catalog:vehicle_detail", args=[camry.pk])).status_code == 404


def test_reserved_listing_cannot_be_edited(client, stock):
    camry = stock["camry"]
    Vehicle.objects.filter(pk=camry.pk).update(status=ListingStatus.RESERVED)
    client.force_login(stock["supplier"])
    page = client.get(reverse("catalog:vehicle_edit", args=[camry.pk])).content.decode()
    assert "can no longer be edited" in page
    response = client.post(reverse("catalog:vehicle_edit", args=[camry.pk]), listing(vin=camry.vin))
    assert response.status_code == 400
    assert "it can no longer be edited or withdrawn" in response.content.decode()


def test_photos_upload_and_delete(client, stock):
    camry = stock["camry"]
    client.force_login(stock["supplier"])
    response = client.post(
        reverse("catalog:vehicle_photos", args=[camry.pk]),
        {"photos": [jpeg(), jpeg()]},
        follow=True,
    )
    assert "Photos added: 2." in response.content.decode()
    photos = list(VehiclePhoto.objects.filter(vehicle=camry))
    assert len(photos) == 2
    assert photos[0].thumbnail.url in response.content.decode()

    response = client.post(
        reverse("catalog:vehicle_photos", args=[camry.pk]), {"photos": [jpeg((100, 80))]}
    )
    assert response.status_code == 400
    assert "car.jpg: A photo needs at least 200 px a side." in response.content.decode()

    client.post(reverse("catalog:vehicle_photo_delete", args=[camry.pk, photos[0].pk]))
    assert list(VehiclePhoto.objects.filter(vehicle=camry)) == [photos[1]]


def test_import_page_explains_columns_and_offers_a_template(client, supplier):
    client.force_login(supplier)
    html = client.get(reverse("catalog:import_upload")).content.decode()
    for column in ("make", "vin", "mileage_km", "battery_kwh", "first_registration"):
        assert f"<td>{column}</td>" in html
    assert "petrol, diesel, hybrid, phev, bev" in html
    assert reverse("catalog:import_template") in html


def test_the_downloaded_template_imports_cleanly(
    client, supplier, django_capture_on_commit_callbacks
):
    client.force_login(supplier)
    template = client.get(reverse("catalog:import_template"))
    assert template["Content-Type"].startswith("text/csv")
    upload = SimpleUploadedFile("stock.csv", template.content, "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("catalog:import_upload"), {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:import_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created == 1, job.errors


def test_import_progress_page_shows_row_errors_and_stops_polling(
    client, supplier, django_capture_on_commit_callbacks
):
    client.force_login(supplier)
    rows = (
        "make,model,year,vin,mileage_km,fuel,transmission,drive,body_type,steering,"
        "length_mm,width_mm,height_mm,city,price\n"
        f"BYD,Han,2022,{new_vin()},1000,bev,automatic,fwd,sedan,LHD,4995,1910,1495,Xian,180000\n"
        f"BYD,Han,2022,{new_vin()},1000,coal,automatic,fwd,sedan,LHD,4995,1910,1495,Xian,180000\n"
    )
    with django_capture_on_commit_callbacks(execute=True):  # the task runs after the commit
        response = client.post(
            reverse("catalog:import_upload"),
            {"file": SimpleUploadedFile("stock.csv", rows.encode(), "text/csv")},
        )
    html = client.get(response["Location"]).content.decode()
    assert '<progress value="100" max="100"' in html
    assert "2 / 2 rows processed" in html and "1 listing created" in html
    assert '<td class="num">3</td><td><code>fuel</code></td>' in html
    assert 'hx-trigger="every 1s"' not in html


def test_import_progress_polls_while_running(client, supplier):
    job = ImportJob.objects.create(
        company=supplier.company, user=supplier, status=ImportStatus.RUNNING, total=10, processed=4
    )
    client.force_login(supplier)
    url = reverse("catalog:import_job", args=[job.pk])
    page = client.get(url).content.decode()
    assert f'hx-get="{url}" hx-trigger="every 1s"' in page
    assert '<progress value="40" max="100"' in page and "4 / 10 rows processed" in page
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and 'hx-trigger="every 1s"' in partial


def test_another_suppliers_import_is_404(client, supplier):
    job = ImportJob.objects.create(company=supplier.company, user=supplier)
    client.force_login(SupplierFactory())
    assert client.get(reverse("catalog:import_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("catalog:import_problems", args=[job.pk])).status_code == 404


def test_a_large_import_lists_its_first_problems_and_offers_all_of_them_as_csv(client, supplier):
    errors = [
        {"row": row, "field": "year", "message": "Enter a plausible model year."}
        for row in range(2, 352)
    ]
    job = ImportJob.objects.create(
        company=supplier.company,
        user=supplier,
        status=ImportStatus.DONE,
        total=12_000,
        processed=12_000,
        created=11_650,
        errors=errors,
    )
    client.force_login(supplier)

    page = client.get(reverse("catalog:import_job", args=[job.pk])).content.decode()

    assert "12,000 / 12,000 rows processed" in page and "11,650 listings created" in page
    assert "350 problems" in page and "The first 200 are below." in page
    assert page.count("<td><code>year</code></td>") == 200
    download = client.get(
        reverse("catalog:import_problems", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert download["Content-Type"].startswith("text/csv")
    lines = download.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 351 and lines[-1].startswith("351,year,")


# --- languages ----------------------------------------------------------------------------


def test_chinese_visitors_get_chinese_labels(client, stock):
    response = client.get(reverse("catalog:search"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert '<html lang="zh-hans" dir="ltr">' in html
    assert "燃料" in html and "车身类型" in html and "插电式混合动力" in html
    assert "辆车" in html  # "3 cars found"
    assert "¥135,000" in html


def test_chinese_detail_page_translates_spec_labels(client, stock):
    client.cookies["django_language"] = "zh-hans"
    html = client.get(reverse("catalog:vehicle_detail", args=[stock["camry"].pk])).content.decode()
    assert "车型年份" in html and "前轮驱动" in html and "已认证" in html


def test_arabic_pages_are_right_to_left(client, stock):
    client.cookies["django_language"] = "ar"
    html = client.get(reverse("catalog:home")).content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_language_switcher_offers_all_six_languages(client):
    html = client.get(reverse("catalog:home")).content.decode()
    assert 'action="/i18n/setlang/"' in html
    for code in ("en", "zh-hans", "ru", "ar", "es", "fr"):
        assert f'<option value="{code}"' in html
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/vehicles/"})
    assert response.status_code == 302
    assert "筛选" in client.get("/vehicles/").content.decode()


# --- reservation (orders.md): nothing available shows as reserved --------------------------


@pytest.fixture
def book(db):
    from ex1000.quotes.rate_books import import_rate_book
    from tests.quotes.conftest import book_document

    return import_rate_book(document=book_document())


def test_a_reserved_listing_shows_as_reserved_and_takes_no_inquiry(client, book):
    from ex1000.catalog import services
    from ex1000.quotes.models import Inquiry

    vehicle = VehicleFactory(quantity=1)
    services.reserve_units([(vehicle.pk, 1)])
    buyer = BuyerFactory()
    client.force_login(buyer)
    url = reverse("catalog:vehicle_detail", args=[vehicle.pk])

    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "badge-reserved" in html and "takes no new quotation requests" in html
    assert 'id="calculator"' in html  # the price is still shown
    assert 'name="payment_terms"' not in html and 'id="inquiry-options"' not in html

    response = client.post(url, {"incoterm": "CIF", "destination": "AEJEA", "quantity": "1"})
    assert response.status_code == 302 and response["Location"] == url
    assert not Inquiry.objects.exists()
    cards = client.get(reverse("catalog:search")).content.decode()
    assert "badge-reserved" in cards


def test_a_partly_reserved_listing_offers_what_is_left(client, book):
    from ex1000.catalog import services

    vehicle = VehicleFactory(quantity=3)
    services.reserve_units([(vehicle.pk, 2)])
    client.force_login(BuyerFactory())

    html = client.get(reverse("catalog:vehicle_detail", args=[vehicle.pk])).content.decode()
    assert "1 unit available" in html and "badge-reserved" not in html
    assert 'name="payment_terms"' in html
