"""htmx and the small scripts of the pages, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.factories import SupplierFactory, VehicleFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_changing_a_filter_refreshes_results_and_address_without_reloading(site, page):
    supplier = SupplierFactory()
    VehicleFactory(company=supplier.company, make="BYD", model="Han", fuel="bev")
    VehicleFactory(company=supplier.company, make="Toyota", model="Camry", fuel="petrol")
    page.goto(f"{site}/vehicles/")
    expect(page.locator("#results h1")).to_have_text("2 cars found")
    page.evaluate("window.notReloaded = true")

    page.select_option("[name=fuel]", "bev")
    expect(page.locator("#results h1")).to_have_text("1 car found")
    expect(page.locator("#results")).not_to_contain_text("Camry")
    expect(page).to_have_url(f"{site}/vehicles/?fuel=bev")
    assert page.evaluate("window.notReloaded") is True  # swapped in place by htmx
    # The facets in the left column follow the results (out-of-band swap).
    expect(page.locator("#facets")).not_to_contain_text("Toyota")

    page.select_option("[name=sort]", "price")
    expect(page).to_have_url(f"{site}/vehicles/?fuel=bev&sort=price")
    assert page.evaluate("window.notReloaded") is True


def test_gallery_thumbnail_switches_the_main_photo(site, page, photo_file):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ex1000.catalog import services

    supplier = SupplierFactory()
    vehicle = VehicleFactory(company=supplier.company, created_by=supplier)
    data = photo_file.read_bytes()
    photos = [
        services.add_photo(
            user=supplier, vehicle=vehicle, file=SimpleUploadedFile("p.jpg", data, "image/jpeg")
        )
        for _ in range(2)
    ]
    page.goto(f"{site}/vehicles/{vehicle.pk}/")
    main = page.locator("#gallery-main-image")
    expect(main).to_have_attribute("src", photos[0].image.url)
    page.locator("[data-gallery-thumb]").nth(1).click()
    expect(main).to_have_attribute("src", photos[1].image.url)
    assert "photo=" not in page.url
