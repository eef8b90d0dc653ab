"""What importers, dealers and operators do, in a real browser (Debian Chromium)."""

import re

import pytest
from playwright.sync_api import expect

from ex1000.accounts.models import User, VerificationStatus
from ex1000.catalog.models import ImportJob, ImportStatus, Vehicle
from tests.factories import (
    OperatorFactory,
    SupplierFactory,
    UnverifiedSupplierFactory,
    VehicleFactory,
    new_vin,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_buyer_registers_logs_in_filters_the_catalogue_and_opens_a_car(site, page, log_in):
    VehicleFactory(make="BYD", model="Song Plus", fuel="phev", year=2022, price=118000)
    VehicleFactory(
        make="BYD",
        model="Han",
        fuel="bev",
        year=2023,
        price=176000,
        body_type="sedan",
        variant="EV 610km",
    )
    VehicleFactory(
        make="Toyota",
        model="Camry",
        fuel="petrol",
        year=2020,
        price=129000,
        body_type="sedan",
        variant="2.5G",
    )

    page.goto(f"{site}/accounts/register/")
    page.check("[name=role][value=buyer]")
    page.fill("[name=email]", "dana@almaty-motors.kz")
    page.fill("[name=password]", "Steppe-Eagle-2026")
    page.fill("[name=name]", "Dana Seitkali")
    page.fill("[name=company_name]", "Almaty Motors LLP")
    page.select_option("[name=country]", "KZ")
    page.fill("[name=phone]", "+7 701 123 4567")
    page.check("[name=accept_policy]")
    page.click("form:has([name=accept_policy]) button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/register/" not in page.url, page.inner_text("main")
    buyer = User.objects.get(email="dana@almaty-motors.kz")
    assert buyer.phone == "+77011234567"
    assert buyer.policy_acceptances.count() == 1

    page.context.clear_cookies()
    log_in(page, buyer, "Steppe-Eagle-2026")

    page.goto(f"{site}/vehicles/")
    page.fill("[name=make]", "BYD")
    page.select_option("[name=fuel]", "phev")
    page.click("#search-form button[type=submit]")
    page.wait_for_load_state()
    results = page.locator("#results")
    expect(results).to_contain_text("Song Plus")
    expect(results).not_to_contain_text("Camry")
    expect(results.get_by_role("link", name=re.compile(r"\bHan\b"))).to_have_count(0)

    results.get_by_role("link", name=re.compile("Song Plus")).first.click()
    page.wait_for_load_state()
    song = Vehicle.objects.get(model="Song Plus")
    assert page.url.endswith(f"/vehicles/{song.pk}/")
    expect(page.locator("main")).to_contain_text(song.vin)


def test_supplier_is_verified_then_lists_a_car_with_a_photo_that_search_shows(
    site, page, browser, log_in, licence_pdf, photo_file
):
    supplier = UnverifiedSupplierFactory(email="li.wei@qianjiang-auto.cn")
    operator = OperatorFactory()

    log_in(page, supplier)
    page.goto(f"{site}/accounts/profile/")
    page.select_option("[name=kind]", "business_licence")
    page.fill("[name=number]", "91330100MA2B3C4D5E")
    page.set_input_files("[name=file]", str(licence_pdf))
    page.click("form:has([name=kind]) button[type=submit]")
    page.wait_for_load_state()
    supplier.company.refresh_from_db()
    assert supplier.company.verification_status == VerificationStatus.PENDING

    operator_page = browser.new_context().new_page()
    log_in(operator_page, operator)
    operator_page.goto(f"{site}/ops/verifications/")
    expect(operator_page.locator("main")).to_contain_text(supplier.company.name)
    operator_page.click("form:has(input[name=decision][value=approve]) button[type=submit]")
    operator_page.wait_for_load_state()
    supplier.company.refresh_from_db()
    assert supplier.company.verification_status == VerificationStatus.APPROVED

    vin = new_vin()
    page.goto(f"{site}/supplier/vehicles/new/")
    fields = {
        "make": "Geely",
        "model": "Monjaro",
        "variant": "2.0TD Flagship",
        "year": "2023",
        "vin": vin,
        "mileage_km": "18000",
        "colour": "Grey",
        "length_mm": "4770",
        "width_mm": "1895",
        "height_mm": "1689",
        "city": "Hangzhou",
        "price": "165000",
        "quantity": "1",
        "engine_cc": "1969",
    }
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)
    for name, value in {
        "fuel": "petrol",
        "transmission": "automatic",
        "drive": "awd",
        "body_type": "suv",
        "steering": "LHD",
        "status": "published",
    }.items():
        page.select_option(f"[name={name}]", value)
    page.click("form:has([name=vin]) button[type=submit]")
    page.wait_for_load_state()
    listing = Vehicle.objects.get(vin=vin)
    assert listing.status == "published"

    page.goto(f"{site}/supplier/vehicles/{listing.pk}/photos/")
    page.set_input_files("input[type=file]", str(photo_file))
    page.click("form:has(input[type=file]) button[type=submit]")
    page.wait_for_load_state()
    assert listing.photos.count() == 1

    page.goto(f"{site}/vehicles/?q=monjaro")
    card = page.locator("#results").get_by_role("link", name=re.compile("Monjaro")).first
    expect(card).to_be_visible()
    thumbnail = page.locator("#results img").first
    expect(thumbnail).to_have_attribute("src", re.compile(r"/media/vehicles/"))
    assert thumbnail.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0


def test_csv_import_shows_progress_and_the_rows_it_refused(site, page, log_in, tmp_path):
    supplier = SupplierFactory()
    header = (
        "make,model,year,vin,mileage_km,fuel,transmission,drive,body_type,steering,"
        "length_mm,width_mm,height_mm,city,price,status"
    )
    good = [
        f"Chery,Tiggo 8 Pro,2022,{new_vin()},36000,petrol,dct,fwd,suv,LHD,4722,1860,1746,"
        "Wuhu,98000,published",
        f"Changan,CS75 Plus,2021,{new_vin()},52000,petrol,automatic,fwd,suv,LHD,4700,1865,1710,"
        "Chongqing,82000,published",
    ]
    bad = (
        "Haval,H6,2021,NOTAVIN,41000,petrol,dct,fwd,suv,LHD,4653,1886,1730,Baoding,79000,published"
    )
    csv_path = tmp_path / "stock.csv"
    csv_path.write_text("\n".join([header, good[0], bad, good[1]]) + "\n")

    log_in(page, supplier)
    page.goto(f"{site}/supplier/import/")
    page.set_input_files("input[type=file]", str(csv_path))
    page.click("form:has(input[type=file]) button[type=submit]")
    page.wait_for_url(re.compile(r"/supplier/import/\d+/"))

    expect(page.locator("progress")).to_have_attribute("value", "100", timeout=15000)
    expect(page.locator("#import-progress")).to_contain_text("3 / 3 rows processed")
    refused = page.locator("#import-progress table tbody tr")
    expect(refused.first.locator("td").nth(0)).to_have_text("3")  # header is row 1
    expect(refused.first.locator("td").nth(1)).to_have_text("vin")
    assert Vehicle.objects.filter(company=supplier.company).count() == 2
    assert not Vehicle.objects.filter(vin="NOTAVIN").exists()


def test_import_page_follows_a_running_job_until_it_finishes(site, page, log_in):
    supplier = SupplierFactory()
    job = ImportJob.objects.create(
        company=supplier.company,
        user=supplier,
        status=ImportStatus.RUNNING,
        total=4,
        processed=1,
        file="imports/x.csv",
    )
    log_in(page, supplier)
    page.goto(f"{site}/supplier/import/{job.pk}/")
    expect(page.locator("progress")).to_have_attribute("value", "25")

    ImportJob.objects.filter(pk=job.pk).update(
        processed=4,
        created=3,
        status=ImportStatus.DONE,
        errors=[{"row": 4, "field": "price", "message": "Ensure this value is greater than 0."}],
    )
    # No reload: the page polls the job and redraws itself.
    expect(page.locator("progress")).to_have_attribute("value", "100", timeout=10000)
    expect(page.locator("#import-progress")).to_contain_text("Ensure this value is greater")


def test_with_a_worker_the_upload_answers_at_once_and_the_bar_moves_batch_by_batch(
    site, page, log_in, tmp_path, settings, monkeypatch
):
    """`make run`'s set-up: tasks queued in the database, a worker beside the server. The
    upload answers before any row is imported; the page then shows each batch's progress
    while the worker imports (batches of 20 here, each held 0.4 s so the page's polling
    sees them), and the refused rows with their problems at the end."""
    import time

    from django.core.management import call_command

    from ex1000.catalog import services, tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(tasks, "BATCH_ROWS", 20)
    create_vehicles = services.create_vehicles

    def slow_batch(**kwargs):
        time.sleep(0.4)
        return create_vehicles(**kwargs)

    monkeypatch.setattr(services, "create_vehicles", slow_batch)
    supplier = SupplierFactory()
    header = "make,model,year,vin,mileage_km,fuel,transmission,drive,body_type,steering,"
    header += "length_mm,width_mm,height_mm,city,price,status"
    lines = [header]
    for number in range(200):
        year = 1901 if number == 150 else 2022
        lines.append(
            f"Chery,Tiggo 8 Pro,{year},{new_vin()},36000,petrol,dct,fwd,suv,LHD,4722,1860,1746,"
            "Wuhu,98000,published"
        )
    csv_path = tmp_path / "stock.csv"
    csv_path.write_text("\n".join(lines) + "\n")

    log_in(page, supplier)
    page.goto(f"{site}/supplier/import/")
    page.set_input_files("input[type=file]", str(csv_path))
    page.click("form:has(input[type=file]) button[type=submit]")
    page.wait_for_url(re.compile(r"/supplier/import/\d+/"))

    # Answered with the job queued: nothing imported yet.
    expect(page.locator("#import-progress .badge")).to_have_text("Queued")
    expect(page.locator("progress")).to_have_attribute("value", "0")
    assert not Vehicle.objects.filter(company=supplier.company).exists()
    page.evaluate(
        """() => {
            window.seen = [];
            const note = () => {
                const bar = document.querySelector('#import-progress progress');
                if (bar) window.seen.push(Number(bar.value));
            };
            new MutationObserver(note).observe(document.body, {childList: true, subtree: true});
        }"""
    )

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    expect(page.locator("progress")).to_have_attribute("value", "100", timeout=10000)
    seen = page.evaluate("window.seen")
    between = [value for value in seen if 0 < value < 100]
    assert len(set(between)) >= 2, seen  # the bar moved through several batches
    assert between == sorted(between)
    expect(page.locator("#import-progress")).to_contain_text("200 / 200 rows processed")
    expect(page.locator("#import-progress")).to_contain_text("199 listings created")
    refused = page.locator("#import-progress table tbody tr")
    expect(refused).to_have_count(1)
    expect(refused.first.locator("td").nth(0)).to_have_text("152")
    expect(refused.first.locator("td").nth(1)).to_have_text("year")
