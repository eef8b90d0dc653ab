"""Search and a listing on a 390 px phone (Debian Chromium): the filters fold into a panel
above the results, so the first car is on the first screen; nothing is wider than the
phone, in English and in Arabic (right to left)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ex1000.catalog import services
from tests.factories import BuyerFactory, SupplierFactory, VehicleFactory
from tests.helpers import image_bytes
from tests.quotes.conftest import rate_book  # noqa: F401  (the fixture, reused here)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("rate_book"),
]

SHOTS = Path("/tmp/phone-shots")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
LONG_VARIANT = "DM-i 110km Flagship Long-Range Premium Export Edition Plus-Package-Panorama"
NOTES = (
    "One owner, full service history at the BYD dealer in Hangzhou. "
    "Inspection: https://example.com/inspection/report?vin=LGXCE4CB0N2000001&ref=" + "A1b2C3d4" * 10
)

# What sticks out of the page on either side (but the skip link, off-screen until focused):
# on a right-to-left page an overflow to the left cannot be scrolled to, so scrollWidth
# alone does not show it.
OUTSIDE = """() => {
  const out = r => r.width > 0 && (r.left < -1 || r.right > innerWidth + 1);
  return [...document.body.querySelectorAll("*:not(.skip-link)")]
    .filter(e => !e.closest(".skip-link, .visually-hidden, select"))
    .filter(e => out(e.getBoundingClientRect()))
    .map(e => `<${e.tagName.toLowerCase()} class="${e.className}">`);
}"""


def top_of(page, selector: str) -> float:
    """Where the first match starts, in CSS pixels from the top of the page."""
    return page.locator(selector).first.evaluate(
        "e => e.getBoundingClientRect().top + window.scrollY"
    )


def no_overflow(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide on a 390 px phone"
    outside = page.evaluate(OUTSIDE)
    assert outside == [], f"{page.url}: these stick out of a 390 px phone: {outside}"


@pytest.fixture
def stock():
    supplier = SupplierFactory()
    company = supplier.company
    for year in (2019, 2020, 2021):
        VehicleFactory(company=company, make="Toyota", model="Camry", fuel="petrol", year=year)
    for year in (2021, 2022, 2023):
        VehicleFactory(company=company, year=year, variant=LONG_VARIANT)
    car = VehicleFactory(
        company=company, variant=LONG_VARIANT, condition_notes=NOTES, engine_cc=1498
    )
    for colour in ("steelblue", "darkred", "olive", "black", "white", "gold"):
        upload = image_bytes(size=(900, 600), colour=colour)
        services.add_photo(user=supplier, vehicle=car, file=_upload(upload))
    return car


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("car.jpg", data, "image/jpeg")


def phone_page(browser, site, language):
    context = browser.new_context(**PHONE)
    if language != "en":
        host = site.split("//", 1)[1].split(":")[0]
        context.add_cookies(
            [{"name": "django_language", "value": language, "domain": host, "path": "/"}]
        )
    return context.new_page()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_search_with_filters_fits_a_phone_and_shows_cars_first(site, browser, stock, language):
    SHOTS.mkdir(exist_ok=True)
    page = phone_page(browser, site, language)
    page.goto(f"{site}/vehicles/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    panel = page.locator("details.filter-panel")
    # On a phone the panel starts closed: the first car is on the first screen.
    expect(panel).not_to_have_attribute("open", "")
    expect(page.locator(".cards .card")).to_have_count(7)
    assert top_of(page, ".cards .card") < 900
    no_overflow(page)

    panel.locator("summary").click()
    expect(page.locator("#id_fuel")).to_be_visible()
    no_overflow(page)
    page.select_option("#id_fuel", "petrol")
    page.fill("#id_year_min", "2020")
    panel.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"fuel=petrol.*year_min=2020|year_min=2020.*fuel=petrol"))
    expect(page.locator(".results-head h1")).to_contain_text("2")
    expect(page.locator(".cards .card")).to_have_count(2)
    # Applying folds the panel, which says how many filters are in use: the cars come first.
    expect(panel.locator("summary .filter-count")).to_have_text("2")
    expect(panel).not_to_have_attribute("open", "")
    assert top_of(page, ".cards .card") < 900
    no_overflow(page)
    page.reload()  # the same address as a new page (or without JavaScript): folded too
    expect(page.locator(".cards .card")).to_have_count(2)
    expect(panel.locator("summary .filter-count")).to_have_text("2")
    assert top_of(page, ".cards .card") < 900
    no_overflow(page)
    page.screenshot(path=str(SHOTS / f"search-390-{language}.png"), full_page=True)
    panel.locator("summary").click()
    page.screenshot(path=str(SHOTS / f"search-390-{language}-open.png"), full_page=True)

    if language == "en":
        desktop = browser.new_context(**DESKTOP).new_page()
        desktop.goto(page.url)
        # A wide screen shows the filters open beside the results.
        expect(desktop.locator("#id_fuel")).to_be_visible()
        box, results = (
            desktop.locator(".filters").bounding_box(),
            desktop.locator("#results").bounding_box(),
        )
        assert box["x"] + box["width"] <= results["x"]
        desktop.screenshot(path=str(SHOTS / "search-1280.png"), full_page=True)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_vehicle_page_fits_a_phone(site, browser, log_in, stock, language):
    SHOTS.mkdir(exist_ok=True)
    page = phone_page(browser, site, language)
    query = "?destination=AEJEA&incoterm=CIF&mode=roro&currency=USD&quantity=1"
    page.goto(f"{site}/vehicles/{stock.pk}/{query}")
    expect(page.locator("h1")).to_contain_text("Flagship")
    expect(page.locator(".thumbs li")).to_have_count(6)
    expect(page.locator("#quote-result table")).to_be_visible()
    expect(page.locator(".notes")).to_contain_text("example.com")
    no_overflow(page)
    page.screenshot(path=str(SHOTS / f"vehicle-390-{language}.png"), full_page=True)
    # A buyer also gets the quotation request form: it fits too.
    buyer = BuyerFactory(language=language)
    log_in(page, buyer)
    page.goto(f"{site}/vehicles/{stock.pk}/{query}")
    expect(page.locator("#request-quotation")).to_be_visible()
    no_overflow(page)
    page.screenshot(path=str(SHOTS / f"vehicle-390-{language}-buyer.png"), full_page=True)
    if language == "en":
        desktop = browser.new_context(**DESKTOP).new_page()
        desktop.goto(f"{site}/vehicles/{stock.pk}/{query}")
        desktop.screenshot(path=str(SHOTS / "vehicle-1280.png"), full_page=True)


def test_my_listings_search_and_status_filter_on_a_phone(site, browser, log_in, stock):
    """The supplier's list: the filter form stacks on the phone; the table scrolls in its
    own frame, never the page."""
    SHOTS.mkdir(exist_ok=True)
    VehicleFactory(company=stock.company, make="Geely", model="Monjaro", status="draft")
    page = browser.new_context(**PHONE).new_page()
    log_in(page, stock.company.members.get())
    page.goto(f"{site}/supplier/")
    page.fill("#listing-q", "monjaro")
    page.select_option("#listing-status", "draft")
    with page.expect_navigation():
        page.locator(".listing-filters button[type=submit]").click()
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Geely Monjaro")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide on a 390 px phone"
    page.screenshot(path=str(SHOTS / "supplier-390.png"), full_page=True)
